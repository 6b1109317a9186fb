"""Read a workload's SEC 1 answer back: people's choices become attestations.

A choice a person selected in the WA Tool becomes the lens's attestations for that
practice, by the workload's review owner and dated when the workload was last updated,
so it counts until automated evidence says otherwise (a failing check still decides) or
the attestation ages out. Choices a wellsec push set are not people's answers and are
skipped. Where the WA Tool and a wellsec review disagree, that is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellsec.lens.model import Lens
from wellsec.report.model import PracticeStatus
from wellsec.saved_review import ReviewReport, clip
from wellsec.wa.client import WaTool, WorkloadInfo
from wellsec.wa.notes import people_text, pushed_status
from wellsec.workload import Attestation

PUSHED_AS = {
    PracticeStatus.MET: "SELECTED",
    PracticeStatus.NOT_MET: "UNSELECTED",
    PracticeStatus.NOT_APPLICABLE: "NOT_APPLICABLE",
}


@dataclass(frozen=True)
class PulledChoice:
    choice_id: str
    title: str
    status: str  # SELECTED | UNSELECTED | NOT_APPLICABLE
    reason: str | None
    notes: str

    @property
    def set_by_wellsec(self) -> bool:
        """The status is the one a wellsec push wrote (a person has not changed it since)."""
        pushed = pushed_status(self.notes)
        return pushed is not None and PUSHED_AS.get(pushed) == self.status


@dataclass(frozen=True)
class PulledAnswer:
    workload: WorkloadInfo
    lens_alias: str
    question_id: str
    risk: str | None
    applicable: bool
    choices: tuple[PulledChoice, ...]

    def choice(self, choice_id: str) -> PulledChoice | None:
        return next((c for c in self.choices if c.choice_id == choice_id), None)


@dataclass(frozen=True)
class Disagreement:
    practice: str
    choice_id: str
    wa_status: str
    review_status: PracticeStatus
    text: str


def parse_answer(
    workload: WorkloadInfo, lens_alias: str, question_id: str, answer: dict[str, Any]
) -> PulledAnswer:
    selected = set(answer.get("SelectedChoices", []))
    details = {str(ca["ChoiceId"]): ca for ca in answer.get("ChoiceAnswers", [])}
    choices = []
    for c in answer.get("Choices", []):
        cid = str(c["ChoiceId"])
        detail = details.get(cid, {})
        status = str(detail.get("Status") or ("SELECTED" if cid in selected else "UNSELECTED"))
        if cid in selected:
            status = "SELECTED"
        choices.append(
            PulledChoice(
                cid,
                str(c.get("Title", "")),
                status,
                detail.get("Reason"),
                str(detail.get("Notes") or ""),
            )
        )
    return PulledAnswer(
        workload=workload,
        lens_alias=lens_alias,
        question_id=question_id,
        risk=answer.get("Risk"),
        applicable=answer.get("IsApplicable", True) is not False,
        choices=tuple(choices),
    )


def read_answer(tool: WaTool, workload_id: str, lens_alias: str, question_id: str) -> PulledAnswer:
    """GetWorkload (who, when) and GetAnswer (the choices)."""
    workload = tool.get_workload(workload_id)
    answer = tool.get_answer(workload_id, lens_alias, question_id)
    return parse_answer(workload, lens_alias, question_id, answer)


def workload_link(region: str, workload_id: str) -> str:
    """The workload's page in the WA Tool console: the evidence of a pulled attestation."""
    return (
        f"https://console.aws.amazon.com/wellarchitected/home?region={region}"
        f"#/workload/{workload_id}/overview"
    )


def to_attestations(
    answer: PulledAnswer, lens: Lens, link: str
) -> tuple[list[Attestation], list[str]]:
    """The attestations people's choices make, and what happened to each lens practice."""
    wl = answer.workload
    messages: list[str] = []
    if wl.updated_at is None:
        return [], ["the workload has no UpdatedAt: its answers cannot be dated, none taken"]
    by = wl.owner or f"owners of WA Tool workload {wl.name}"
    if not answer.applicable:
        return [], ["the question is marked not applicable in the WA Tool: no attestation taken"]
    made: list[Attestation] = []
    for bp in lens.best_practices:
        choice = answer.choice(bp.choice_id)
        if choice is None:
            messages.append(f"{bp.id}: the workload's question has no choice {bp.choice_id}")
            continue
        if choice.status != "SELECTED":
            messages.append(f"{bp.id}: {choice.status.lower().replace('_', ' ')} in the WA Tool")
            continue
        if choice.set_by_wellsec:
            messages.append(f"{bp.id}: selected by a wellsec push, not by a person: skipped")
            continue
        if not bp.attestations:
            messages.append(f"{bp.id}: selected; only automated evidence decides it in wellsec")
            continue
        said = people_text(choice.notes)
        note = f"Selected in the AWS Well-Architected Tool (workload {wl.name}, {bp.choice_id})."
        if said:
            note += f" Notes there: {said}"
        for spec in bp.attestations:
            made.append(
                Attestation(
                    id=spec.id,
                    by=clip(by, 256),
                    date=wl.updated_at.date(),
                    evidence=clip(link, 2048),
                    note=clip(note, 2048),
                )
            )
        ids = ", ".join(s.id for s in bp.attestations)
        messages.append(f"{bp.id}: selected by a person: attestation {ids}")
    known = {bp.choice_id for bp in lens.best_practices}
    for c in answer.choices:
        if c.choice_id not in known and not c.choice_id.endswith("_no"):
            messages.append(f"choice {c.choice_id} ({c.title}) is not in lens {lens.key}: ignored")
    return made, messages


def disagreements(answer: PulledAnswer, lens: Lens, report: ReviewReport) -> list[Disagreement]:
    """Where the WA Tool's answer and a wellsec review say different things."""
    outcomes = report.by_choice()
    found: list[Disagreement] = []
    for bp in lens.best_practices:
        choice, outcome = answer.choice(bp.choice_id), outcomes.get(bp.choice_id)
        if choice is None or outcome is None:
            continue
        wa, review = choice.status, outcome.status
        text = None
        if wa == "SELECTED" and review is PracticeStatus.NOT_MET:
            text = f"selected in the WA Tool, but the review found it not met ({outcome.note})"
        elif wa == "UNSELECTED" and review is PracticeStatus.MET:
            text = "the review found it met, but the WA Tool does not select it"
        elif wa == "NOT_APPLICABLE" and review in {PracticeStatus.MET, PracticeStatus.NOT_MET}:
            met = "met" if review is PracticeStatus.MET else "not met"
            reason = f" ({choice.reason})" if choice.reason else ""
            text = f"not applicable in the WA Tool{reason}, but the review found it {met}"
        if text:
            found.append(Disagreement(bp.id, bp.choice_id, wa, review, text))
    return found
