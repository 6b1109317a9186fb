"""Pull a workload's SEC 1 answer: attestations, what a wellsec push set, disagreements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.checks.builders import NOW, OrgBuilder, every_attestation
from tests.wa.wa import (
    EXTRA,
    UPDATED,
    WORKLOAD_ID,
    answer_reply,
    choices,
    report,
    stubbed,
    workload_reply,
)
from wellsec.lens import load_lens
from wellsec.review import PracticeStatus, evaluate
from wellsec.wa.client import WaTool, WaToolError
from wellsec.wa.pull import PulledAnswer, disagreements, read_answer, to_attestations, workload_link
from wellsec.workload import Workload

LENS = load_lens("sec01@2022")
IDS = {bp.id: bp.choice_id for bp in LENS.best_practices}
LINK = workload_link("us-east-1", WORKLOAD_ID)


def pulled(
    selected: list[str],
    choice_answers: list[dict[str, str]] | None = None,
    owner: str = "owner@example.com",
) -> PulledAnswer:
    with stubbed() as (client, stub):
        stub.add_response("get_workload", workload_reply(owner), {"WorkloadId": WORKLOAD_ID})
        stub.add_response(
            "get_answer",
            answer_reply(choices(LENS), selected=selected, choice_answers=choice_answers or []),
            {
                "WorkloadId": WORKLOAD_ID,
                "LensAlias": "wellarchitected",
                "QuestionId": "securely-operate",
            },
        )
        return read_answer(WaTool(client), WORKLOAD_ID, "wellarchitected", "securely-operate")


def test_people_selections_become_attestations_by_the_review_owner() -> None:
    answer = pulled(
        [IDS["SEC01-BP01"], IDS["SEC01-BP03"], IDS["SEC01-BP07"], EXTRA[0]],
        [{"ChoiceId": IDS["SEC01-BP03"], "Status": "SELECTED", "Notes": "Compliance owner: Jo"}],
    )
    made, messages = to_attestations(answer, LENS, LINK)
    assert {a.id for a in made} == {"compliance_requirements_identified", "threat_model_maintained"}
    for attestation in made:
        assert attestation.by == "owner@example.com"
        assert attestation.date == UPDATED.date()
        assert attestation.evidence == LINK
    compliance = next(a for a in made if a.id == "compliance_requirements_identified")
    assert compliance.note is not None and compliance.note.endswith(
        "Notes there: Compliance owner: Jo"
    )
    assert "SEC01-BP01: selected; only automated evidence decides it in wellsec" in messages
    assert f"choice {EXTRA[0]} ({EXTRA[1]}) is not in lens sec01@2022: ignored" in messages


def test_choices_a_wellsec_push_set_are_not_people_answers() -> None:
    answer = pulled(
        [IDS["SEC01-BP07"], IDS["SEC01-BP08"]],
        [
            # Selected by a push and untouched since: not a person's answer.
            {
                "ChoiceId": IDS["SEC01-BP07"],
                "Status": "SELECTED",
                "Notes": "[wellsec] MET: ok [/wellsec]",
            },
            # Pushed as not met, then selected by a person: it counts.
            {
                "ChoiceId": IDS["SEC01-BP08"],
                "Status": "SELECTED",
                "Notes": "[wellsec] NOT MET: 1 failing [/wellsec]",
            },
        ],
    )
    made, messages = to_attestations(answer, LENS, LINK)
    assert [a.id for a in made] == [s.id for s in LENS.practice("SEC01-BP08").attestations]
    assert "SEC01-BP07: selected by a wellsec push, not by a person: skipped" in messages


def test_an_answer_without_an_update_time_gives_nothing() -> None:
    answer = pulled([IDS["SEC01-BP07"]])
    undated = type(answer)(
        answer.workload.__class__(**{**answer.workload.__dict__, "updated_at": None}),
        answer.lens_alias,
        answer.question_id,
        answer.risk,
        answer.applicable,
        answer.choices,
    )
    assert to_attestations(undated, LENS, LINK)[0] == []


def test_pulled_attestations_count_until_automated_evidence_says_otherwise(
    tmp_path: Path,
) -> None:
    answer = pulled([IDS["SEC01-BP07"]], owner="app-owner@example.com")
    made, _ = to_attestations(answer, LENS, LINK)
    others = [a for a in every_attestation(NOW.date()) if a.id != "threat_model_maintained"]
    snapshot = OrgBuilder.standard().build()
    remote = Workload(
        name="payments",
        threat_model=["https://git.example.com/payments/threat-model.tc.json"],
        attestations=others,
    )
    pulled_in = [*others, *made]

    def bp07(workload: Workload, now: dt.datetime = NOW) -> PracticeStatus:
        review = evaluate(snapshot, workload, LENS, now=now)
        return next(r.status for r in review.practices if r.practice.id == "SEC01-BP07")

    assert bp07(remote) is PracticeStatus.NOT_MET
    # The person's answer speaks for the threat model wellsec cannot read.
    assert bp07(remote.model_copy(update={"attestations": pulled_in})) is PracticeStatus.MET
    # ... until it ages out,
    later = NOW + dt.timedelta(days=400)
    assert bp07(remote.model_copy(update={"attestations": pulled_in}), later) is not (
        PracticeStatus.MET
    )
    # ... or automated evidence says otherwise: the declared model is not there.
    missing = remote.model_copy(
        update={"attestations": pulled_in, "threat_model": [str(tmp_path / "gone.tc.json")]}
    )
    assert bp07(missing) is PracticeStatus.NOT_MET


def test_disagreements_with_a_review() -> None:
    answer = pulled(
        [IDS["SEC01-BP02"], IDS["SEC01-BP04"]],
        [
            {
                "ChoiceId": IDS["SEC01-BP05"],
                "Status": "NOT_APPLICABLE",
                "Reason": "BUSINESS_PRIORITIES",
            }
        ],
    )
    review = report({"SEC01-BP02": "NOT_MET", "SEC01-BP04": "UNKNOWN", "SEC01-BP06": "NOT_MET"})
    found = {d.practice: d.text for d in disagreements(answer, LENS, review)}
    assert found == {
        "SEC01-BP01": "the review found it met, but the WA Tool does not select it",
        "SEC01-BP02": "selected in the WA Tool, but the review found it not met (1 failing)",
        "SEC01-BP03": "the review found it met, but the WA Tool does not select it",
        "SEC01-BP05": (
            "not applicable in the WA Tool (BUSINESS_PRIORITIES), but the review found it met"
        ),
        "SEC01-BP07": "the review found it met, but the WA Tool does not select it",
        "SEC01-BP08": "the review found it met, but the WA Tool does not select it",
    }


def test_get_answer_errors_are_translated() -> None:
    with stubbed() as (client, stub):
        stub.add_response("get_workload", workload_reply())
        stub.add_client_error("get_answer", service_error_code="ThrottlingException")
        with pytest.raises(WaToolError, match="GetAnswer: ThrottlingException"):
            read_answer(WaTool(client), WORKLOAD_ID, "wellarchitected", "securely-operate")
