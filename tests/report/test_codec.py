"""The report codec: what wellsec writes reads back to the same bytes, and a bad
document is refused with the file and the place named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.checks.builders import NOW, OrgBuilder, lens, run, standalone_snapshot, workload
from tests.render.golden_review import rich_review
from wellsec.errors import InputError
from wellsec.render.json_report import render_json, render_report_json
from wellsec.report import PracticeStatus, from_json_dict, to_json_dict
from wellsec.report.build import build_report
from wellsec.review import Review, build_review

GOLDEN = Path(__file__).parent.parent / "render" / "golden" / "review.json"


def _reviews() -> list[Review]:
    standard = OrgBuilder.standard().build()
    alone = standalone_snapshot()
    return [
        rich_review(),
        build_review(lens(), workload(), standard, run(standard), NOW),
        build_review(lens(), workload(), alone, run(alone), NOW),
    ]


@pytest.mark.parametrize("review", _reviews())
def test_a_written_report_reads_back_to_the_same_bytes(review: Review) -> None:
    text = render_json(review)
    report = from_json_dict(json.loads(text))
    assert report == build_report(review)
    assert render_report_json(report) == text


def test_the_golden_report_round_trips() -> None:
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert to_json_dict(from_json_dict(data)) == data
    again = json.dumps(to_json_dict(from_json_dict(data)), indent=2, ensure_ascii=False)
    assert again == json.dumps(data, indent=2, ensure_ascii=False)


def test_statuses_are_enums() -> None:
    report = from_json_dict(json.loads(GOLDEN.read_text(encoding="utf-8")))
    assert all(isinstance(p.status, PracticeStatus) for p in report.best_practices)
    assert report.scan.denial_notes()


def _golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema="other/1"), "not a wellsec review report"),
        (lambda d: d.pop("findings"), "missing 'findings'"),
        (lambda d: d.update(generated_at="yesterday"), "generated_at: not an ISO 8601 time"),
        (lambda d: d["best_practices"][0].update(status="GOOD"), "best_practices[0]: unknown"),
        (lambda d: d["findings"][1].update(status="OK"), "findings[1]: unknown status 'OK'"),
        (lambda d: d["workload"].pop("name"), "workload: expected an object with name"),
        (lambda d: d.update(findings={}), "findings: expected a list"),
    ],
)
def test_a_bad_report_is_refused_naming_the_place(change: Any, message: str) -> None:
    data = _golden()
    change(data)
    with pytest.raises(InputError) as caught:
        from_json_dict(data, "review.json")
    assert str(caught.value).startswith("review.json: ")
    assert message in str(caught.value)
