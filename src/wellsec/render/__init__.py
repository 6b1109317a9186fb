"""Renderers: one module per output format; each returns text, the CLI writes it."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from wellsec.render.html import TrendPoint
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
    review: Review, fmt: Format, width: int = 100, trend: list[TrendPoint] | None = None
) -> str:
    """Render a review in ``fmt`` (``trend``: past reviews, for the HTML chart)."""
    from wellsec.render.json_report import render_json, review_to_dict

    if fmt is Format.JSON:
        return render_json(review)
    if fmt is Format.MARKDOWN:
        from wellsec.render.markdown import render_markdown

        return render_markdown(review)
    if fmt is Format.TEXT:
        from wellsec.render.terminal import render_text

        return render_text(review, width=width, color=False)
    if fmt is Format.HTML:
        from wellsec.render.html import render_html

        return render_html(review_to_dict(review), trend)
    if fmt is Format.SARIF:
        from wellsec.render.sarif import render_sarif

        return render_sarif(review_to_dict(review))
    if fmt is Format.JUNIT:
        from wellsec.render.junit import render_junit

        return render_junit(review_to_dict(review))
    if fmt is Format.CSV:
        from wellsec.render.csv_report import render_csv

        return render_csv(review_to_dict(review))
    assert_never(fmt)
