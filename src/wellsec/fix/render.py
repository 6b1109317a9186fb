"""PLAN.md and the reviewed commands script.

Text from the review (workload and account names) is escaped for Markdown with the
report renderer's :func:`~wellsec.render.markdown.md`; it never enters the script, whose
comments carry only wellsec's own titles, check ids and validated account ids, and whose
command values are quoted by :mod:`wellsec.fix.commands`.
"""

from __future__ import annotations

import re
from collections import defaultdict

from wellsec.fix.commands import cli_line, script_line, unsafe_character
from wellsec.fix.model import Artifact, ArtifactKind, AwsCommand, Effect, FixPlan, Outcome
from wellsec.fix.targets import drift_commands
from wellsec.render.markdown import md as markdown_text


def md(text: object) -> str:
    """Markdown-escaped text with control and invisible characters shown as escapes, so
    a name from AWS can neither format the file nor drive a terminal that prints it."""
    shown = "".join(
        ascii(c)[1:-1] if c not in "\r\n" and unsafe_character(c) else c for c in str(text)
    )
    return markdown_text(shown)


SCRIPT_PATH = "commands/remediate.sh"
SCRIPT_HEAD = """\
#!/bin/sh
# wellsec fix: commands with no CloudFormation resource, for review before running.
#
# Each line runs with the credentials of the account it names: "run_in ACCOUNT aws ..."
# uses the AWS CLI profile ${WELLSEC_PROFILE_PREFIX}ACCOUNT (prefix "wellsec-" by default).
# Without --apply the script only prints what it would run.
set -eu

APPLY=0
if [ "${1-}" = "--apply" ]; then
    APPLY=1
fi

run_in() {
    account=$1
    shift
    printf '+ [%s] %s\\n' "$account" "$*"
    if [ "$APPLY" = 1 ]; then
        AWS_PROFILE="${WELLSEC_PROFILE_PREFIX-wellsec-}$account" "$@"
    fi
}
"""


def _places(effects: list[Effect]) -> str:
    spots = ["/".join(p for p in (e.account, e.region) if p) or "organization" for e in effects]
    return ", ".join(sorted(set(spots)))


def _effect_lines(artifact: Artifact) -> list[str]:
    by_check: dict[tuple[Outcome, str], list[Effect]] = defaultdict(list)
    for effect in artifact.effects:
        by_check[(effect.outcome, effect.check)].append(effect)
    label = {
        Outcome.PASS: "closes",
        Outcome.NOT_APPLICABLE: "makes not applicable",
        Outcome.NO_WORSE: "also touches (no worse)",
    }
    return [
        f"{label[outcome]} {check}: {_places(found)}"
        for (outcome, check), found in sorted(by_check.items())
    ]


def render_script(plan: FixPlan) -> str | None:
    """The commands script, or None when no remedy is a command."""
    parts = [a for a in plan.artifacts if a.kind is ArtifactKind.COMMANDS and a.script]
    if not parts:
        return None
    lines = [SCRIPT_HEAD]
    for number, artifact in enumerate(parts, 1):
        lines.append(f"# {number}. {artifact.title}")
        lines += [f"#    {line}" for line in _effect_lines(artifact)]
        lines += [f"#    note: {note}" for note in artifact.notes]
        lines += [script_line(c) for c in artifact.script]
        lines.append("")
    return "\n".join(lines)


