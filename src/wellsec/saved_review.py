"""A review report (``wellsec.review/1``) read back from a file or the store.

Push, pull and export work from the report, not from a live review.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wellsec.errors import InputError
from wellsec.render.json_report import SCHEMA

STATUSES = frozenset({"MET", "NOT_MET", "UNKNOWN", "NOT_APPLICABLE"})
FINDING_STATUSES = frozenset({"PASS", "FAIL", "UNKNOWN", "NOT_APPLICABLE"})


@dataclass(frozen=True)
class PracticeOutcome:
    """One best practice as the review decided it."""

    id: str
    choice_id: str
    title: str
    status: str  # MET | NOT_MET | UNKNOWN | NOT_APPLICABLE
    note: str
    assessment: str


@dataclass(frozen=True)
class ReviewReport:
    """A review report and where it came from (a file, or a review id in the store)."""

    source: str
    data: dict[str, Any]
    review_id: int | None = None

    @property
    def workload(self) -> str:
        return str(self.data["workload"]["name"])

    @property
    def generated_at(self) -> dt.datetime:
        when = dt.datetime.fromisoformat(str(self.data["generated_at"]))
        return when if when.tzinfo else when.replace(tzinfo=dt.UTC)

    @property
    def lens_key(self) -> str:
        return f"{self.data['lens']['id']}@{self.data['lens']['version']}"

    @property
    def risk(self) -> str:
        return str(self.data["question"]["risk"])

    @property
    def complete(self) -> bool:
        return bool(self.data.get("complete"))

    @property
    def provenance(self) -> dict[str, Any] | None:
        """How the review was made (``wellsec.provenance``); None in older reports."""
        made = self.data.get("provenance")
        return made if isinstance(made, dict) else None

    @property
    def practices(self) -> tuple[PracticeOutcome, ...]:
        return tuple(
            PracticeOutcome(
                id=str(p["id"]),
                choice_id=str(p["choice_id"]),
                title=str(p.get("title", "")),
                status=str(p["status"]),
                note=str(p.get("note", "")),
                assessment=str(p.get("assessment", "")),
            )
            for p in self.data["best_practices"]
        )

    @property
    def findings(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.data["findings"]
        return found

    def by_choice(self) -> dict[str, PracticeOutcome]:
        return {p.choice_id: p for p in self.practices}

    def findings_of(self, practice_id: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("best_practice") == practice_id]

    def management_account(self) -> str | None:
        for account in self.data.get("scan", {}).get("accounts", []):
            if account.get("role") == "management":
                return str(account["id"])
        return None


def parse_report(data: Any, source: str, review_id: int | None = None) -> ReviewReport:
    """Check a report's shape; raise :class:`InputError` naming ``source`` and the problem."""
    if not isinstance(data, dict):
        raise InputError(source, "expected a JSON object (a wellsec review report)")
    if data.get("schema") != SCHEMA:
        raise InputError(source, f"not a wellsec review report (schema is not {SCHEMA!r})")
    for key in ("generated_at", "workload", "lens", "question", "best_practices", "findings"):
        if key not in data:
            raise InputError(source, f"missing {key!r}")
    try:
        dt.datetime.fromisoformat(str(data["generated_at"]))
    except ValueError:
        raise InputError(source, "not an ISO 8601 time", "generated_at") from None
    for key, fields in (
        ("workload", ("name",)),
        ("lens", ("id", "version")),
        ("question", ("risk",)),
    ):
        if not isinstance(data[key], dict) or any(f not in data[key] for f in fields):
            raise InputError(source, f"expected an object with {', '.join(fields)}", key)
    _check_list(data["best_practices"], source, "best_practices", ("id", "choice_id", "status"))
    for i, practice in enumerate(data["best_practices"]):
        if practice["status"] not in STATUSES:
            raise InputError(
                source, f"unknown status {practice['status']!r}", f"best_practices[{i}]"
            )
    _check_list(data["findings"], source, "findings", ("check", "best_practice", "status"))
    for i, finding in enumerate(data["findings"]):
        if finding["status"] not in FINDING_STATUSES:
            raise InputError(source, f"unknown status {finding['status']!r}", f"findings[{i}]")
    return ReviewReport(source, data, review_id)


def _check_list(value: Any, source: str, where: str, fields: tuple[str, ...]) -> None:
    if not isinstance(value, list):
        raise InputError(source, "expected a list", where)
    for i, item in enumerate(value):
        if not isinstance(item, dict) or any(f not in item for f in fields):
            raise InputError(
                source, f"expected an object with {', '.join(fields)}", f"{where}[{i}]"
            )


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
