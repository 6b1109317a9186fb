"""``wellsec push``: answer SEC 1 of a WA Tool workload from a review.

A push is a dry run unless ``--apply`` is given.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from wellsec.cli.exits import EXIT_INCOMPLETE, EXIT_INPUT, die, errors
from wellsec.cli.options import (
    ConfigOpt,
    EndpointOpt,
    JsonOpt,
    ProfileOpt,
    RegionOpt,
    ReportRequireSignedOpt,
    ReportVerifyKeyOpt,
    ReviewOpt,
    StoreOpt,
    WorkloadIdOpt,
)
from wellsec.cli.support import has_workload_file, workload_of
from wellsec.cli.wa_support import resolve_workload, review_lens, review_report, wa_tool
from wellsec.lens import Lens
from wellsec.render.safe import inert, json_escapes
from wellsec.saved_review import ReviewReport
from wellsec.wa.push import REASONS, describe_plan
from wellsec.wa.push_run import PushOptions, PushResult, milestone_name, run_push

app = typer.Typer(pretty_exceptions_show_locals=False)
WaLensOpt = Annotated[
    str | None, typer.Option("--lens", help="Lens key or file (default: the review's lens).")
]


@app.command()
def push(
    ctx: typer.Context,
    review: ReviewOpt = None,
    workload_id: WorkloadIdOpt = None,
    create_workload: Annotated[
        bool, typer.Option("--create-workload", help="Create the workload from wellsec.yaml.")
    ] = False,
    config: ConfigOpt = None,
    lens: WaLensOpt = None,
    custom_lens: Annotated[
        bool,
        typer.Option("--custom-lens", help="Answer the lens as a custom lens (imported first)."),
    ] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Make the changes.")] = False,
    milestone: Annotated[
        str | None, typer.Option("--milestone", help="Milestone name (default: the review's).")
    ] = None,
    no_milestone: Annotated[bool, typer.Option("--no-milestone")] = False,
    reason: Annotated[
        str, typer.Option("--not-applicable-reason", help=f"One of {', '.join(REASONS)}.")
    ] = "OUT_OF_SCOPE",
    report_url: Annotated[
        str | None, typer.Option("--report-url", help="Where the full report is, for the notes.")
    ] = None,
    region: RegionOpt = None,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    store_url: StoreOpt = None,
    as_json: JsonOpt = False,
    verify_key: ReportVerifyKeyOpt = None,
    require_signed: ReportRequireSignedOpt = False,
) -> None:
    """Answer SEC 1 of a WA Tool workload from a review (a dry run unless --apply)."""
    if workload_id and create_workload:
        die("pass --workload-id or --create-workload, not both", EXIT_INPUT)
    if reason not in REASONS:
        die(f"--not-applicable-reason: {reason!r} is not one of {', '.join(REASONS)}", EXIT_INPUT)
    wl = None
    with errors():
        if has_workload_file(config):
            wl = workload_of(config)
        if create_workload and wl is None:
            die("--create-workload needs a wellsec.yaml (or --config)", EXIT_INPUT)
        report = review_report(
            review, wl.name if wl else None, store_url, verify_key, require_signed
        )
        the_lens = review_lens(report, lens)
        tool = wa_tool(ctx, profile, region, endpoint_url)
        if not workload_id and not create_workload:
            workload_id = resolve_workload(tool, wl.name if wl else report.workload)
        pointer = report_url or (
            f"wellsec review {report.review_id} in the review history"
            if report.review_id is not None
            else Path(report.source).name
        )
        options = PushOptions(
            workload_id=workload_id,
            create=wl if create_workload else None,
            pointer=pointer,
            custom_lens=custom_lens,
            na_reason=reason,
            milestone=None if no_milestone else (milestone or milestone_name(report)),
            config_source=str(config or "wellsec.yaml"),
            follow_workload=lens is None,  # an explicit --lens is the user's choice
        )
        result = run_push(tool, the_lens, report, options, apply)
    _show_push(result, report, result.lens or the_lens, apply, as_json)
    if result.milestone_failed:
        raise typer.Exit(EXIT_INCOMPLETE)


def _show_push(
    result: PushResult, report: ReviewReport, lens: Lens, apply: bool, as_json: bool
) -> None:
    if as_json:
        data: dict[str, Any] = {
            "applied": apply,
            "workload_id": result.workload_id,
            "review": report.source,
            "lens": lens.key,
            "steps": [
                {"operation": s.operation, "params": s.params, "done": s.done, "result": s.result}
                for s in result.steps.items
            ],
            "risk_after": result.risk_after,
            "milestone": result.milestone,
        }
        text = json.dumps(data, indent=2, ensure_ascii=False)
        sys.stdout.write(json_escapes(text) + "\n")  # AWS's answers, never obeyed
        return
    out = sys.stdout.write  # what AWS or a report file says goes through inert()
    if not apply:
        out("Dry run: nothing changes in the WA Tool; pass --apply to make these changes.\n")
    out(
        f"Review: {inert(report.source)} ({inert(report.workload)}, "
        f"lens {inert(report.lens_key)}, risk {inert(report.risk)})\n"
    )
    if lens.key != report.lens_key:
        out(f"Pushed with lens {lens.key}: practices matched to it by choice id.\n")
        if lens.id == report.report.lens.id:
            out(
                "Practices of that version the review did not assess are left as they are; "
                f"'wellsec upgrade' re-evaluates a stored review under {lens.key}.\n"
            )
    target = result.plan.target
    out(f"Workload {inert(result.workload_id or '(new)')}, lens {inert(target.lens_alias)}, ")
    out(f"question {inert(target.question_id)}\n")
    for step in result.steps.items:
        verb = "sent" if step.done else "would send"
        # UpdateAnswer is shown in words below; --json prints its exact request.
        params = "" if step.operation == "UpdateAnswer" else json.dumps(step.params)
        done = f" -> {inert(step.result)}" if step.result else ""
        out(f"{verb} {step.operation} {params}".rstrip() + done + "\n")
    out("\n".join(inert(line) for line in describe_plan(result.plan)) + "\n")
    if result.risk_after and result.risk_after != report.risk:
        out(
            f"The WA Tool now rates SEC 1 {inert(result.risk_after)}; "
            f"the review said {inert(report.risk)} "
            "(its risk rules or the choices left as they were differ).\n"
        )
    if result.milestone:
        out(f"Milestone: {inert(result.milestone)}\n")
