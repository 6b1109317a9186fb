"""Commands for the Well-Architected Tool: push a review, pull people's answers.

Both read the review from ``--review`` (a JSON report file, or a review id, milestone name
or ``latest`` in the store) and talk to the WA Tool with the standard AWS credentials.
A push is a dry run unless ``--apply`` is given.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from wellsec.cli import (
    DEFAULT_CONFIG,
    EXIT_INCOMPLETE,
    EXIT_INPUT,
    EXIT_NOTHING,
    ConfigOpt,
    _die,
    _errors,
    _workload,
    app,
)
from wellsec.errors import InputError
from wellsec.lens import Lens, load_lens
from wellsec.saved_review import ReviewReport, load_report, parse_report
from wellsec.wa.client import WaTool, WaToolError
from wellsec.wa.push import REASONS, describe_plan
from wellsec.wa.push_run import PushOptions, PushResult, milestone_name, run_push

ReviewOpt = Annotated[
    str | None,
    typer.Option(
        "--review", help="A JSON report file, or a stored review id, milestone or 'latest'."
    ),
]
WaLensOpt = Annotated[
    str | None, typer.Option("--lens", help="Lens key or file (default: the review's lens).")
]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="WA Tool region (default: the AWS config's).")
]
ProfileOpt = Annotated[str | None, typer.Option("--profile", help="AWS profile to use.")]
EndpointOpt = Annotated[str | None, typer.Option("--endpoint-url", hidden=True)]
StoreOpt = Annotated[
    str | None,
    typer.Option("--store", envvar="WELLSEC_STORE", help="Store URL (default: a SQLite file)."),
]
WorkloadIdOpt = Annotated[
    str | None, typer.Option("--workload-id", help="The WA Tool workload's id.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


@contextmanager
def wa_errors() -> Iterator[None]:
    """WA Tool and store errors as one line: bad input exits 2, an AWS failure 3."""
    from wellsec.store.records import StoreError

    with _errors():
        try:
            yield
        except WaToolError as exc:
            _die(str(exc), EXIT_INPUT if exc.bad_input else EXIT_NOTHING)
        except StoreError as exc:
            from wellsec.cli_store import store_exit

            _die(str(exc), store_exit(exc))


def wa_tool(ctx: typer.Context, profile: str | None, region: str | None, url: str | None) -> WaTool:
    """The WA Tool client: one handed in by the caller (``obj``), else from AWS config."""
    given = (ctx.obj or {}).get("wellarchitected") if isinstance(ctx.obj, dict) else None
    if given is not None:
        return WaTool(given)
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ProfileNotFound

    try:
        session = botocore.session.Session(profile=profile)
        where = region or session.get_config_variable("region") or "us-east-1"
        client = session.create_client(
            "wellarchitected",
            region_name=where,
            endpoint_url=url,
            config=Config(
                retries={"mode": "adaptive", "max_attempts": 6}, user_agent_extra="wellsec"
            ),
        )
    except ProfileNotFound as exc:
        _die(str(exc), EXIT_INPUT)
    return WaTool(client)


VerifyKeyOpt = Annotated[
    Path | None,
    typer.Option("--verify-key", help="Secret key file that signed the report (REPORT.sig)."),
]
RequireSignedOpt = Annotated[
    bool,
    typer.Option(
        "--require-signed",
        help="Refuse a review whose evidence is not verified: a report file needs a valid "
        "signature, and its evidence must come from a live scan or a verified snapshot.",
    ),
]


def review_report(
    ref: str | None,
    workload: str | None,
    store_url: str | None,
    verify_key: Path | None = None,
    require_signed: bool = False,
) -> ReviewReport:
    """The review to use: a report file, or a review in the store (default the latest).

    With ``require_signed``, a report file must carry a signature made with
    ``verify_key`` and any review's provenance must say its evidence is verified."""
    if ref and (Path(ref).exists() or ref.endswith(".json") or "/" in ref):
        report = _checked_file(Path(ref), verify_key, require_signed)
    else:
        from wellsec.store.store import Store

        store = Store(store_url)
        try:
            stored = store.get(ref or "latest", workload)
            data = store.report(stored.id)
        finally:
            store.close()
        report = parse_report(data, f"review {stored.id} in the store", stored.id)
    if require_signed:
        from wellsec.provenance import describe, trusted

        if not trusted(report.provenance):
            raise InputError(report.source, f"evidence not verified: {describe(report.provenance)}")
    return report


