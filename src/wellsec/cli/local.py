"""Commands that need no AWS account: ``demo``, ``checks``, ``iam-policy``, ``validate``,
``init``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from wellsec.cli.exits import EXIT_INPUT, EXIT_NOTHING, die, errors
from wellsec.cli.options import (
    DEFAULT_CONFIG,
    FailOnOpt,
    FormatOpt,
    JsonOpt,
    LensOpt,
    NoStoreOpt,
    OutputOpt,
    SnapshotOutOpt,
    StoreOpt,
)
from wellsec.cli.reports import report_review, scan_with_progress
from wellsec.cli.stores import record_review, review_history
from wellsec.cli.support import emit
from wellsec.errors import InputError
from wellsec.lens import DEFAULT_LENS, load_lens
from wellsec.render import Format
from wellsec.render.safe import inert
from wellsec.snapshot import dumps, write_atomic

app = typer.Typer(pretty_exceptions_show_locals=False)


@app.command()
def demo(
    fmt: FormatOpt = Format.TEXT,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    lens: LensOpt = DEFAULT_LENS,
    snapshot_out: SnapshotOutOpt = None,
    improved: Annotated[
        bool, typer.Option("--improved", help="Fix some gaps first, to see progress.")
    ] = False,
    store_url: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Review an emulated organization (no AWS account needed), and record it."""
    from wellsec.demo import demo_environment

    with errors():
        the_lens = load_lens(lens)
        try:
            with demo_environment(improved=improved) as env:
                accounts = ", ".join(f"{n} {i}" for n, i in env.accounts.items())
                sys.stderr.write(f"demo organization on {env.endpoint_url}: {accounts}\n")
                snapshot = scan_with_progress(env.connector(), env.workload, None, 16)
        except RuntimeError as exc:
            die(str(exc), EXIT_NOTHING)
        if snapshot_out:
            write_atomic(snapshot_out, dumps(snapshot))
        history = None if no_store else review_history(env.workload, store_url)
        from wellsec.provenance import Origin, of_scan
        from wellsec.review import evaluate as evaluate_snapshot

        result = evaluate_snapshot(snapshot, env.workload, the_lens, history=history)
        result = dataclasses.replace(result, provenance=of_scan(snapshot, Origin.DEMO))
    trend = [] if no_store or history is None else record_review(result, snapshot, store_url)
    # The demo's organization is built with gaps in its evidence: not an error here.
    report_review(result, fmt, output, fail_on, trend, incomplete_exit=False)


@app.command("checks")
def list_checks(as_json: JsonOpt = False) -> None:
    """List every check with its best practice, scope, severity and IAM actions."""
    from wellsec.checks.practices import check_practices
    from wellsec.checks.runner import all_checks
    from wellsec.lens.loader import BUILTIN

    specs = all_checks()
    serves = {key: check_practices(load_lens(key)) for key in BUILTIN}
    if as_json:
        described = [
            {**s.describe(), "practices": {k: m.get(s.id) for k, m in serves.items()}}
            for s in specs
        ]
        sys.stdout.write(json.dumps(described, indent=2) + "\n")
        return
    for spec in specs:
        actions = ", ".join(spec.iam_actions) or "(none: reads local files)"
        where = ", ".join(f"{k}: {m[spec.id]}" for k, m in serves.items() if spec.id in m)
        sys.stdout.write(
            f"{spec.id:<34} {spec.scope.value:<8} {spec.severity.value:<13} "
            f"{spec.title}\n    practice: {where}\n    actions: {actions}\n"
        )


@app.command("iam-policy")
def iam_policy() -> None:
    """Print the least-privilege IAM policy the scan needs."""
    from wellsec.permissions import scan_policy

    sys.stdout.write(json.dumps(scan_policy(), indent=2) + "\n")


@app.command("validate")
def validate_cmd(
    files: Annotated[list[Path], typer.Argument(help="wellsec.yaml, lens, snapshot or .tc.json")],
    kind: Annotated[
        str | None, typer.Option(help="workload, lens, snapshot or threat-model.")
    ] = None,
) -> None:
    """Check input files; exit 2 with one line per invalid file."""
    from wellsec.validate import Kind, validate

    chosen = None
    if kind is not None:
        try:
            chosen = Kind(kind)
        except ValueError:
            die(f"--kind: {kind!r} is not one of {', '.join(k.value for k in Kind)}", EXIT_INPUT)
    bad = 0
    for path in files:
        try:
            sys.stdout.write(inert(validate(path, chosen)) + "\n")
        except InputError as exc:
            sys.stderr.write(f"wellsec: error: {inert(exc)}\n")
            bad += 1
    if bad:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def init(
    output: Annotated[Path, typer.Option("--output", "-o")] = Path(DEFAULT_CONFIG),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Take the defaults, ask nothing.")
    ] = False,
) -> None:
    """Write a commented starter wellsec.yaml by asking a few questions."""
    from wellsec.starter import starter_yaml

    if output.exists() and not force:
        die(f"{output} exists; use --force to overwrite", EXIT_INPUT)
    ask: Callable[[str, str], str] = (
        (lambda _q, d: d) if yes else (lambda q, d: str(typer.prompt(q, default=d)))
    )
    answers = {
        "name": ask(
            "Workload name", Path.cwd().name if len(Path.cwd().name) >= 3 else "my-workload"
        ),
        "environment": ask("Environment (production/preproduction)", "production"),
        "owner": ask("Review owner (email)", "security@example.com"),
        "regions": ask("Regions (comma-separated)", "us-east-1"),
        "accounts": ask("Account ids (comma-separated, empty = whole organization)", ""),
        "ous": ask("OU ids or names (comma-separated, empty = none)", ""),
        "cadence": ask("Review every N days", "180"),
    }
    with errors():
        text = starter_yaml(answers, output, dt.date.today())
    emit(text, output)
