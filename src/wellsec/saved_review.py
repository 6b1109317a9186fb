"""A review report (``wellsec.review/1``) read back from a file or the store.

Push, pull and export work from the report, not from a live review. The document is
checked and read by :func:`wellsec.report.from_json_dict`, the one codec.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wellsec.errors import InputError
from wellsec.findings import Finding
from wellsec.lens.model import QuestionRisk
from wellsec.report.codec import from_json_dict
from wellsec.report.model import PracticeReport, Report

# One best practice as the review decided it (the report model's practice).
PracticeOutcome = PracticeReport


@dataclass(frozen=True)
class ReviewReport:
    """A review report and where it came from (a file, or a review id in the store)."""

    source: str
    report: Report
    review_id: int | None = None

    @property
    def workload(self) -> str:
        return self.report.workload.name

    @property
    def generated_at(self) -> dt.datetime:
        when = self.report.generated_at
        return when if when.tzinfo else when.replace(tzinfo=dt.UTC)

    @property
    def lens_key(self) -> str:
        return self.report.lens.key

    @property
    def risk(self) -> QuestionRisk:
        return self.report.question.risk

    @property
    def complete(self) -> bool:
        return self.report.complete

    @property
    def provenance(self) -> dict[str, Any] | None:
        """How the review was made (``wellsec.provenance``); None in older reports."""
        made = self.report.provenance
        return made.to_dict() if made else None

    @property
    def practices(self) -> tuple[PracticeReport, ...]:
        return self.report.best_practices

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.report.findings

    def by_choice(self) -> dict[str, PracticeReport]:
        return self.report.by_choice()

    def findings_of(self, practice_id: str) -> list[Finding]:
        return self.report.findings_of(practice_id)

    def management_account(self) -> str | None:
        return self.report.management_account()


def parse_report(data: Any, source: str, review_id: int | None = None) -> ReviewReport:
    """Check a report's shape; raise :class:`InputError` naming ``source`` and the problem."""
    return ReviewReport(source, from_json_dict(data, source), review_id)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…" if limit > 0 else ""


def load_report(path: str | Path) -> ReviewReport:
    """Read a JSON review report written by ``wellsec review -f json``."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(p, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(p, f"not valid JSON: {exc.msg}", f"line {exc.lineno}") from None
    return parse_report(data, str(p))
