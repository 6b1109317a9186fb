"""``wellsec review``, ``scan`` and ``evaluate``: collect evidence, review it, record it."""

from __future__ import annotations

import dataclasses
import gc
import sys
from pathlib import Path
from typing import Annotated

import typer

from wellsec.cli.exits import EXIT_INPUT, EXIT_NOTHING, die, errors
from wellsec.cli.options import (
    AttemptsOpt,
    CallTimeoutOpt,
    ConfigOpt,
    EndpointOpt,
    FailOnOpt,
    FormatOpt,
    HomeRegionOpt,
    LensOpt,
    NoStoreOpt,
    OutputOpt,
    ProfileOpt,
    RegionsOpt,
    RequireSignedOpt,
    RoleNameOpt,
    SignKeyOpt,
    SnapshotOutOpt,
    StoreOpt,
    TimeoutOpt,
    VerifyKeyOpt,
    WorkersOpt,
)
from wellsec.cli.reports import report_review, scan_with_progress
from wellsec.cli.stores import record_review, review_history
from wellsec.cli.support import (
    emit,
    load_key_file,
    make_connector,
    parse_regions,
    workload_of,
    write_signed,
)
from wellsec.lens import DEFAULT_LENS, load_lens
from wellsec.render import Format
from wellsec.snapshot import AccountStatus, Snapshot, dumps
from wellsec.workload import Workload

app = typer.Typer(pretty_exceptions_show_locals=False)


def _collect(
    workload: Workload,
    profile: str | None,
    role_name: str | None,
    regions: str | None,
    home_region: str,
    endpoint_url: str | None,
    max_workers: int,
    max_attempts: int,
    read_timeout: int,
    call_timeout: int | None,
) -> Snapshot:
    """The scan that review and scan share: one set of options, one way to run it."""
    connector = make_connector(
        profile,
        role_name,
        home_region,
        endpoint_url,
        workload,
        max_attempts,
        read_timeout,
        call_timeout,
    )
    snapshot = scan_with_progress(connector, workload, parse_regions(regions), max_workers)
    snapshot.caller_arn = connector.caller_identity()["arn"]  # known since the scan began
    return snapshot


@app.command()
def review(
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
    role_name: RoleNameOpt = None,
    regions: RegionsOpt = None,
    home_region: HomeRegionOpt = "us-east-1",
    endpoint_url: EndpointOpt = None,
    lens: LensOpt = DEFAULT_LENS,
    fmt: FormatOpt = Format.TEXT,
    output: OutputOpt = None,
    snapshot_out: SnapshotOutOpt = None,
    fail_on: FailOnOpt = None,
    max_workers: WorkersOpt = 16,
    store_url: StoreOpt = None,
    no_store: NoStoreOpt = False,
    max_attempts: AttemptsOpt = 6,
    read_timeout: TimeoutOpt = 20,
    sign_key: SignKeyOpt = None,
    call_timeout: CallTimeoutOpt = None,
) -> None:
    """Scan the organization and review SEC 1 (scan + evaluate), and record it."""
    from wellsec.provenance import of_scan

    if sign_key is not None and output is None and snapshot_out is None:
        die("--sign-key signs the --output report and the --snapshot file: pass one", EXIT_INPUT)
    with errors():
        workload = workload_of(config)
        the_lens = load_lens(lens)
        key = load_key_file(sign_key)
        snapshot = _collect(
            workload,
            profile,
            role_name,
            regions,
            home_region,
            endpoint_url,
            max_workers,
            max_attempts,
            read_timeout,
            call_timeout,
        )
        # The clients and their models are done with (they went with _collect's frame):
        # free them before the checks run, so the peak is the larger of scanning and
        # evaluating, not their sum.
        gc.collect()
        if snapshot_out:
            write_signed(snapshot_out, dumps(snapshot), key)
        history = None if no_store else review_history(workload, store_url)
        from wellsec.review import evaluate as evaluate_snapshot

        result = evaluate_snapshot(snapshot, workload, the_lens, history=history)
        result = dataclasses.replace(result, provenance=of_scan(snapshot))
    trend = [] if no_store or history is None else record_review(result, snapshot, store_url)
    report_review(result, fmt, output, fail_on, trend, sign_key=key)


@app.command()
def scan(
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
    role_name: RoleNameOpt = None,
    regions: RegionsOpt = None,
    home_region: HomeRegionOpt = "us-east-1",
    endpoint_url: EndpointOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Snapshot file.")] = Path(
        "wellsec-snapshot.json"
    ),
    max_workers: WorkersOpt = 16,
    max_attempts: AttemptsOpt = 6,
    read_timeout: TimeoutOpt = 20,
    sign_key: SignKeyOpt = None,
    call_timeout: CallTimeoutOpt = None,
) -> None:
    """Collect the evidence into a snapshot file (read-only calls only)."""
    with errors():
        workload = workload_of(config)
        key = load_key_file(sign_key)
        snapshot = _collect(
            workload,
            profile,
            role_name,
            regions,
            home_region,
            endpoint_url,
            max_workers,
            max_attempts,
            read_timeout,
            call_timeout,
        )
    if key is None:
        emit(dumps(snapshot), output)
    else:
        try:
            write_signed(output, dumps(snapshot), key)
        except OSError as exc:
            die(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT)
        sys.stderr.write(f"wrote {output} and its signature {output}.sig\n")
    if snapshot.accounts and all(a.status is AccountStatus.UNREACHABLE for a in snapshot.accounts):
        die("no account could be scanned", EXIT_NOTHING)


@app.command("evaluate")
def evaluate_cmd(
    snapshot: Annotated[Path, typer.Argument(help="A snapshot written by 'wellsec scan'.")],
    config: ConfigOpt = None,
    lens: LensOpt = DEFAULT_LENS,
    fmt: FormatOpt = Format.TEXT,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    record: Annotated[bool, typer.Option("--record", help="Record it in the store.")] = False,
    store_url: StoreOpt = None,
    verify_key: VerifyKeyOpt = None,
    require_signed: RequireSignedOpt = False,
    sign_key: SignKeyOpt = None,
) -> None:
    """Review a saved snapshot offline."""
    from wellsec.provenance import load_checked

    if sign_key is not None and output is None:
        die("--sign-key signs the --output report: pass --output", EXIT_INPUT)
    with errors():
        workload = workload_of(config)
        the_lens = load_lens(lens)
        key = load_key_file(sign_key)
        snap, provenance = load_checked(snapshot, load_key_file(verify_key), require_signed)
        history = review_history(workload, store_url) if record else None
        from wellsec.review import evaluate as evaluate_snapshot

        result = evaluate_snapshot(snap, workload, the_lens, history=history)
        result = dataclasses.replace(result, provenance=provenance)
    trend = record_review(result, snap, store_url) if history is not None else []
    report_review(result, fmt, output, fail_on, trend, sign_key=key)
