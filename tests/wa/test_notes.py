"""The notes wellsec writes: within the WA Tool's limits, pointing to the full report."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.wa.wa import report, report_data
from wellsec.saved_review import parse_report
from wellsec.wa.notes import (
    CHOICE_LIMIT,
    END,
    MARK,
    QUESTION_LIMIT,
    choice_lines,
    compose,
    people_text,
    pushed_status,
    question_lines,
)

POINTER = "https://reports.example.com/payments/2026-11-28.html"


def test_long_evidence_is_cut_but_the_pointer_stays() -> None:
    long = report({"SEC01-BP02": "NOT_MET"}, message="root access key active " * 40)
    outcome = next(p for p in long.practices if p.id == "SEC01-BP02")
    note = compose(choice_lines(long, outcome), POINTER, None, CHOICE_LIMIT)
    assert len(note) <= CHOICE_LIMIT
    assert note.startswith("[wellsec] NOT MET: 1 failing; e.g. SEC01-BP02 root access key")
    assert "…" in note
    assert note.endswith(f"Full report: {POINTER} {END}")


def test_question_notes_drop_findings_first_and_keep_people_text() -> None:
    statuses = {f"SEC01-BP0{i}": "NOT_MET" for i in range(1, 9)}
    busy = report(statuses, message="x" * 300)
    theirs = "Reviewed with the platform team on 2026-10-01; see ticket SEC-42."
    note = compose(question_lines(busy, busy.practices), POINTER, theirs, QUESTION_LIMIT)
    assert len(note) <= QUESTION_LIMIT
    assert note.startswith("[wellsec] Review of payments on 2026-11-28 10:00 UTC")
    assert all(f"SEC01-BP0{i} NOT MET" in note for i in range(1, 9))
    assert f"Full report: {POINTER} {END}" in note
    assert note.endswith(theirs)


def test_a_second_push_replaces_its_own_block_only() -> None:
    first = compose(["MET: 3 passing results"], POINTER, "a person's words", CHOICE_LIMIT)
    second = compose(["NOT MET: 1 failing"], POINTER, first, CHOICE_LIMIT)
    assert second.count(MARK) == 1
    assert second.startswith("[wellsec] NOT MET: 1 failing")
    assert people_text(second) == "a person's words"
    assert pushed_status(second) == "NOT_MET"
    assert pushed_status("a person's words") is None


def test_people_text_is_shortened_when_it_leaves_no_room() -> None:
    theirs = "p" * 400
    note = compose(["MET: 12 passing results, none failing"], POINTER, theirs, CHOICE_LIMIT)
    assert len(note) == CHOICE_LIMIT
    assert note.startswith("[wellsec] MET: 12 passing results")
    assert note.endswith("p…")


@given(
    lines=st.lists(st.text(min_size=1, max_size=400), min_size=1, max_size=30),
    pointer=st.text(min_size=1, max_size=3000),
    existing=st.one_of(st.none(), st.text(max_size=3000)),
    limit=st.sampled_from([CHOICE_LIMIT, QUESTION_LIMIT]),
)
def test_notes_never_exceed_the_limit(
    lines: list[str], pointer: str, existing: str | None, limit: int
) -> None:
    note = compose(lines, pointer, existing, limit)
    assert len(note) <= limit
    assert note.startswith(MARK)


def test_the_question_note_says_how_the_review_was_made() -> None:
    data = report_data({"SEC01-BP02": "NOT_MET"})
    data["provenance"] = {
        "origin": "snapshot-file",
        "tool_version": "1.0",
        "made_at": "2026-11-28T10:00:00+00:00",
        "caller_arn": "arn:aws:iam::111111111111:role/scanner",
        "scanned_at": "2026-11-28T09:00:00+00:00",
        "scanned_by_version": "1.0",
        "signature": "not-checked",
        "snapshot_file": "snapshot.json",
        "snapshot_sha256": "ab" * 32,
    }
    unverified = parse_report(data, "review.json")
    note = compose(question_lines(unverified, unverified.practices), POINTER, None, QUESTION_LIMIT)
    assert "\nMade by: offline evaluation of snapshot file snapshot.json" in note
    assert "signature NOT checked" in note
    older = report({"SEC01-BP02": "NOT_MET"})  # a report from before provenance
    assert "Made by: unknown" in compose(
        question_lines(older, older.practices), POINTER, None, QUESTION_LIMIT
    )
