"""Markdown report. Text from AWS (names, ids, messages) is escaped."""

from __future__ import annotations

import re

from wellsec.checks.region_scps import denial_notes
from wellsec.findings import Status
from wellsec.provenance import describe
from wellsec.render.safe import inert, inert_lines
from wellsec.review import Review

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


def render_markdown(review: Review) -> str:
    lens = review.lens
    lines = [
        f"# {md(lens.question_title)}",
        "",
        f"Workload **{md(review.workload.name)}** · lens {md(lens.key)} · "
        f"{review.created_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"**Risk: {review.risk.value}**"
        + ("" if review.complete else " (incomplete: some evidence was unavailable)"),
        "",
        "## Best practices",
        "",
        "| Practice | Title | Status | Risk if missing | Assessment | Note |",
        "|---|---|---|---|---|---|",
    ]
    for r in review.practices:
        lines.append(
            f"| {r.practice.id} | {md(r.practice.title)} | {r.status.value} | "
            f"{r.practice.risk_if_missing.value} | {r.assessment} | {md(r.note)} |"
        )
    accounts = review.snapshot.accounts
    if accounts:
        lines += ["", "## By account", ""]
        lines.append(
            "| Practice | " + " | ".join(md(f"{a.name} ({a.id})") for a in accounts) + " |"
        )
        lines.append("|---|" + "---|" * len(accounts))
        for r in review.practices:
            cells = " | ".join(r.accounts.get(a.id, r.status).value for a in accounts)
            lines.append(f"| {r.practice.id} | {cells} |")
    lines += ["", "## Improvement plan", ""]
    if not review.plan:
        lines.append("Nothing to improve: every practice is met.")
    for entry in review.plan:
        bp = entry.practice
        lines += [
            f"### {bp.id} {md(bp.title)} ({entry.status.value}, risk if missing "
            f"{bp.risk_if_missing.value})",
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
    for f in sorted(review.findings, key=lambda f: (order[f.status], f.best_practice, f.check)):
        lines.append(
            f"| {f.status.value} | {md(f.check)} | {md(f.account or '')} | {md(f.region or '')} | "
            f"{md(f.resource)} | {md(f.message)} |"
        )
    snap = review.snapshot
    lines += [
        "",
        "## Scan",
        "",
        f"{len(snap.accounts)} accounts, regions {md(', '.join(snap.regions))}, "
        f"{snap.api_calls} API calls, {snap.duration_seconds:.1f} s.",
    ]
    lines += [f"- {md(line)}" for line in denial_notes(snap)]
    for note in review.notes:
        lines.append(f"- {md(note)}")
    made = review.provenance.to_dict() if review.provenance else None
    lines += ["", f"Made by: {md(describe(made))}"]
    # Every value went through md(); this pass catches anything a later edit forgets.
    return inert_lines("\n".join(lines)) + "\n"
