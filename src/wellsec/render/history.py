"""Text views of the history: reviews over time, a diff, the review calendar.

Stored names and messages came from AWS: they pass through :func:`inert` like a report's."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from wellsec.render.safe import inert, inert_lines
from wellsec.report.model import PracticeStatus
from wellsec.store.diff import ReviewDiff
from wellsec.store.records import Milestone, StoredReview, WorkloadInfo

SHORT: dict[str, str] = {  # stored statuses are text: a StrEnum key matches it
    PracticeStatus.MET: "MET",
    PracticeStatus.NOT_MET: "NOT",
    PracticeStatus.UNKNOWN: "UNK",
    PracticeStatus.NOT_APPLICABLE: "N/A",
}
STYLE: dict[str, str] = {
    PracticeStatus.MET: "green",
    PracticeStatus.NOT_MET: "red",
    PracticeStatus.UNKNOWN: "yellow",
    PracticeStatus.NOT_APPLICABLE: "dim",
}


def _console(buffer: io.StringIO, width: int) -> Console:
    return Console(file=buffer, width=width, color_system=None, highlight=False, emoji=False)


def render_history(
    rows: list[tuple[StoredReview, dict[tuple[str, str], str]]],
    milestones: list[Milestone],
    width: int = 100,
) -> str:
    """One line per review: when, risk, and each practice's workload status."""
    buffer = io.StringIO()
    names = {m.review_id: m.name for m in milestones}
    practices = sorted({p for _, statuses in rows for (p, a) in statuses if not a})
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("Review", "When (UTC)", "Risk"):
        table.add_column(column, no_wrap=True)
    for practice in practices:
        table.add_column(_column(practice), justify="center", no_wrap=True)
    table.add_column("Milestone", overflow="fold", min_width=10)
    for review, statuses in rows:
        cells = [
            Text(SHORT.get(s, s), style=STYLE.get(s, ""))
            for s in (statuses.get((p, ""), "-") for p in practices)
        ]
        table.add_row(
            str(review.id),
            f"{review.created_at:%Y-%m-%d %H:%M}",
            review.risk + ("" if review.complete else "*"),
            *cells,
            Text(inert(names.get(review.id, ""))),
        )
    # Reviews under two lens versions show more practice columns: widen rather than truncate.
    needed = 48 + sum(len(_column(p)) + 3 for p in practices)
    console = _console(buffer, max(width, needed))
    lenses = sorted({r.lens_key for r, _ in rows})
    console.print(Text(inert(f"Workload {rows[0][0].workload} · lens {', '.join(lenses)}")))
    console.print(table)
    console.print("MET met · NOT not met · UNK unknown · N/A not applicable")
    if any(not r.complete for r, _ in rows):
        console.print("* incomplete review: some evidence was unavailable")
    return inert_lines(buffer.getvalue())


def _column(practice: str) -> str:
    """``SEC01-BP05`` -> ``BP5``; ``SEC01-BP05@2022`` (one id, two lens versions) -> ``BP5/22``."""
    found = re.search(r"BP0*(\d+)(?:@\d*(\d\d))?$", practice)
    if not found:
        return practice[-6:]
    return f"BP{found.group(1)}" + (f"/{found.group(2)}" if found.group(2) else "")


def render_diff(diff: ReviewDiff, width: int = 100) -> str:
    buffer = io.StringIO()
    console = _console(buffer, width)
    across = (
        f" (lens {diff.lens_before} -> {diff.lens_after})"
        if diff.lens_before != diff.lens_after
        else ""
    )
    console.print(
        Text(
            inert(
                f"Review {diff.before_id} -> {diff.after_id}{across}: risk {diff.risk_before} -> "
                f"{diff.risk_after} ({diff.risk_direction})"
            )
        )
    )
    changed = [c for c in diff.practices if c.direction != "same"]
    if changed:
        table = Table(box=box.SIMPLE_HEAD, title="Practices", title_justify="left")
        for column in ("Practice", "Account", "Before", "After", "Change"):
            table.add_column(column)
        for c in changed:
            table.add_row(
                *(Text(inert(x)) for x in (c.practice, c.account or "workload")),
                c.before or "-",
                c.after or "-",
                c.direction,
            )
        console.print(table)
    else:
        console.print("No practice changed status.")
    for title, findings in (("Fixed", diff.fixed), ("New", diff.new)):
        console.print(Text(f"{title} findings: {len(findings)}", style="bold"))
        for f in findings:
            where = " ".join(x for x in (f.get("account"), f.get("region")) if x) or "workload"
            console.print(Text(inert(f"  {f['status']} {f['check']} {where}: {f['message']}")))
    return inert_lines(buffer.getvalue())


def due_rows(
    workloads: list[WorkloadInfo], now: dt.datetime, soon_days: int
) -> list[dict[str, Any]]:
    """Each workload with its next review date and whether it is due, overdue or fine."""
    out = []
    for w in workloads:
        nxt = w.next_review()
        if nxt is None:
            state = "never reviewed"
        elif nxt < now:
            state = "overdue"
        elif nxt - now <= dt.timedelta(days=soon_days):
            state = "due"
        else:
            state = "ok"
        out.append(
            {
                "workload": w.name,
                "owner": w.owner,
                "cadence_days": w.review_cadence_days,
                "last_review": w.last_review.isoformat() if w.last_review else None,
                "next_review": nxt.isoformat() if nxt else None,
                "state": state,
                "days_left": (nxt - now).days if nxt else None,
            }
        )
    return out


def render_due(rows: list[dict[str, Any]], width: int = 100) -> str:
    buffer = io.StringIO()
    table = Table(box=box.SIMPLE_HEAD)
    for column in ("Workload", "Owner", "Last review", "Next review", "State"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            Text(inert(r["workload"])),
            Text(inert(r["owner"] or "")),
            (r["last_review"] or "-")[:10],
            (r["next_review"] or "-")[:10],
            r["state"] + (f" ({r['days_left']} days)" if r["days_left"] is not None else ""),
        )
    _console(buffer, width).print(table)
    return inert_lines(buffer.getvalue())
