"""Markdown report. Text from AWS (names, ids, messages) is escaped."""

from __future__ import annotations

import re

from wellsec.provenance import describe
from wellsec.render.safe import inert, inert_lines
from wellsec.report.model import Report, Status

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md(text: object) -> str:
    """Escape text so Markdown renders it literally: no links, HTML, code or table cells,
    and no control characters (newlines included: a value stays on its line)."""
    escaped = "".join(_HTML.get(ch, ch) for ch in inert(text))
    return _SPECIAL.sub(r"\\\1", escaped)


def _url(url: str) -> str:
    """A link target that cannot close its ``<...>`` or the link."""
    return inert(url).replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def render_markdown(report: Report) -> str:
    lines = [
        f"# {md(report.question.title)}",
        "",
        f"Workload **{md(report.workload.name)}** · lens {md(report.lens.key)} · "
        f"{report.generated_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"**Risk: {report.risk.value}**"
        + ("" if report.complete else " (incomplete: some evidence was unavailable)"),
        "",
        "## Best practices",
        "",
        "| Practice | Title | Status | Risk if missing | Assessment | Note |",
        "|---|---|---|---|---|---|",
    ]
    for r in report.best_practices:
        lines.append(
            f"| {r.id} | {md(r.title)} | {r.status.value} | "
            f"{r.risk_if_missing.value} | {r.assessment} | {md(r.note)} |"
        )
    accounts = report.scan.accounts
    if accounts:
        lines += ["", "## By account", ""]
        lines.append(
            "| Practice | " + " | ".join(md(f"{a.name} ({a.id})") for a in accounts) + " |"
        )
        lines.append("|---|" + "---|" * len(accounts))
        for r in report.best_practices:
            cells = " | ".join(r.accounts.get(a.id, r.status).value for a in accounts)
            lines.append(f"| {r.id} | {cells} |")
    lines += ["", "## Improvement plan", ""]
    if not report.improvement_plan:
        lines.append("Nothing to improve: every practice is met.")
    for entry in report.improvement_plan:
        lines += [
            f"### {entry.best_practice} {md(entry.title)} ({entry.status.value}, risk if missing "
            f"{entry.risk_if_missing.value})",
            "",
        ]
        for item in entry.items:
            lines.append(f"- **{md(item.title)}**: {md(item.text)}")
            for res in item.resources:
                link = f"[{md(res.name)}](<{_url(res.url)}>)" if res.url else md(res.name)
                lines.append(f"  - {link}")
        if entry.findings:
            lines += ["", "Evidence of the gap:", ""]
            for f in entry.findings:
                where = " / ".join(md(x) for x in (f.account, f.region) if x) or "workload"
                lines.append(f"- {f.status.value} `{f.check}` {where}: {md(f.message)}")
        lines.append("")
    lines += ["## Findings", "", "| Status | Check | Account | Region | Resource | Message |"]
    lines.append("|---|---|---|---|---|---|")
    order = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2, Status.NOT_APPLICABLE: 3}
    for f in sorted(report.findings, key=lambda f: (order[f.status], f.best_practice, f.check)):
        lines.append(
            f"| {f.status.value} | {md(f.check)} | {md(f.account or '')} | {md(f.region or '')} | "
            f"{md(f.resource)} | {md(f.message)} |"
        )
    snap = report.scan
    lines += [
        "",
        "## Scan",
        "",
        f"{len(snap.accounts)} accounts, regions {md(', '.join(snap.regions))}, "
        f"{snap.api_calls} API calls, {snap.duration_seconds:.1f} s.",
    ]
    lines += [f"- {md(line)}" for line in snap.denial_notes()]
    for note in report.notes:
        lines.append(f"- {md(note)}")
    made = report.provenance.to_dict() if report.provenance else None
    lines += ["", f"Made by: {md(describe(made))}"]
    # Every value went through md(); this pass catches anything a later edit forgets.
    return inert_lines("\n".join(lines)) + "\n"
