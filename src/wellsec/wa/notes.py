"""The notes wellsec writes into the WA Tool: the question's (≤2084) and each choice's (≤250).

wellsec's text is one block between ``[wellsec]`` and ``[/wellsec]``; text people wrote
outside the block is kept after it. A block always ends by pointing to the full report:
when space runs short, evidence lines go first, then the people's text is shortened.
"""

from __future__ import annotations

from collections.abc import Sequence

from wellsec.findings import Finding, Status
from wellsec.provenance import describe
from wellsec.report.model import PracticeStatus
from wellsec.saved_review import PracticeOutcome, ReviewReport, clip

MARK, END = "[wellsec]", "[/wellsec]"
QUESTION_LIMIT, CHOICE_LIMIT = 2084, 250
SEPARATOR = "\n\n"
OUR_FIRST_LINE = 60  # characters of wellsec's first line kept ahead of people's text
WORDS = {
    PracticeStatus.MET: "MET",
    PracticeStatus.NOT_MET: "NOT MET",
    PracticeStatus.UNKNOWN: "UNKNOWN",
    PracticeStatus.NOT_APPLICABLE: "NOT APPLICABLE",
}
STATUS_OF_WORD = {word: status for status, word in WORDS.items()}


def people_text(existing: str | None) -> str:
    """A note without wellsec's blocks: what people wrote."""
    text = existing or ""
    start = text.find(MARK)
    while start != -1:
        end = text.find(END, start)
        text = text[:start] + (text[end + len(END) :] if end != -1 else "")
        start = text.find(MARK)
    return text.strip()


def pushed_status(note: str | None) -> PracticeStatus | None:
    """The practice status a wellsec push wrote into a choice's note, if any."""
    text = note or ""
    start = text.find(MARK)
    if start == -1:
        return None
    head = text[start + len(MARK) :].lstrip().split(":", 1)[0].strip()
    return STATUS_OF_WORD.get(head)


def compose(lines: Sequence[str], pointer: str, existing: str | None, limit: int) -> str:
    """wellsec's block (as many ``lines`` as fit, the pointer always) then people's text."""
    theirs = people_text(existing)
    pointer = clip(pointer, limit // 2)

    def block(body: Sequence[str]) -> str:
        first = f"{MARK} {body[0]}" if body else MARK
        return "\n".join([first, *body[1:], f"Full report: {pointer} {END}"])

    frame = len(block([""]))
    if theirs:
        reserve = frame + min(len(lines[0]) if lines else 0, OUR_FIRST_LINE)
        theirs = clip(theirs, limit - reserve - len(SEPARATOR))
    budget = limit - (len(SEPARATOR) + len(theirs) if theirs else 0)
    kept: list[str] = []
    for line in lines:
        if len(block([*kept, line])) <= budget:
            kept.append(line)
            continue
        room = budget - len(block([*kept, ""]))
        if room >= 20 or not kept:
            kept.append(clip(line, max(0, room)))
        break
    ours = clip(block(kept), budget)
    return f"{ours}{SEPARATOR}{theirs}" if theirs else ours


def _rank(finding: Finding) -> tuple[int, int]:
    order = {Status.FAIL: 0, Status.UNKNOWN: 1}
    return order.get(finding.status, 2), finding.severity.rank


def _where(finding: Finding) -> str:
    account, region = finding.account, finding.region
    if not account:
        return "workload"
    return f"{account} {region}" if region else account


def question_lines(report: ReviewReport, pushed: Sequence[PracticeOutcome]) -> list[str]:
    """The question note: the review, each practice, then the most severe open findings."""
    when = report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    head = f"Review of {report.workload} on {when}, lens {report.lens_key}: risk {report.risk}"
    head += "." if report.complete else "; incomplete, some evidence was unavailable."
    # Second, so that it survives when space runs short: a reader of the WA Tool can tell
    # a live scan from an evaluation of an unverified file.
    lines = [head, clip(f"Made by: {describe(report.provenance)}", 300)]
    lines += [
        f"{p.id} {WORDS[p.status]}: {p.note} ({p.assessment})".replace(" ()", "") for p in pushed
    ]
    ids = {p.id for p in pushed}
    open_findings = sorted(
        (
            f
            for f in report.findings
            if f.status in {Status.FAIL, Status.UNKNOWN} and f.best_practice in ids
        ),
        key=_rank,
    )
    if open_findings:
        lines.append("Most severe open findings:")
        lines += [
            clip(f"- {f.status} {f.check} ({_where(f)}): {f.message}", 200) for f in open_findings
        ]
    return lines


def choice_lines(report: ReviewReport, practice: PracticeOutcome) -> list[str]:
    """A choice note: the practice's status and one example of its evidence."""
    found = report.findings_of(practice.id)
    passing = sum(1 for f in found if f.status is Status.PASS)
    example_status = {
        PracticeStatus.MET: Status.PASS,
        PracticeStatus.NOT_MET: Status.FAIL,
        PracticeStatus.UNKNOWN: Status.UNKNOWN,
    }.get(practice.status, Status.NOT_APPLICABLE)
    example = next((f for f in found if f.status is example_status), None)
    word = WORDS[practice.status]
    if practice.status is PracticeStatus.MET:
        n = passing
        summary = f"{word}: {n} passing {'result' if n == 1 else 'results'}, none failing"
    elif practice.status is PracticeStatus.NOT_APPLICABLE:
        summary = f"{word}: no check applies"
    else:
        summary = f"{word}: {practice.note}"
    if example is not None:
        summary += f"; e.g. {example.message} ({_where(example)})"
    return [summary]
