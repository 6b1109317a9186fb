"""CSV of findings, safe to open in a spreadsheet (no formula injection)."""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = (
    "status",
    "best_practice",
    "check",
    "severity",
    "account",
    "region",
    "resource",
    "message",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Prefix text a spreadsheet would run as a formula with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def render_csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in report["findings"]:
        writer.writerow([safe_cell(f.get(c)) for c in COLUMNS])
    return buffer.getvalue()
