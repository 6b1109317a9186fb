"""Push picks the lens version from the choices the workload's question shows (Stubber)."""

from __future__ import annotations

from typing import Any

from tests.wa.wa import (
    NONE_OF_THESE,
    WORKLOAD_ID,
    answer_reply,
    capture,
    choices,
    report,
    stubbed,
    workload_reply,
)
from wellsec.lens import load_lens
from wellsec.wa.client import WaTool
from wellsec.wa.push_run import PushOptions, PushResult, run_push, workload_lens

SEED, CURRENT = load_lens("sec01@2022"), load_lens("sec01@2025")
SCOPE = "sec_securely_operate_reduce_management_scope"
CONTROLS = "sec_securely_operate_automate_security_controls"
RECOMMENDATIONS = "sec_securely_operate_updated_recommendations"
PIPELINE = "sec_securely_operate_test_validate_pipeline"


def _push(
    review_lens: Any,
    workload_choices: list[tuple[str, str]],
    follow: bool = True,
    selected: tuple[str, ...] = (),
) -> tuple[PushResult, dict[str, Any]]:
    review = report({"SEC01-BP05": "NOT_MET"}, lens=review_lens)
    with stubbed() as (client, stub):
        sent = capture(client, "UpdateAnswer")
        stub.add_response("get_workload", workload_reply(), {"WorkloadId": WORKLOAD_ID})
        stub.add_response(
            "get_answer",
            answer_reply(workload_choices, selected),
            {
                "WorkloadId": WORKLOAD_ID,
                "LensAlias": "wellarchitected",
                "QuestionId": "securely-operate",
            },
        )
        stub.add_response("update_answer", answer_reply(workload_choices, risk="MEDIUM"))
        options = PushOptions(WORKLOAD_ID, None, "review 7", follow_workload=follow)
        result = run_push(WaTool(client), review_lens, review, options, apply=True)
    [params] = sent
    return result, params


def test_a_2025_review_to_a_workload_on_the_2025_lens() -> None:
    result, params = _push(CURRENT, choices(CURRENT, extra=()))
    assert result.lens is not None and result.lens.key == "sec01@2025"
    assert set(params["ChoiceUpdates"]) == {bp.choice_id for bp in CURRENT.best_practices}
    assert params["ChoiceUpdates"][SCOPE]["Status"] == "UNSELECTED"  # BP05 not met
    assert params["ChoiceUpdates"][CONTROLS]["Status"] == "SELECTED"
    assert SCOPE not in params["SelectedChoices"] and CONTROLS in params["SelectedChoices"]
    assert NONE_OF_THESE not in params["SelectedChoices"]
    plan = result.plan
    assert not plan.lens_only and not plan.review_only and not plan.not_reviewed
    assert {c.practice: c.title for c in plan.choices}["SEC01-BP05"] == (
        "Reduce security management scope"
    )
    assert result.risk_after == "MEDIUM"


def test_a_2022_review_to_a_workload_on_the_2025_lens_pushes_what_both_share() -> None:
    result, params = _push(SEED, choices(CURRENT, extra=()), selected=(SCOPE,))
    assert result.lens is not None and result.lens.key == "sec01@2025"
    assert SCOPE in params["SelectedChoices"]  # a person's answer the review cannot judge
    # practices both versions share go by choice id; the rest is left as the workload has it
    assert set(params["ChoiceUpdates"]) == {
        bp.choice_id for bp in CURRENT.best_practices if bp.choice_id not in {SCOPE, CONTROLS}
    }
    assert {cid for _, cid in result.plan.not_reviewed} == {SCOPE, CONTROLS}
    assert {cid for _, cid in result.plan.review_only} == {RECOMMENDATIONS, PIPELINE}
    assert not result.plan.lens_only and not result.plan.workload_only


def test_a_2025_review_to_a_workload_still_on_the_2022_lens() -> None:
    result, params = _push(CURRENT, choices(SEED))  # with a choice of the question's own
    assert result.lens is not None and result.lens.key == "sec01@2022"
    assert RECOMMENDATIONS not in params["ChoiceUpdates"] and SCOPE not in params["ChoiceUpdates"]
    assert {cid for _, cid in result.plan.review_only} == {SCOPE, CONTROLS}
    assert {cid for _, cid in result.plan.not_reviewed} == {RECOMMENDATIONS, PIPELINE}
    assert [cid for cid, _ in result.plan.workload_only] == ["sec_securely_operate_extra_practice"]


def test_without_following_the_workload_the_review_lens_is_used() -> None:
    result, params = _push(SEED, choices(CURRENT, extra=()), follow=False)
    assert result.lens is not None and result.lens.key == "sec01@2022"
    assert {cid for _, cid in result.plan.lens_only} == {RECOMMENDATIONS, PIPELINE}
    assert {cid for cid, _ in result.plan.workload_only} == {SCOPE, CONTROLS}
    assert SCOPE not in params["ChoiceUpdates"]


def test_a_question_no_version_fits_keeps_the_review_lens() -> None:
    partial = [(c, t) for c, t in choices(CURRENT, extra=()) if c != CONTROLS]
    assert workload_lens(answer_reply(partial)["Answer"], SEED).key == "sec01@2022"
    assert workload_lens(answer_reply(partial)["Answer"], CURRENT).key == "sec01@2025"
    odd = [("sec_securely_operate_mystery", "?")]
    assert workload_lens(answer_reply(odd)["Answer"], CURRENT).key == "sec01@2025"
