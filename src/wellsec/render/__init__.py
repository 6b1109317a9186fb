"""Renderers: one module per output format; each returns text, the CLI writes it."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from wellsec.review import Review


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


def render(review: Review, fmt: Format, width: int = 100) -> str:
    """Render a review in ``fmt``."""
    if fmt is Format.JSON:
        from wellsec.render.json_report import render_json

        return render_json(review)
    if fmt is Format.MARKDOWN:
        from wellsec.render.markdown import render_markdown

        return render_markdown(review)
    if fmt is Format.TEXT:
        from wellsec.render.terminal import render_text

        return render_text(review, width=width, color=False)
    assert_never(fmt)
