"""``wellsec fix``: write the code that closes the gaps of a review (never calls AWS)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wellsec.cli.exits import EXIT_INPUT, die, errors
from wellsec.cli.options import ConfigOpt, FixStoreOpt
from wellsec.cli.stores import open_store, stored_workload

if TYPE_CHECKING:  # the fix package loads when the command runs, not at start-up
    from wellsec.fix.model import Refusal

app = typer.Typer(pretty_exceptions_show_locals=False)
ACCOUNT = r"^\d{12}$"


def _from_store(
    url: str | None, workload: str | None, config: Path | None
) -> tuple[dict[str, Any], str | None]:
    """The latest stored review (report and snapshot) of the workload."""
    with open_store(url) as store:
        name = stored_workload(store, workload, config)
        if name is None:
            die("which workload? pass --workload (or --review FILE)", EXIT_INPUT)
        latest = store.get("latest", name)
        return store.report(latest.id), store.snapshot_json(latest.id)


def _refusal_line(refused: Refusal) -> str:
    """One line for stderr: the account's name from AWS escaped and cut short."""
    name = repr(refused.account_name[:80])[1:-1]
    where = f"account {name} ({refused.account})" if refused.account else "the organization"
    region = f" in {refused.region}" if refused.region else ""
    return f"refused {refused.check} for {where}{region}: {refused.reason} (see PLAN.md)"


@app.command("fix")
def fix_cmd(
    output_dir: Annotated[
        Path | None, typer.Option("--output-dir", "-d", help="Directory to write the fixes to.")
    ] = None,
    review_file: Annotated[
        Path | None,
        typer.Option(
            "--review",
            help="A JSON report (wellsec review -f json); default: the latest stored review.",
        ),
    ] = None,
    snapshot_file: Annotated[
        Path | None,
        typer.Option(
            "--snapshot",
            help="The review's snapshot, for OU targeting and delegated "
            "administrators (stored reviews carry theirs).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            help="Replace an earlier plan in the output directory (only the unchanged "
            "files wellsec fix wrote there; anything else makes it refuse)."
        ),
    ] = False,
    alert_email: Annotated[
        str | None, typer.Option(help="Subscriber of the alert topics (default: workload owner).")
    ] = None,
    security_account: Annotated[
        str | None, typer.Option(help="Account to administer GuardDuty and Security Hub.")
    ] = None,
    contact_phone: Annotated[
        str | None, typer.Option(help="Phone number of the security alternate contact.")
    ] = None,
    contact_email: Annotated[
        str | None, typer.Option(help="Address of the security alternate contact.")
    ] = None,
    contact_name: Annotated[
        str, typer.Option(help="Name of the security contact.")
    ] = "Security team",
    pack_bucket: Annotated[
        str | None, typer.Option(help="S3 bucket holding the sample conformance pack templates.")
    ] = None,
    workload: Annotated[
        str | None, typer.Option("--workload", "-w", help="Workload name (stored reviews).")
    ] = None,
    config: ConfigOpt = None,
    store_url: FixStoreOpt = None,
) -> None:
    """Write SCPs, StackSet templates, a reviewed commands script and starters that close
    the review's failing findings, with a PLAN.md saying what to deploy where and when."""
    import re

    from wellsec.fix import FixOptions, build_plan, facts, load_report, plan_files, write_plan
    from wellsec.fix.writer import PLAN_PATH
    from wellsec.snapshot import from_dict, load_snapshot

    if output_dir is None and not dry_run:
        die("--output-dir is required (or --dry-run)", EXIT_INPUT)
    if security_account is not None and not re.match(ACCOUNT, security_account):
        die(f"--security-account: {security_account!r} is not an account id", EXIT_INPUT)
    with errors():
        if review_file is not None:
            report, snapshot_text = load_report(review_file), None
            origin = str(review_file)
        else:
            report, snapshot_text = _from_store(store_url, workload, config)
            origin = "latest stored review"
        if snapshot_file is not None:
            snapshot = load_snapshot(snapshot_file)
        elif snapshot_text is not None:
            import json

            snapshot = from_dict(json.loads(snapshot_text), "stored snapshot")
        else:
            snapshot = None
        options = FixOptions(
            alert_email=alert_email,
            security_account=security_account,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            pack_bucket=pack_bucket,
        )
        found = facts(report, snapshot, origin)
        plan = build_plan(found, options)
        files = plan_files(plan)
        for refused in plan.refused:
            sys.stderr.write(_refusal_line(refused) + "\n")
        if dry_run:
            sys.stdout.write(files[PLAN_PATH])
            return
        assert output_dir is not None
        write_plan(files, output_dir, force=force)
    closing = sum(len(a.closes) for a in plan.artifacts)
    sys.stderr.write(
        f"wrote {len(files)} files to {output_dir}: {len(plan.artifacts)} artifacts closing "
        f"{closing} findings; {len(plan.unremedied)} checks need people (see {PLAN_PATH})\n"
    )
