"""The JSON review report (schema ``wellsec.review/1``): a stable contract, written by
:func:`wellsec.report.to_json_dict`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from wellsec.render.safe import json_escapes
from wellsec.report.codec import to_json_dict
from wellsec.report.model import SCHEMA

if TYPE_CHECKING:
    from wellsec.report.model import Report
    from wellsec.review import Review

__all__ = ["SCHEMA", "render_json", "render_report_json", "review_to_dict"]


def review_to_dict(review: Review) -> dict[str, Any]:
    """The review's ``wellsec.review/1`` document."""
    from wellsec.report.build import build_report

    return to_json_dict(build_report(review))


def render_report_json(report: Report) -> str:
    """The report as JSON, faithful to what AWS said: JSON escapes C0 itself, and
    :func:`json_escapes` writes DEL, C1 and bidi characters as ``\\uXXXX``."""
    return json_escapes(json.dumps(to_json_dict(report), indent=2, ensure_ascii=False)) + "\n"


def render_json(review: Review) -> str:
    """The review as JSON (see :func:`render_report_json`)."""
    from wellsec.report.build import build_report

    return render_report_json(build_report(review))