def fence(body: str) -> str:
    """A fenced shell block whose fence no backtick run inside can close."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}sh\n{body}\n{ticks}"


def _commands(commands: tuple[AwsCommand, ...] | list[AwsCommand]) -> list[str]:
    """Shell lines, with a comment wherever the account whose credentials run them changes."""
    lines: list[str] = []
    account = None
    for command in commands:
        if command.account != account:
            account = command.account
            lines.append(f"# in account {account}")
        lines.append(cli_line(command))
    return lines


def _files(artifact: Artifact) -> str:
    return ", ".join(f"`{path}`" for path, _ in artifact.files) or f"`{SCRIPT_PATH}`"


class _Step:
    """One numbered step of PLAN.md: the script, an artifact, or the final drift check."""

    def __init__(self, title: str, artifact: Artifact | None = None, kind: str = "") -> None:
        self.title, self.artifact, self.kind = title, artifact, kind or "artifact"


def _steps(plan: FixPlan) -> list[_Step]:
    scripted = [a for a in plan.artifacts if a.kind is ArtifactKind.COMMANDS and a.script]
    steps = [_Step("Run the reviewed commands script", kind="script")] if scripted else []
    steps += [_Step(a.title, a) for a in plan.artifacts if a.kind is not ArtifactKind.COMMANDS]
    if any(a.deploy for a in plan.artifacts):
        steps.append(_Step("Check the new stacks for drift", kind="drift"))
    return steps


def _table(plan: FixPlan, steps: list[_Step]) -> list[str]:
    out = ["| Step | Artifact | Kind | Files | Where |", "|---|---|---|---|---|"]
    for number, step in enumerate(steps, 1):
        parts = [step.artifact] if step.artifact else []
        if step.kind == "script":
            parts = [a for a in plan.artifacts if a.kind is ArtifactKind.COMMANDS and a.script]
        for artifact in parts:
            where = "<br>".join(md(w) for w in artifact.where) or "organization"
            out.append(
                f"| {number} | {md(artifact.title)} | {artifact.kind.value} | "
                f"{_files(artifact)} | {where} |"
            )
    return out


def _step_body(plan: FixPlan, step: _Step) -> list[str]:
    if step.kind == "script":
        out = [
            f"Review `{SCRIPT_PATH}` line by line first: each command runs with the credentials "
            "of the account it names (without `--apply` the script only prints them).",
            "",
            fence(f"sh {SCRIPT_PATH} --apply"),
            "",
        ]
        for part in plan.artifacts:
            if part.kind is ArtifactKind.COMMANDS and part.script:
                out += [f"- {md(part.title)}: {md(line)}" for line in _effect_lines(part)]
                out += [f"- Note: {md(n)}" for n in part.notes]
        return out
    if step.kind == "drift":
        deploy = [c for a in plan.artifacts for c in a.deploy]
        return [
            "Check the new stacks for drift like every other stack, so the drift check of "
            "the next review covers them.",
            "",
            fence("\n".join(_commands(drift_commands(deploy)))),
        ]
    assert step.artifact is not None
    artifact = step.artifact
    out = [f"Files: {_files(artifact)}", ""]
    out += [f"- Where: {md(w)}" for w in artifact.where]
    out += [f"- {md(line)}" for line in _effect_lines(artifact)]
    out += [f"- Note: {md(n)}" for n in artifact.notes]
    if artifact.deploy:
        out += ["", fence("\n".join(_commands(artifact.deploy)))]
    return out


def render_plan(plan: FixPlan) -> str:
    """PLAN.md: each artifact, what it closes, where and in which order, with commands."""
    management = plan.management_account or "(none: no organization)"
    steps = _steps(plan)
    out = [
        f"# Fix plan for {md(plan.workload)}",
        "",
        f"From the review of {md(plan.review_generated_at)}. wellsec changed nothing: these "
        "files are for your pipeline. Deploy them in the order of the steps below, from this "
        f"directory, with credentials for the management account {management} unless a "
        "step says otherwise. StackSets reach only the failing accounts of the OUs they "
        "target, and deploy automatically to accounts that join those OUs later (except the "
        "Security Hub administration ones). Re-run the review afterwards to see the findings "
        "close.",
        "",
        "## Artifacts",
        "",
        *_table(plan, steps),
        "",
        "## Steps",
        "",
    ]
    for number, step in enumerate(steps, 1):
        out += [f"### {number}. {md(step.title)}", "", *_step_body(plan, step), ""]
    out += _refused(plan)
    out += _unremedied(plan)
    return "\n".join(out).rstrip() + "\n"


def _table_section(title: str, intro: str, columns: list[str], rows: list[list[str]]) -> list[str]:
    """A markdown section: its title, an intro paragraph and a table (nothing without rows)."""
    if not rows:
        return []
    lines = [f"## {title}", "", intro, "", "| " + " | ".join(columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    return [*lines, *("| " + " | ".join(row) + " |" for row in rows), ""]


def _refused(plan: FixPlan) -> list[str]:
    rows = [
        [
            md(item.check),
            f"{md(item.account_name)} ({item.account})" if item.account else "organization",
            item.region or "",
            md(item.reason),
        ]
        for item in plan.refused
    ]
    return _table_section(
        "Refused",
        "A value from AWS in these findings is one AWS would not accept or no command can "
        "carry safely, so they were left out; everything else above stands. Look at the "
        "resource in the review and fix it by hand.",
        ["Check", "Account", "Region", "Why"],
        rows,
    )


def _unremedied(plan: FixPlan) -> list[str]:
    rows = [
        [md(item.check), md(", ".join(item.places)), md(item.remediation)]
        for item in plan.unremedied
    ]
    return _table_section(
        "Not automated",
        "These failing findings have no generated artifact; the check's advice follows.",
        ["Check", "Where", "What to do"],
        rows,
    )
