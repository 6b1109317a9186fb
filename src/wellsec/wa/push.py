"""Plan the SEC 1 answer a review gives a WA Tool workload (pure: no calls here).

Choices are matched by id, never by position: the review's practices to the lens's by
choice id, and the lens's choice ids to those ``GetAnswer`` returned. MET selects a choice,
NOT_MET unselects it, NOT_APPLICABLE marks it so with a reason, and UNKNOWN leaves the
workload's answer as it is (unknown is never a pass, nor evidence against a person's answer).
Choices only the workload has, or only the lens has, are reported and left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from wellsec.lens.model import Lens
from wellsec.report.model import PracticeStatus
from wellsec.saved_review import PracticeOutcome, ReviewReport
from wellsec.wa.notes import (
    CHOICE_LIMIT,
    QUESTION_LIMIT,
    choice_lines,
    compose,
    question_lines,
)

REASONS = ("OUT_OF_SCOPE", "BUSINESS_PRIORITIES", "ARCHITECTURE_CONSTRAINTS", "OTHER", "NONE")
NEW = "(new)"  # status shown for a workload that does not exist yet


@dataclass(frozen=True)
class Target:
    """Where the answer goes: a workload (None until created), a lens alias, a question."""

    workload_id: str | None
    lens_alias: str
    question_id: str


@dataclass(frozen=True)
class ChoicePlan:
    """One lens practice's choice: its status before and after, and its note."""

    choice_id: str
    practice: str
    title: str
    review_status: PracticeStatus
    before: str
    after: str
    reason: str | None
    notes: str
    before_notes: str

    @property
    def changed(self) -> bool:
        return self.before != self.after or self.notes != self.before_notes


@dataclass(frozen=True)
class PushPlan:
    target: Target
    choices: tuple[ChoicePlan, ...]
    selected: tuple[str, ...]
    before_selected: tuple[str, ...]
    question_notes: str
    before_notes: str
    applicable: bool | None  # None: leave IsApplicable as it is
    reason: str | None
    workload_only: tuple[tuple[str, str], ...] = ()  # (choice id, title) the lens lacks
    lens_only: tuple[tuple[str, str], ...] = ()  # (practice, choice id) the workload lacks
    review_only: tuple[tuple[str, str], ...] = ()  # (practice, choice id) the lens lacks
    not_reviewed: tuple[tuple[str, str], ...] = ()  # lens practices the review lacks
    resolved: bool = True  # False: no answer read yet (the workload is still to be made)
    risk_before: str | None = None
    notes: tuple[str, ...] = field(default=())

    def update_params(self, workload_id: str | None = None) -> dict[str, Any]:
        """The UpdateAnswer request, exactly."""
        params: dict[str, Any] = {
            "WorkloadId": workload_id or self.target.workload_id or NEW,
            "LensAlias": self.target.lens_alias,
            "QuestionId": self.target.question_id,
            "SelectedChoices": list(self.selected),
            "ChoiceUpdates": {
                c.choice_id: {
                    "Status": c.after,
                    **({"Reason": c.reason} if c.reason else {}),
                    "Notes": c.notes,
                }
                for c in self.choices
            },
            "Notes": self.question_notes,
        }
        if self.applicable is not None:
            params["IsApplicable"] = self.applicable
            if not self.applicable and self.reason:
                params["Reason"] = self.reason
        return params


