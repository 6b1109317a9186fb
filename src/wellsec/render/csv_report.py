"""CSV of findings, safe to open in a spreadsheet (no formula injection, no control characters)."""

from __future__ import annotations

import csv
import io

from wellsec.render.safe import inert
from wellsec.report.model import Report

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
# OWASP "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection): a cell
# starting with one of these is run as a formula. Tab, CR and LF are escaped by inert().
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    """Cell text with control characters escaped and a would-be formula prefixed by a quote."""
    text = inert(value)
    return "'" + text if text.startswith(_FORMULA) else text


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in report.findings:
        row = f.to_dict()
        writer.writerow([safe_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue()
