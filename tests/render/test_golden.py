"""Every output format of one rich review, byte for byte as stored in ``golden/``.

After an intended change of output, rewrite the files with ``WELLSEC_GOLDEN=write``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.render.golden_review import rich_review
from wellsec import __version__
from wellsec.render import Format, render
from wellsec.render.html import TrendPoint

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {
    Format.TEXT: "txt",
    Format.MARKDOWN: "md",
    Format.JSON: "json",
    Format.HTML: "html",
    Format.SARIF: "sarif",
    Format.JUNIT: "xml",
    Format.CSV: "csv",
}
TREND = [
    TrendPoint(dt.datetime(2026, 10, 1, tzinfo=dt.UTC), "HIGH", 3, 8),
    TrendPoint(dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC), "MEDIUM", 5, 8),
]


def _check(name: str, text: str) -> None:
    text = text.replace(__version__, "<version>")
    path = GOLDEN / name
    if os.environ.get("WELLSEC_GOLDEN") == "write":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from the golden file"


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_is_unchanged(fmt: Format) -> None:
    _check(f"review.{SUFFIX[fmt]}", render(rich_review(), fmt, width=120))


def test_html_with_a_trend_is_unchanged() -> None:
    _check("review-trend.html", render(rich_review(), Format.HTML, trend=TREND))
