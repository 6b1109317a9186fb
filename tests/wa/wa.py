"""Test data for the WA Tool tests: review reports and WA Tool answers, as plain data.

The WA Tool client is a real botocore client under ``Stubber``: requests and responses
are checked against the service model installed with botocore.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import botocore.session
from botocore.stub import Stubber

from wellsec.lens import Lens, load_lens
from wellsec.render.json_report import SCHEMA
from wellsec.saved_review import ReviewReport, parse_report
from wellsec.wa.client import PUSH_ACTIONS

WORKLOAD_ID = "0123456789abcdef0123456789abcdef"
OTHER_ID = "fedcba9876543210fedcba9876543210"
OWNER_ACCOUNT = "111111111111"
WORKLOAD_ARN = f"arn:aws:wellarchitected:us-east-1:{OWNER_ACCOUNT}:workload/{WORKLOAD_ID}"
UPDATED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
GENERATED = "2026-11-28T10:00:00+00:00"
NONE_OF_THESE = "sec_securely_operate_no"
EXTRA = ("sec_securely_operate_extra_practice", "A practice the lens does not know")
FINDING_STATUS = {"MET": "PASS", "NOT_MET": "FAIL", "UNKNOWN": "UNKNOWN"}


def wa_client() -> Any:
    return botocore.session.get_session().create_client(
        "wellarchitected",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@contextmanager
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    """A WA Tool client whose answers are queued on the Stubber; every one must be used,
    and every operation called must be one wellsec declares (``PUSH_ACTIONS``)."""
    client = wa_client()
    called: set[str] = set()

    def note(model: Any, **_: Any) -> None:
        called.add(f"wellarchitected:{model.name}")

    client.meta.events.register("before-parameter-build.wellarchitected", note)
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()
    assert called <= set(PUSH_ACTIONS), called - set(PUSH_ACTIONS)


def capture(client: Any, operation: str) -> list[dict[str, Any]]:
    """The parameters of every ``operation`` request the client makes."""
    seen: list[dict[str, Any]] = []

    def keep(params: dict[str, Any], **_: Any) -> None:
        seen.append(dict(params))

    client.meta.events.register(f"provide-client-params.wellarchitected.{operation}", keep)
    return seen


def report_data(
    statuses: dict[str, str] | None = None,
    lens: Lens | None = None,
    message: str = "evidence",
    workload: str = "payments",
) -> dict[str, Any]:
    """A ``wellsec.review/1`` report: every practice MET unless ``statuses`` says otherwise;
    one finding per practice whose status matches."""
    lens = lens or load_lens("sec01@2022")
    statuses = statuses or {}
    practices, findings = [], []
    for bp in lens.best_practices:
        status = statuses.get(bp.id, "MET")
        practices.append(
            {
                "id": bp.id,
                "choice_id": bp.choice_id,
                "title": bp.title,
                "status": status,
                "risk_if_missing": bp.risk_if_missing.value,
                "assessment": "automated",
                "note": {"MET": "met", "NOT_APPLICABLE": "does not apply"}.get(
                    status, "1 failing" if status == "NOT_MET" else "1 unknown"
                ),
                "accounts": {},
            }
        )
        findings.append(
            {
                "check": f"check_{bp.id[-4:].lower()}",
                "best_practice": bp.id,
                "status": FINDING_STATUS.get(status, "NOT_APPLICABLE"),
                "severity": "high",
                "account": "222222222222",
                "region": "us-east-1",
                "resource": "arn:aws:::222222222222",
                "message": f"{bp.id} {message}",
            }
        )
    selected = frozenset(
        p["choice_id"] for p in practices if p["status"] in {"MET", "NOT_APPLICABLE"}
    )
    return {
        "schema": SCHEMA,
        "generated_at": GENERATED,
        "tool": {"name": "wellsec", "version": "test"},
        "workload": {"name": workload, "environment": "production", "owner": None, "regions": []},
        "lens": {"id": lens.id, "version": lens.version, "name": lens.name},
        "question": {"id": lens.wa_question_id, "title": "SEC 1", "risk": lens.risk_for(selected)},
        "complete": True,
        "best_practices": practices,
        "findings": findings,
        "improvement_plan": [],
        "scan": {
            "accounts": [
                {"id": OWNER_ACCOUNT, "name": "mgmt", "role": "management", "status": "SCANNED"},
                {"id": "222222222222", "name": "prod", "role": "member", "status": "SCANNED"},
            ],
            "regions": ["us-east-1", "eu-west-1"],
        },
        "notes": [],
    }


def report(statuses: dict[str, str] | None = None, **kwargs: Any) -> ReviewReport:
    return parse_report(report_data(statuses, **kwargs), "review.json")


def choices(lens: Lens, extra: Iterable[tuple[str, str]] = (EXTRA,)) -> list[tuple[str, str]]:
    """The workload question's choices: the lens's in reverse order, extras, None of these."""
    found = [(bp.choice_id, bp.title) for bp in reversed(lens.best_practices)]
    return [*found, *extra, (NONE_OF_THESE, "None of these")]


def answer_reply(
    choice_list: list[tuple[str, str]],
    selected: Iterable[str] = (),
    choice_answers: Iterable[dict[str, Any]] = (),
    notes: str | None = None,
    risk: str = "HIGH",
    lens_alias: str = "wellarchitected",
    question_id: str = "securely-operate",
    applicable: bool = True,
) -> dict[str, Any]:
    """GetAnswer's (or UpdateAnswer's) reply."""
    answer: dict[str, Any] = {
        "QuestionId": question_id,
        "PillarId": "security",
        "QuestionTitle": "How do you securely operate your workload?",
        "Choices": [
            {"ChoiceId": cid, "Title": title, "Description": f"{title}."}
            for cid, title in choice_list
        ],
        "SelectedChoices": list(selected),
        "ChoiceAnswers": list(choice_answers),
        "IsApplicable": applicable,
        "Risk": risk,
    }
    if notes is not None:
        answer["Notes"] = notes
    return {"WorkloadId": WORKLOAD_ID, "LensAlias": lens_alias, "Answer": answer}


def workload_reply(
    owner: str | None = "owner@example.com",
    lenses: Iterable[str] = ("wellarchitected",),
    workload_id: str = WORKLOAD_ID,
    name: str = "payments",
) -> dict[str, Any]:
    workload: dict[str, Any] = {
        "WorkloadId": workload_id,
        "WorkloadArn": WORKLOAD_ARN.replace(WORKLOAD_ID, workload_id),
        "WorkloadName": name,
        "Environment": "PRODUCTION",
        "UpdatedAt": UPDATED,
        "Lenses": list(lenses),
    }
    if owner is not None:
        workload["ReviewOwner"] = owner
    return {"Workload": workload}


def milestones_reply(names: Iterable[str], next_token: str | None = None) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "WorkloadId": WORKLOAD_ID,
        "MilestoneSummaries": [
            {"MilestoneNumber": i + 1, "MilestoneName": name} for i, name in enumerate(names)
        ],
    }
    if next_token:
        reply["NextToken"] = next_token
    return reply
