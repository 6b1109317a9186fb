"""Terminal report with rich, readable at 100 columns.

AWS text never goes through markup, and goes through :func:`inert` (no control characters)."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from wellsec.provenance import describe
from wellsec.render.safe import inert, inert_lines, inert_terminal
from wellsec.report.model import PracticeStatus, QuestionRisk, Report, Status

STATUS_STYLE = {
    PracticeStatus.MET: "bold green",
    PracticeStatus.NOT_MET: "bold red",
    PracticeStatus.UNKNOWN: "bold yellow",
    PracticeStatus.NOT_APPLICABLE: "dim",
}
FINDING_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "red",
    Status.UNKNOWN: "yellow",
    Status.NOT_APPLICABLE: "dim",
}
RISK_STYLE = {
    QuestionRisk.HIGH: "bold white on red",
    QuestionRisk.MEDIUM: "bold black on yellow",
    QuestionRisk.NONE: "bold white on green",
    QuestionRisk.UNANSWERED: "bold",
    QuestionRisk.NOT_APPLICABLE: "dim",
}
FINDINGS_PER_PRACTICE = 8


def _summary(report: Report) -> Panel:
    head = Text()
    head.append(inert(report.question.title), style="bold")
    head.append("\nWorkload ")
    head.append(inert(report.workload.name), style="bold")
    head.append(f" · lens {inert(report.lens.key)} · {report.generated_at:%Y-%m-%d %H:%M} UTC\n")
    head.append("Risk: ")
    head.append(f" {report.risk.value} ", style=RISK_STYLE[report.risk])
    if not report.complete:
        head.append("  incomplete: some evidence was unavailable (see UNKNOWN)", style="yellow")
    return Panel(head, box=box.ROUNDED)


def _practices(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, title="Best practices", title_justify="left")
    table.add_column("Practice", no_wrap=True)
    table.add_column("Title", ratio=3)
    table.add_column("Status", no_wrap=True)
    table.add_column("If missing", no_wrap=True)
    table.add_column("Assessed", no_wrap=True)
    table.add_column("Note", ratio=2)
    for r in report.best_practices:
        table.add_row(
            r.id,
            Text(inert(r.title)),
            Text(r.status.value, style=STATUS_STYLE[r.status]),
            r.risk_if_missing.value,
            r.assessment,
            Text(inert(r.note)),
        )
    return table


def _heatmap(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title="By account", title_justify="left")
    table.add_column("Practice", no_wrap=True)
    for account in report.scan.accounts:
        table.add_column(Text(f"{inert(account.name)}\n{inert(account.id)}"), justify="center")
    for r in report.best_practices:
        cells = []
        for account in report.scan.accounts:
            status = r.accounts.get(account.id, r.status)
            cells.append(Text(status.value.replace("_", " "), style=STATUS_STYLE[status]))
        table.add_row(r.id, *cells)
    return table


def _plan(report: Report) -> Group:
    parts: list[Text | Table] = [Text("Improvement plan", style="bold underline")]
    if not report.improvement_plan:
        parts.append(Text("Every practice is met.", style="green"))
    for entry in report.improvement_plan:
        title = Text(f"\n{entry.best_practice} {inert(entry.title)}", style="bold")
        title.append(f"  [{entry.status.value}, risk if missing {entry.risk_if_missing.value}]")
        parts.append(title)
        for item in entry.items:
            line = Text("  • ")
            line.append(inert(item.title), style="bold")
            line.append(f": {inert(item.text)}")
            parts.append(line)
            for res in item.resources:
                parts.append(Text(f"      {inert(res.name)}", style="dim"))
                if res.url:
                    parts.append(Text(f"        {inert(res.url)}", style="dim", overflow="fold"))
        shown = entry.findings[:FINDINGS_PER_PRACTICE]
        if shown:
            parts.append(Text("  Evidence:", style="italic"))
        for f in shown:
            line = Text("    ")
            line.append(f.status.value, style=FINDING_STYLE[f.status])
            where = " ".join(inert(x) for x in (f.account, f.region) if x) or "workload"
            line.append(f" {inert(f.check)} {where}: {inert(f.message)}")
            parts.append(line)
        if len(entry.findings) > len(shown):
            parts.append(Text(f"    … and {len(entry.findings) - len(shown)} more", style="dim"))
    return Group(*parts)


def _scan(report: Report) -> Text:
    snap = report.scan
    text = Text("\nScan: ", style="bold")
    text.append(
        f"{len(snap.accounts)} accounts, regions {inert(', '.join(snap.regions)) or '-'}, "
        f"{snap.api_calls} API calls, {snap.duration_seconds:.1f} s"
    )
    for line in snap.denial_notes():
        text.append(f"\n  - {line}")
    for note in report.notes:
        text.append(f"\n  ! {inert(note)}", style="yellow")
    text.append("\nMade by: ", style="bold")
    text.append(inert(describe(report.provenance.to_dict() if report.provenance else None)))
    return text


def render_text(report: Report, width: int = 100, color: bool = True) -> str:
    """The whole report as text (ANSI colours when ``color``)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )
    for part in (
        _summary(report),
        _practices(report),
        _heatmap(report),
        _plan(report),
        _scan(report),
    ):
        console.print(part)
    # Every value went through inert(); this pass catches anything a later edit forgets.
    return inert_terminal(buffer.getvalue()) if color else inert_lines(buffer.getvalue())
