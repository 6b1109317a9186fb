"""``wellsec export``: a review's findings for other tools; ASFF, optionally into Security Hub."""

from __future__ import annotations

import json
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from wellsec.cli.exits import EXIT_INCOMPLETE, EXIT_INPUT, EXIT_NOTHING, die, errors
from wellsec.cli.options import (
    ConfigOpt,
    EndpointOpt,
    ProfileOpt,
    ReportRequireSignedOpt,
    ReportVerifyKeyOpt,
    ReviewOpt,
    RoleNameOpt,
    StoreOpt,
)
from wellsec.cli.support import emit, has_workload_file, make_connector, workload_of
from wellsec.cli.wa_support import review_report
from wellsec.render.safe import inert
from wellsec.securityhub.asff import id_prefix, to_asff
from wellsec.securityhub.asff_check import problems
from wellsec.securityhub.importer import ImportResult, import_findings

app = typer.Typer(pretty_exceptions_show_locals=False)


class ExportFormat(StrEnum):
    asff = "asff"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Export format.")],
    review: ReviewOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the findings to a file.")
    ] = None,
    to_securityhub: Annotated[
        bool,
        typer.Option(
            "--to-securityhub",
            help="Import them into Security Hub (BatchImportFindings: a write, in each account).",
        ),
    ] = False,
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            help="Account for workload-wide findings (default: the management account).",
        ),
    ] = None,
    home_region: Annotated[
        str, typer.Option(help="Region for findings that have none (account-wide ones).")
    ] = "us-east-1",
    report_url: Annotated[
        str | None, typer.Option("--report-url", help="Link each finding to the full report.")
    ] = None,
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
    role_name: RoleNameOpt = None,
    endpoint_url: EndpointOpt = None,
    store_url: StoreOpt = None,
    verify_key: ReportVerifyKeyOpt = None,
    require_signed: ReportRequireSignedOpt = False,
) -> None:
    """Export a review's findings as ASFF; --to-securityhub imports them."""
    if account is not None and not (account.isdigit() and len(account) == 12):
        die(f"--account: {account!r} is not a 12-digit account id", EXIT_INPUT)
    with errors():
        workload = workload_of(config) if has_workload_file(config) else None
        report = review_report(
            review, workload.name if workload else None, store_url, verify_key, require_signed
        )
        connector = None
        default = account or report.management_account()
        if to_securityhub:
            connector = make_connector(
                profile, role_name, home_region, endpoint_url, workload or workload_of(None)
            )
            default = default or connector.caller_identity()["account"]
        if default is None:
            die(
                f"{report.source}: no management account in the report; pass --account",
                EXIT_INPUT,
            )
        from wellsec.report.rules import registry_rules  # the check registry: only here

        findings = to_asff(report, home_region, default, registry_rules(), report_url)
        broken = problems(findings)
        if broken:
            die(f"{report.source}: findings would be refused: {broken[0]}", EXIT_INPUT)
        if output is not None or connector is None:
            emit(json.dumps(findings, indent=2, ensure_ascii=False) + "\n", output)
        if connector is None:
            return
        results = import_findings(connector, findings, id_prefix(report.workload))
    _report_import(results)


def _report_import(results: list[ImportResult]) -> None:
    out = sys.stderr.write  # what Security Hub says goes through inert()
    imported = sum(r.imported for r in results)
    failed = sum(len(r.failures) for r in results)
    for r in results:
        line = (
            f"Security Hub {inert(r.account)} {inert(r.region)}: {r.imported} of {r.sent} imported"
        )
        line += f", {len(r.failures)} failed" if r.failures else ""
        if r.archived:
            line += (
                f", {r.archived} earlier {'finding' if r.archived == 1 else 'findings'} archived"
            )
        out(line + "\n")
        if r.warning:
            out(f"    warning: {inert(r.warning)}\n")
        reasons = Counter((f.code, f.message) for f in r.failures)
        for (code, message), count in reasons.most_common(5):
            first = next(f.id for f in r.failures if (f.code, f.message) == (code, message))
            out(f"    {count} x {inert(code)}: {inert(message)} (first: {inert(first)})\n")
        if len(reasons) > 5:
            out(f"    ... and {len(reasons) - 5} other reasons\n")
    out(f"imported {imported} findings, {failed} failed\n")
    if failed:
        raise typer.Exit(EXIT_INCOMPLETE if imported else EXIT_NOTHING)


class Integration(StrEnum):
    push = "push"
    pull = "pull"
    securityhub = "securityhub"


@app.command("integration-policy")
def integration_policy(
    integration: Annotated[Integration, typer.Argument(help="push, pull or securityhub.")],
) -> None:
    """Print the IAM policy push, pull or the Security Hub import needs (not part of the scan's)."""
    from wellsec.securityhub import IMPORT_ACTIONS
    from wellsec.wa.client import PULL_ACTIONS, PUSH_ACTIONS

    actions = {
        Integration.push: PUSH_ACTIONS,
        Integration.pull: PULL_ACTIONS,
        Integration.securityhub: IMPORT_ACTIONS,
    }[integration]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": f"Wellsec{integration.value.title().replace('hub', 'Hub')}",
                "Effect": "Allow",
                "Action": sorted(actions),
                "Resource": "*",
            }
        ],
    }
    sys.stdout.write(json.dumps(policy, indent=2) + "\n")
