"""Renderers: one module per output format; each returns text, the CLI writes it.

Every renderer reads the typed report (:mod:`wellsec.report`), never the check registry."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from wellsec.render.html import TrendPoint
    from wellsec.report.model import Report
    from wellsec.review import Review


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    HTML = "html"
    SARIF = "sarif"
    JUNIT = "junit"
    CSV = "csv"


def render(
    review: Review | Report,
    fmt: Format,
    width: int = 100,
    trend: list[TrendPoint] | None = None,
) -> str:
    """Render a review (or its report) in ``fmt`` (``trend``: past reviews, for the HTML
    chart)."""
    from wellsec.report.model import Report

    if not isinstance(review, Report):
        from wellsec.report.build import build_report

        review = build_report(review)
    report = review
    if fmt is Format.JSON:
        from wellsec.render.json_report import render_report_json

        return render_report_json(report)
    if fmt is Format.MARKDOWN:
        from wellsec.render.markdown import render_markdown

        return render_markdown(report)
    if fmt is Format.TEXT:
        from wellsec.render.terminal import render_text

        return render_text(report, width=width, color=False)
    if fmt is Format.HTML:
        from wellsec.render.html import render_html

        return render_html(report, trend)
    if fmt is Format.SARIF:
        from wellsec.render.sarif import render_sarif
        from wellsec.report.rules import rules_for

        return render_sarif(report, rules_for(report))
    if fmt is Format.JUNIT:
        from wellsec.render.junit import render_junit
        from wellsec.report.rules import rules_for

        return render_junit(report, rules_for(report))
    if fmt is Format.CSV:
        from wellsec.render.csv_report import render_csv

        return render_csv(report)
    assert_never(fmt)
