"""Self-contained HTML report: no external assets, everything from AWS escaped."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from wellsec.provenance import describe
from wellsec.render.safe import inert_tree
from wellsec.report.codec import to_json_dict
from wellsec.report.model import PracticeStatus, Report, Status

RISK_COLOR = {"HIGH": "#cf222e", "MEDIUM": "#9a6700", "NONE": "#1a7f37"}
ORDER = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2, Status.NOT_APPLICABLE: 3}


@dataclass(frozen=True)
class TrendPoint:
    """One past (or the current) review, for the trend chart."""

    when: dt.datetime
    risk: str
    met: int
    total: int


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("wellsec.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _trend(points: list[TrendPoint]) -> dict[str, Any] | None:
    if len(points) < 2:
        return None
    width, height, pad = 640, 160, 28
    total = max(p.total for p in points) or 1
    step = (width - 2 * pad) / (len(points) - 1)

    def xy(i: int, p: TrendPoint) -> tuple[float, float]:
        return pad + i * step, height - pad - (height - 2 * pad) * p.met / total

    coords = [xy(i, p) for i, p in enumerate(points)]
    return {
        "width": width,
        "height": height,
        "total": total,
        "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
        "dots": [
            {
                "x": f"{x:.1f}",
                "y": f"{y:.1f}",
                "color": RISK_COLOR.get(p.risk, "#6e7781"),
                "label": f"{p.when:%Y-%m-%d %H:%M}: {p.met}/{p.total} met, risk {p.risk}",
            }
            for (x, y), p in zip(coords, points, strict=True)
        ],
        "ticks": [
            {"x": f"{x:.1f}", "label": f"{p.when:%m-%d}"}
            for (x, _), p in zip(coords, points, strict=True)
        ],
    }


def render_html(typed: Report, trend: list[TrendPoint] | None = None) -> str:
    """Render a ``wellsec.review/1`` report as one HTML page (the template reads the
    document's JSON form, as a reader of the JSON would)."""
    # Autoescaping stops markup; control and bidi characters are made visible here.
    report = inert_tree(to_json_dict(typed))
    counts = Counter(bp["status"] for bp in report["best_practices"])
    findings = sorted(
        report["findings"],
        key=lambda f: (ORDER.get(f["status"], 9), f["best_practice"], f["check"]),
    )
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report,
        counts={s.value: counts.get(s, 0) for s in PracticeStatus},
        accounts=report["scan"]["accounts"],
        findings=findings,
        trend=_trend(trend or []),
        provenance=describe(report.get("provenance")),
    )


def trend_from_history(rows: list[tuple[dt.datetime, str, dict[str, str]]]) -> list[TrendPoint]:
    """(when, risk, practice -> status) rows to trend points."""
    return [
        TrendPoint(
            when, risk, sum(1 for s in statuses.values() if s == PracticeStatus.MET), len(statuses)
        )
        for when, risk, statuses in rows
    ]