def _checked_file(path: Path, verify_key: Path | None, required: bool) -> ReviewReport:
    """A report file read once, its signature checked over exactly the bytes parsed."""
    if verify_key is None and not required:
        return load_report(path)
    from wellsec.signing import check_file, load_key

    key = load_key(verify_key) if verify_key is not None else None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    check_file(path, data, key, required)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(path, "not a JSON review report") from None
    return parse_report(parsed, str(path))


def workload_name(config: Path | None) -> str | None:
    """The workload named by --config or ./wellsec.yaml, if there is one."""
    if config is None and not Path(DEFAULT_CONFIG).exists():
        return None
    return _workload(config).name


def review_lens(report: ReviewReport, lens: str | None) -> Lens:
    if lens:
        return load_lens(lens)
    try:
        return load_lens(report.lens_key)
    except InputError:
        raise InputError(
            report.source, f"its lens {report.lens_key} is not built in: pass --lens FILE"
        ) from None


def resolve_workload(tool: WaTool, name: str | None) -> str:
    """The id of the one WA Tool workload called ``name``."""
    if not name:
        raise InputError(None, "which workload? pass --workload-id (or a wellsec.yaml)")
    found = tool.workloads_named(name)
    if len(found) != 1:
        what = "no" if not found else f"{len(found)}"
        raise InputError(
            None,
            f"{what} WA Tool workloads named {name!r}: pass --workload-id"
            + (" or --create-workload" if not found else ""),
        )
    return found[0].id


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
    verify_key: VerifyKeyOpt = None,
    require_signed: RequireSignedOpt = False,
) -> None:
    """Answer SEC 1 of a WA Tool workload from a review (a dry run unless --apply)."""
    if workload_id and create_workload:
        _die("pass --workload-id or --create-workload, not both", EXIT_INPUT)
    if reason not in REASONS:
        _die(f"--not-applicable-reason: {reason!r} is not one of {', '.join(REASONS)}", EXIT_INPUT)
    wl = None
    with wa_errors():
        if config is not None or Path(DEFAULT_CONFIG).exists():
            wl = _workload(config)
        if create_workload and wl is None:
            _die("--create-workload needs a wellsec.yaml (or --config)", EXIT_INPUT)
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
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    out = sys.stdout.write
    if not apply:
        out("Dry run: nothing changes in the WA Tool; pass --apply to make these changes.\n")
    out(
        f"Review: {report.source} ({report.workload}, lens {report.lens_key}, risk {report.risk})\n"
    )
    if lens.key != report.lens_key:
        out(f"Pushed with lens {lens.key}: practices matched to it by choice id.\n")
        if lens.id == report.report.lens.id:
            out(
                "Practices of that version the review did not assess are left as they are; "
                f"'wellsec upgrade' re-evaluates a stored review under {lens.key}.\n"
            )
    target = result.plan.target
    out(f"Workload {result.workload_id or '(new)'}, lens {target.lens_alias}, ")
    out(f"question {target.question_id}\n")
    for step in result.steps.items:
        verb = "sent" if step.done else "would send"
        # UpdateAnswer is shown in words below; --json prints its exact request.
        params = "" if step.operation == "UpdateAnswer" else json.dumps(step.params)
        done = f" -> {step.result}" if step.result else ""
        out(f"{verb} {step.operation} {params}".rstrip() + done + "\n")
    out("\n".join(describe_plan(result.plan)) + "\n")
    if result.risk_after and result.risk_after != report.risk:
        out(
            f"The WA Tool now rates SEC 1 {result.risk_after}; the review said {report.risk} "
            "(its risk rules or the choices left as they were differ).\n"
        )
    if result.milestone:
        out(f"Milestone: {result.milestone}\n")


from wellsec import cli_export, cli_wa_pull  # noqa: E402, F401  (register pull and export)
