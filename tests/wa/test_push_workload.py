"""Push to a new workload and as a custom lens, against the service model (Stubber)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import ANY

from tests.wa.wa import (
    OTHER_ID,
    WORKLOAD_ID,
    answer_reply,
    capture,
    choices,
    milestones_reply,
    report,
    stubbed,
    workload_reply,
)
from wellsec.errors import InputError
from wellsec.lens import load_lens
from wellsec.wa.client import WaTool, WaToolError
from wellsec.wa.push_run import PushOptions, run_push
from wellsec.workload import Workload

LENS = load_lens("sec01@2022")
LENS_ARN = "arn:aws:wellarchitected:us-east-1:111111111111:lens/5b7c9d1e2f3a4b5c6d7e8f9a0b1c2d3e"
WORKLOAD = Workload(
    name="payments",
    environment="preproduction",
    owner="security-team@example.com",
    regions=["eu-west-1"],
    accounts=["222222222222", "333333333333"],
)


def summary(name: str, workload_id: str) -> dict[str, Any]:
    return {"WorkloadId": workload_id, "WorkloadName": name, "Lenses": ["wellarchitected"]}


def test_create_workload_from_wellsec_yaml() -> None:
    with stubbed() as (client, stub):
        created = capture(client, "CreateWorkload")
        stub.add_response(
            "list_workloads",
            {"WorkloadSummaries": [summary("payments-old", OTHER_ID)], "NextToken": "t2"},
            {"WorkloadNamePrefix": "payments", "MaxResults": 50},
        )
        stub.add_response(
            "list_workloads",
            {"WorkloadSummaries": []},
            {"WorkloadNamePrefix": "payments", "MaxResults": 50, "NextToken": "t2"},
        )
        stub.add_response("create_workload", {"WorkloadId": WORKLOAD_ID, "WorkloadArn": "arn"})
        stub.add_response("get_workload", workload_reply(), {"WorkloadId": WORKLOAD_ID})
        stub.add_response("get_answer", answer_reply(choices(LENS)))
        stub.add_response("update_answer", answer_reply(choices(LENS), risk="NONE"))
        options = PushOptions(None, WORKLOAD, "report.html")
        result = run_push(WaTool(client), LENS, report(), options, apply=True)
    [params] = created
    assert params == {
        "WorkloadName": "payments",
        "Description": "payments: SEC 1 reviewed with wellsec",
        "Environment": "PREPRODUCTION",
        "ReviewOwner": "security-team@example.com",
        "AwsRegions": ["eu-west-1"],
        "AccountIds": ["222222222222", "333333333333"],
        "Lenses": ["wellarchitected"],
        "ClientRequestToken": params["ClientRequestToken"],
    }
    assert result.workload_id == WORKLOAD_ID and result.risk_after == "NONE"


def test_create_workload_refuses_a_name_taken() -> None:
    with stubbed() as (client, stub):
        stub.add_response("list_workloads", {"WorkloadSummaries": [summary("payments", OTHER_ID)]})
        with pytest.raises(WaToolError) as caught:
            run_push(WaTool(client), LENS, report(), PushOptions(None, WORKLOAD, "r"), True)
    assert f"--workload-id {OTHER_ID}" in str(caught.value)


def test_create_workload_needs_a_review_owner() -> None:
    ownerless = WORKLOAD.model_copy(update={"owner": None})
    with stubbed() as (client, stub):
        stub.add_response("list_workloads", {"WorkloadSummaries": []})
        with pytest.raises(InputError, match=r"wellsec\.yaml: owner: a review owner"):
            run_push(WaTool(client), LENS, report(), PushOptions(None, ownerless, "r"), False)


def test_dry_run_of_a_new_workload_plans_by_lens_ids() -> None:
    with stubbed() as (client, stub):
        stub.add_response("list_workloads", {"WorkloadSummaries": []})
        result = run_push(
            WaTool(client), LENS, report(), PushOptions(None, WORKLOAD, "r", milestone="m1"), False
        )
    assert [s.operation for s in result.steps.items] == [
        "CreateWorkload",
        "UpdateAnswer",
        "CreateMilestone",
    ]
    assert not result.plan.resolved
    assert {c.after for c in result.plan.choices} == {"SELECTED"}


def test_custom_lens_is_imported_published_and_associated() -> None:
    lens_json = json.dumps(LENS.to_wa_json(), ensure_ascii=False)
    with stubbed() as (client, stub):
        answers = capture(client, "GetAnswer")
        stub.add_response("get_workload", workload_reply(), {"WorkloadId": WORKLOAD_ID})
        stub.add_response(
            "list_lenses",
            {"LensSummaries": []},
            {"LensType": "CUSTOM_SELF", "LensName": LENS.name, "MaxResults": 50},
        )
        stub.add_response(
            "import_lens",
            {"LensArn": LENS_ARN, "Status": "IN_PROGRESS"},
            {"JSONString": lens_json, "ClientRequestToken": ANY},
        )
        # While the import runs, publishing is refused; wellsec waits and tries again.
        stub.add_client_error("create_lens_version", service_error_code="ConflictException")
        stub.add_response(
            "create_lens_version",
            {"LensArn": LENS_ARN, "LensVersion": "2022"},
            {
                "LensAlias": LENS_ARN,
                "LensVersion": "2022",
                "IsMajorVersion": True,
                "ClientRequestToken": ANY,
            },
        )
        stub.add_response(
            "associate_lenses", {}, {"WorkloadId": WORKLOAD_ID, "LensAliases": [LENS_ARN]}
        )
        stub.add_response(
            "get_answer",
            answer_reply(choices(LENS), lens_alias=LENS_ARN, question_id="securely_operate"),
        )
        stub.add_response("update_answer", answer_reply(choices(LENS), lens_alias=LENS_ARN))
        waits: list[float] = []
        options = PushOptions(WORKLOAD_ID, None, "r", custom_lens=True)
        result = run_push(WaTool(client), LENS, report(), options, True, sleep=waits.append)
    assert answers[0]["LensAlias"] == LENS_ARN and answers[0]["QuestionId"] == "securely_operate"
    assert waits == [2.0]
    assert [s.operation for s in result.steps.items] == [
        "ImportLens",
        "CreateLensVersion",
        "AssociateLenses",
        "UpdateAnswer",
    ]


def test_custom_lens_already_published_is_reused() -> None:
    exported = json.dumps(LENS.to_wa_json())
    with stubbed() as (client, stub):
        stub.add_response("get_workload", workload_reply(lenses=["wellarchitected", LENS_ARN]))
        stub.add_response(
            "list_lenses",
            {
                "LensSummaries": [
                    {"LensArn": LENS_ARN, "LensName": LENS.name, "LensVersion": "2022"}
                ]
            },
        )
        stub.add_response("export_lens", {"LensJSON": exported}, {"LensAlias": LENS_ARN})
        stub.add_response("get_answer", answer_reply(choices(LENS), lens_alias=LENS_ARN))
        stub.add_response("list_milestones", milestones_reply([]))
        options = PushOptions(WORKLOAD_ID, None, "r", custom_lens=True, milestone="m")
        result = run_push(WaTool(client), LENS, report(), options, apply=False)
    assert [(s.operation, s.done) for s in result.steps.items] == [
        ("ImportLens", False),
        ("UpdateAnswer", False),
        ("CreateMilestone", False),
    ]
    assert "reused" in result.steps.items[0].result


def test_custom_lens_version_taken_by_other_content_is_refused() -> None:
    changed = LENS.to_wa_json()
    changed["pillars"][0]["questions"][0]["title"] = "Another question"
    with stubbed() as (client, stub):
        stub.add_response("get_workload", workload_reply())
        stub.add_response(
            "list_lenses",
            {
                "LensSummaries": [
                    {"LensArn": LENS_ARN, "LensName": LENS.name, "LensVersion": "2022"}
                ]
            },
        )
        stub.add_response("export_lens", {"LensJSON": json.dumps(changed)})
        with pytest.raises(WaToolError, match="give the lens file a new version"):
            run_push(
                WaTool(client),
                LENS,
                report(),
                PushOptions(WORKLOAD_ID, None, "r", custom_lens=True),
                True,
            )