def _before(answer: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Each choice's status and notes in the workload's answer."""
    selected = set(answer.get("SelectedChoices", []))
    status = {
        str(c["ChoiceId"]): "SELECTED" if c["ChoiceId"] in selected else "UNSELECTED"
        for c in answer.get("Choices", [])
    }
    notes: dict[str, str] = {}
    for ca in answer.get("ChoiceAnswers", []):
        status[str(ca["ChoiceId"])] = str(ca.get("Status") or status.get(ca["ChoiceId"]))
        notes[str(ca["ChoiceId"])] = str(ca.get("Notes") or "")
    return status, notes


AFTER = {
    PracticeStatus.MET: "SELECTED",
    PracticeStatus.NOT_MET: "UNSELECTED",
    PracticeStatus.NOT_APPLICABLE: "NOT_APPLICABLE",
}


def _after(review_status: PracticeStatus, before: str) -> str:
    """The choice's status after the push: UNKNOWN leaves it as it was."""
    return AFTER.get(review_status, before if before != NEW else "UNSELECTED")


def plan_push(
    lens: Lens,
    report: ReviewReport,
    answer: dict[str, Any] | None,
    target: Target,
    pointer: str,
    na_reason: str = "OUT_OF_SCOPE",
) -> PushPlan:
    """The answer to send: ``answer`` is GetAnswer's (None when the workload is new)."""
    if na_reason not in REASONS:
        raise ValueError(f"unknown reason {na_reason!r}")
    outcomes = report.by_choice()
    lens_ids = {bp.choice_id for bp in lens.best_practices}
    review_only = tuple(
        (p.id, p.choice_id) for p in report.practices if p.choice_id not in lens_ids
    )
    workload_choices = (
        {str(c["ChoiceId"]): str(c.get("Title", "")) for c in answer.get("Choices", [])}
        if answer is not None
        else {}
    )
    before, before_notes = _before(answer) if answer is not None else ({}, {})
    none_ids = [cid for cid in workload_choices if cid.endswith("_no")]
    plans: list[ChoicePlan] = []
    pushed: list[PracticeOutcome] = []
    lens_only: list[tuple[str, str]] = []
    not_reviewed: list[tuple[str, str]] = []
    for bp in lens.best_practices:
        outcome = outcomes.get(bp.choice_id)
        if outcome is None:
            not_reviewed.append((bp.id, bp.choice_id))
            continue
        if answer is not None and bp.choice_id not in workload_choices:
            lens_only.append((bp.id, bp.choice_id))
            continue
        was = before.get(bp.choice_id, "UNSELECTED") if answer is not None else NEW
        after = _after(outcome.status, was)
        old_note = before_notes.get(bp.choice_id, "")
        plans.append(
            ChoicePlan(
                choice_id=bp.choice_id,
                practice=bp.id,
                title=bp.title,
                review_status=outcome.status,
                before=was,
                after=after,
                reason=na_reason if after == "NOT_APPLICABLE" else None,
                notes=compose(choice_lines(report, outcome), pointer, old_note, CHOICE_LIMIT),
                before_notes=old_note,
            )
        )
        pushed.append(outcome)
    planned = {c.choice_id: c.after for c in plans}
    others = [cid for cid in workload_choices if cid not in planned and cid not in none_ids]
    chosen = [
        cid
        for cid in (list(workload_choices) if answer is not None else [c.choice_id for c in plans])
        if planned.get(cid) == "SELECTED" or (cid in others and before.get(cid) == "SELECTED")
    ]
    if not chosen and none_ids:
        all_missing = bool(plans) and all(c.review_status is PracticeStatus.NOT_MET for c in plans)
        if all_missing or before.get(none_ids[0]) == "SELECTED":
            chosen = [none_ids[0]]
    applicable: bool | None = None
    if plans and all(c.after == "NOT_APPLICABLE" for c in plans):
        applicable = False
    elif answer is not None and answer.get("IsApplicable") is False:
        applicable = True
    old_notes = str(answer.get("Notes") or "") if answer is not None else ""
    return PushPlan(
        target=target,
        choices=tuple(plans),
        selected=tuple(chosen),
        before_selected=tuple(str(c) for c in (answer or {}).get("SelectedChoices", [])),
        question_notes=compose(question_lines(report, pushed), pointer, old_notes, QUESTION_LIMIT),
        before_notes=old_notes,
        applicable=applicable,
        reason=na_reason if applicable is False else None,
        # lens choices the review did not assess are in ``not_reviewed``, not here
        workload_only=tuple((cid, workload_choices[cid]) for cid in others if cid not in lens_ids),
        lens_only=tuple(lens_only),
        review_only=review_only,
        not_reviewed=tuple(not_reviewed),
        resolved=answer is not None,
        risk_before=str(answer["Risk"]) if answer and answer.get("Risk") else None,
    )


def describe_plan(plan: PushPlan) -> list[str]:
    """The plan in words: every choice's change, the notes, what was left alone."""
    lines = []
    for c in plan.choices:
        change = f"{c.before} -> {c.after}" if c.before != c.after else f"{c.after} (unchanged)"
        reason = f", reason {c.reason}" if c.reason else ""
        lines.append(f"  {c.practice} {c.choice_id}: {change}{reason}  [review: {c.review_status}]")
        lines.append(f"      note: {c.notes!r}")
    if not plan.resolved:
        lines.append("  (choice ids are matched against GetAnswer once the workload exists)")
    lines.append(f"  selected choices: {', '.join(plan.selected) or '(none)'}")
    if plan.applicable is not None:
        lines.append(f"  question applicable: {plan.applicable}")
    lines.append(f"  question notes ({len(plan.question_notes)} characters):")
    lines += [f"      {line}" for line in plan.question_notes.splitlines()]
    lines += _left_alone(plan)
    return lines


def _left_alone(plan: PushPlan) -> list[str]:
    out: list[str] = []
    groups: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (
        ("choices the lens does not know (left as they are)", plan.workload_only),
        ("lens practices the workload's question does not have (not pushed)", plan.lens_only),
        ("review practices the lens does not have (not pushed)", plan.review_only),
        ("lens practices the review did not assess (not pushed)", plan.not_reviewed),
    )
    for title, items in groups:
        if items:
            out.append(f"  {title}:")
            out += [f"      {a} {b}".rstrip() for a, b in items]
    return out
