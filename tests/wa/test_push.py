"""Push a review to the WA Tool, against the service model (botocore Stubber)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import ANY

from tests.wa.wa import (
    EXTRA,
    NONE_OF_THESE,
    WORKLOAD_ID,
    answer_reply,
    capture,
    choices,
    milestones_reply,
    report,
    stubbed,
    workload_reply,
)
from wellsec.lens import load_lens
from wellsec.wa.client import WaTool, WaToolError
from wellsec.wa.notes import CHOICE_LIMIT, MARK, QUESTION_LIMIT
from wellsec.wa.push_run import PushOptions, milestone_name, run_push

LENS = load_lens("sec01@2022")
IDS = {bp.id: bp.choice_id for bp in LENS.best_practices}
STATUSES = {
    "SEC01-BP02": "NOT_MET",
    "SEC01-BP03": "NOT_APPLICABLE",
    "SEC01-BP04": "UNKNOWN",
    "SEC01-BP07": "NOT_MET",
}
NAME = "wellsec review of 2026-11-28 10:00:00 UTC"


def options(**changes: Any) -> PushOptions:
    base: dict[str, Any] = {
        "workload_id": WORKLOAD_ID,
        "create": None,
        "pointer": "https://reports.example.com/payments/latest.html",
        "milestone": NAME,
    }
    return PushOptions(**{**base, **changes})


def read_answer_calls(stub: Any, reply: dict[str, Any]) -> None:
    stub.add_response("get_workload", workload_reply(), {"WorkloadId": WORKLOAD_ID})
    stub.add_response(
        "get_answer",
        reply,
        {
            "WorkloadId": WORKLOAD_ID,
            "LensAlias": "wellarchitected",
            "QuestionId": "securely-operate",
        },
    )


def test_choices_are_matched_by_id_and_the_answer_is_applied() -> None:
    before = answer_reply(
        choices(LENS),
        selected=[IDS["SEC01-BP04"], IDS["SEC01-BP02"], EXTRA[0]],
        choice_answers=[
            {"ChoiceId": IDS["SEC01-BP02"], "Status": "SELECTED", "Notes": "we think so"}
        ],
    )
    with stubbed() as (client, stub):
        updates = capture(client, "UpdateAnswer")
        read_answer_calls(stub, before)
        stub.add_response("update_answer", answer_reply(choices(LENS), risk="HIGH"))
        stub.add_response(
            "list_milestones",
            milestones_reply(["first"], next_token="page2"),
            {"WorkloadId": WORKLOAD_ID, "MaxResults": 50},
        )
        stub.add_response(
            "list_milestones",
            milestones_reply(["second"]),
            {"WorkloadId": WORKLOAD_ID, "MaxResults": 50, "NextToken": "page2"},
        )
        stub.add_response(
            "create_milestone",
            {"WorkloadId": WORKLOAD_ID, "MilestoneNumber": 3},
            {"WorkloadId": WORKLOAD_ID, "MilestoneName": NAME, "ClientRequestToken": ANY},
        )
        result = run_push(WaTool(client), LENS, report(STATUSES), options(), apply=True)
    [sent] = updates
    order = [cid for cid, _ in choices(LENS)]
    met = {IDS[b] for b in IDS if b not in STATUSES}
    # MET selected; UNKNOWN keeps the person's selection; the unknown choice stays selected.
    expected = [c for c in order if c in met | {IDS["SEC01-BP04"], EXTRA[0]}]
    assert sent["SelectedChoices"] == expected
    updates_by_id = sent["ChoiceUpdates"]
    assert set(updates_by_id) == set(IDS.values())  # only the lens's choices are touched
    assert updates_by_id[IDS["SEC01-BP02"]]["Status"] == "UNSELECTED"
    assert updates_by_id[IDS["SEC01-BP03"]] == {
        "Status": "NOT_APPLICABLE",
        "Reason": "OUT_OF_SCOPE",
        "Notes": updates_by_id[IDS["SEC01-BP03"]]["Notes"],
    }
    assert updates_by_id[IDS["SEC01-BP04"]]["Status"] == "SELECTED"
    assert "Reason" not in updates_by_id[IDS["SEC01-BP01"]]
    for update in updates_by_id.values():
        assert len(update["Notes"]) <= CHOICE_LIMIT
        assert update["Notes"].startswith(MARK)
        assert "reports.example.com" in update["Notes"]
    # A person's note outside wellsec's block is kept.
    assert updates_by_id[IDS["SEC01-BP02"]]["Notes"].endswith("we think so")
    assert updates_by_id[IDS["SEC01-BP02"]]["Notes"].startswith("[wellsec] NOT MET: 1 failing")
    assert len(sent["Notes"]) <= QUESTION_LIMIT
    assert "SEC01-BP02 NOT MET" in sent["Notes"] and "SEC01-BP03 NOT APPLICABLE" in sent["Notes"]
    assert result.risk_after == "HIGH"
    assert result.milestone == f"milestone 3 {NAME!r} created"
    assert [s.operation for s in result.steps.items] == ["UpdateAnswer", "CreateMilestone"]
    assert result.plan.workload_only == (EXTRA,)


def test_a_dry_run_only_reads() -> None:
    with stubbed() as (client, stub):
        read_answer_calls(stub, answer_reply(choices(LENS)))
        stub.add_response("list_milestones", milestones_reply([]))
        # Any write would fail here: the Stubber has no answer queued for it.
        result = run_push(WaTool(client), LENS, report(STATUSES), options(), apply=False)
    assert [(s.operation, s.done) for s in result.steps.items] == [
        ("UpdateAnswer", False),
        ("CreateMilestone", False),
    ]
    changes = {c.practice: (c.before, c.after) for c in result.plan.choices}
    assert changes["SEC01-BP01"] == ("UNSELECTED", "SELECTED")
    assert changes["SEC01-BP03"] == ("UNSELECTED", "NOT_APPLICABLE")
    assert changes["SEC01-BP04"] == ("UNSELECTED", "UNSELECTED")  # UNKNOWN selects nothing


def test_choices_only_one_side_knows_are_reported_and_left_alone() -> None:
    lens_2025 = load_lens("sec01@2025")
    workload_choices = choices(lens_2025, extra=())
    with stubbed() as (client, stub):
        updates = capture(client, "UpdateAnswer")
        read_answer_calls(stub, answer_reply(workload_choices))
        stub.add_response("list_milestones", milestones_reply([]))
        result = run_push(WaTool(client), LENS, report(), options(), apply=False)
    assert updates == []
    plan = result.plan
    new_ids = {
        "sec_securely_operate_reduce_management_scope",
        "sec_securely_operate_automate_security_controls",
    }
    assert {cid for cid, _ in plan.workload_only} == new_ids
    assert {practice for practice, _ in plan.lens_only} == {"SEC01-BP05", "SEC01-BP06"}
    assert all(c.choice_id not in new_ids for c in plan.choices)


def test_a_2022_review_pushed_with_the_2025_lens_matches_by_choice_id() -> None:
    lens_2025 = load_lens("sec01@2025")
    with stubbed() as (client, stub):
        read_answer_calls(stub, answer_reply(choices(lens_2025, extra=())))
        stub.add_response("list_milestones", milestones_reply([]))
        result = run_push(WaTool(client), lens_2025, report(), options(), apply=False)
    plan = result.plan
    assert {p for p, _ in plan.review_only} == {"SEC01-BP05", "SEC01-BP06"}
    assert {p for p, _ in plan.not_reviewed} == {"SEC01-BP05", "SEC01-BP06"}
    pushed = {c.choice_id for c in plan.choices}
    assert "sec_securely_operate_updated_threats" in pushed  # same id in both versions
    assert "sec_securely_operate_reduce_management_scope" not in pushed


def test_none_of_these_when_every_practice_is_missing() -> None:
    every = {bp: "NOT_MET" for bp in IDS}
    with stubbed() as (client, stub):
        read_answer_calls(stub, answer_reply(choices(LENS), selected=[EXTRA[0]]))
        stub.add_response("list_milestones", milestones_reply([]))
        plan = run_push(WaTool(client), LENS, report(every), options(), apply=False).plan
    assert plan.selected == (EXTRA[0],)  # a choice the lens does not know stays
    with stubbed() as (client, stub):
        read_answer_calls(stub, answer_reply(choices(LENS)))
        stub.add_response("list_milestones", milestones_reply([]))
        plan = run_push(WaTool(client), LENS, report(every), options(), apply=False).plan
    assert plan.selected == (NONE_OF_THESE,)


def test_every_practice_not_applicable_makes_the_question_not_applicable() -> None:
    every = {bp: "NOT_APPLICABLE" for bp in IDS}
    with stubbed() as (client, stub):
        read_answer_calls(stub, answer_reply(choices(LENS)))
        plan = run_push(
            WaTool(client), LENS, report(every), options(milestone=None, na_reason="OTHER"), False
        ).plan
    params = plan.update_params()
    assert params["IsApplicable"] is False and params["Reason"] == "OTHER"
    assert all(u["Reason"] == "OTHER" for u in params["ChoiceUpdates"].values())


def test_an_unknown_workload_is_bad_input() -> None:
    with stubbed() as (client, stub):
        stub.add_client_error(
            "get_workload",
            service_error_code="ResourceNotFoundException",
            service_message="No workload found",
            http_status_code=404,
        )
        with pytest.raises(WaToolError) as caught:
            run_push(WaTool(client), LENS, report(), options(), apply=True)
    assert caught.value.bad_input
    assert str(caught.value) == (
        "Well-Architected Tool GetWorkload: ResourceNotFoundException: No workload found"
    )


def test_access_denied_on_update_is_an_aws_failure() -> None:
    with stubbed() as (client, stub):
        read_answer_calls(stub, answer_reply(choices(LENS)))
        stub.add_client_error(
            "update_answer", service_error_code="AccessDeniedException", http_status_code=403
        )
        with pytest.raises(WaToolError) as caught:
            run_push(WaTool(client), LENS, report(), options(), apply=True)
    assert caught.value.code == "AccessDeniedException" and not caught.value.bad_input


@pytest.mark.parametrize(
    ("existing", "error", "expected", "failed"),
    [
        ([f"m{i:03d}" for i in range(100)], None, "the workload has 100 milestones", True),
        ([NAME], None, "exists already (number 1); not created again", False),
        (["older"], "ConflictException", "no milestone created: ConflictException", True),
        (["older"], "ServiceQuotaExceededException", "no milestone created", True),
    ],
)
def test_milestone_limit_and_conflicts(
    existing: list[str], error: str | None, expected: str, failed: bool
) -> None:
    with stubbed() as (client, stub):
        read_answer_calls(stub, answer_reply(choices(LENS)))
        stub.add_response("update_answer", answer_reply(choices(LENS)))
        stub.add_response("list_milestones", milestones_reply(existing))
        if error:
            stub.add_client_error("create_milestone", service_error_code=error)
        result = run_push(WaTool(client), LENS, report(), options(), apply=True)
    assert result.milestone is not None and expected in result.milestone
    assert result.milestone_failed is failed
    assert [s.operation for s in result.steps.items] == ["UpdateAnswer"]


def test_milestone_is_named_after_the_review() -> None:
    assert milestone_name(report()) == NAME
    stored = report()
    stored = type(stored)(stored.source, stored.report, review_id=42)
    assert milestone_name(stored) == "wellsec review 42 of 2026-11-28 10:00:00 UTC"
