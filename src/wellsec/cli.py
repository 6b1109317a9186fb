"""The command line. Only this module parses arguments, touches stdout/files and exits.

Exit codes: 0 done; 1 ``--fail-on`` reached; 2 bad usage or input; 3 nothing collected;
4 done, but incomplete (some evidence unavailable or some account not scanned); 70 an
internal error, a bug (``EX_SOFTWARE`` in sysexits.h), so that CI can tell it from 1.
Commands that only read or write the store (history, diff, milestone, due, upgrade)
exit 3 when the store cannot be used at all and 2 when it lacks the review asked for;
a review whose recording fails is still reported, with a warning, and exits by the review.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup
from typer.exceptions import TyperException

from wellsec import __version__
from wellsec.aws.session import Connector
from wellsec.errors import CollectionError, InputError
from wellsec.lens import DEFAULT_LENS, Lens, QuestionRisk, load_lens
from wellsec.render import Format, render
from wellsec.render.safe import inert, inert_lines, json_escapes
from wellsec.snapshot import AccountStatus, Snapshot, dumps, write_atomic
from wellsec.workload import Workload, default_workload, load_workload

if TYPE_CHECKING:  # the checks and renderers load after the scan has started
    from wellsec.render.html import TrendPoint
    from wellsec.review import Review

EXIT_OK, EXIT_RISK, EXIT_INPUT, EXIT_NOTHING, EXIT_INCOMPLETE = 0, 1, 2, 3, 4
EXIT_BUG = 70
DEFAULT_CONFIG = "wellsec.yaml"
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


def _crash(exc: Exception, debug: bool) -> NoReturn:
    """An uncaught error is a bug: one line saying so and where the traceback went."""
    trace = "".join(traceback.format_exception(exc))  # no local variables: no secrets
    try:
        fd, name = tempfile.mkstemp(prefix="wellsec-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(trace)
        where = f"traceback in {name}"
    except OSError:
        where = "traceback not saved"
    if debug:
        sys.stderr.write(inert_lines(trace))
    sys.stderr.write(
        f"wellsec: internal error (a bug in wellsec, please report it): "
        f"{type(exc).__name__}; {where}"
        + ("" if debug else "; --debug or WELLSEC_DEBUG=1 prints it")
        + "\n"
    )
    raise typer.Exit(EXIT_BUG)


class _Group(TyperGroup):
    """The command group, which turns an uncaught error into exit 70, not Python's 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        # Exits, aborts, usage errors (exit 2) and ^C keep their own handling.
        except (typer.Exit, typer.Abort, TyperException, EOFError):
            raise
        except Exception as exc:
            debug = bool(ctx.params.get("debug")) or os.environ.get("WELLSEC_DEBUG") == "1"
            _crash(exc, debug)


# Tracebacks never print local variables: they hold store URLs with passwords.
app = typer.Typer(
    cls=_Group,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=False,
    help="Evidence-backed review of AWS Well-Architected SEC 1: "
    "How do you securely operate your workload?",
)
lens_app = typer.Typer(
    pretty_exceptions_show_locals=False, no_args_is_help=True, help="Show or export the lens."
)
app.add_typer(lens_app, name="lens")
err = Console(stderr=True, highlight=False)


class FailOn(StrEnum):
    high = "high"
    medium = "medium"


FAIL_RANK = {FailOn.high: QuestionRisk.HIGH.rank, FailOn.medium: QuestionRisk.MEDIUM.rank}


def _die(message: str, code: int) -> NoReturn:
    # Messages may quote AWS text (names, reasons): one line, no control characters.
    sys.stderr.write(f"wellsec: error: {inert(message)}\n")
    raise typer.Exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Translate library errors into one line and an exit code."""
    try:
        yield
    except InputError as exc:
        _die(str(exc), EXIT_INPUT)
    except CollectionError as exc:
        _die(str(exc), EXIT_NOTHING)


# -- shared options ---------------------------------------------------------------
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Workload file (default: ./wellsec.yaml if present)."),
]
LensOpt = Annotated[
    str,
    typer.Option("--lens", help="Built-in lens (sec01@2022, sec01@2025, or 2025) or a lens file."),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Report format.")]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report to a file.")
]
FailOnOpt = Annotated[
    FailOn | None,
    typer.Option("--fail-on", help="Exit 1 when the question's risk reaches this level."),
]
RegionsOpt = Annotated[
    str | None, typer.Option("--regions", help="Comma-separated regions to scan.")
]
StoreUrlOpt = Annotated[
    str | None,
    typer.Option("--store", envvar="WELLSEC_STORE", help="Store URL (default: a SQLite file)."),
]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Do not record this review.")]
AttemptsOpt = Annotated[
    int, typer.Option("--max-attempts", min=1, max=20, help="Attempts per API call (retries + 1).")
]
TimeoutOpt = Annotated[
    int, typer.Option("--read-timeout", min=1, max=300, help="Seconds to wait for an API answer.")
]
SignKeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--sign-key", help="Secret key file: write FILE.sig next to each snapshot and report."
    ),
]
VerifyKeyOpt = Annotated[
    Path | None,
    typer.Option("--verify-key", help="Secret key file: check the input's FILE.sig with it."),
]
RequireSignedOpt = Annotated[
    bool,
    typer.Option("--require-signed", help="Refuse an input without a valid signature."),
]
CallTimeoutOpt = Annotated[
    int | None,
    typer.Option(
        "--call-timeout",
        min=1,
        max=3600,
        help="Seconds one API call may take, retries included (a listing: between pages); "
        "what runs longer is UNKNOWN. Default: every attempt's connect and read timeouts "
        "plus the retry backoff.",
    ),
]


def _workload(config: Path | None) -> Workload:
    if config is not None:
        return load_workload(config)
    if Path(DEFAULT_CONFIG).exists():
        return load_workload(DEFAULT_CONFIG)
    return default_workload()


def _regions(value: str | None) -> list[str] | None:
    if not value:
        return None
    regions = [r.strip() for r in value.split(",") if r.strip()]
    bad = [r for r in regions if not REGION.match(r)]
    if bad:
        _die(f"--regions: {bad[0]!r} is not a region name", EXIT_INPUT)
    return regions


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        _die(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT)
    sys.stderr.write(f"wrote {output}\n")


def _signed(path: Path, text: str, key: bytes | None) -> None:
    """Write ``text`` to ``path``, and its signature to ``path.sig`` when there is a key."""
    from wellsec.signing import sign, signature_path

    write_atomic(path, text)
    if key is not None:
        write_atomic(signature_path(path), sign(text.encode("utf-8"), key))


def _key(path: Path | None) -> bytes | None:
    from wellsec.signing import load_key

    return load_key(path) if path is not None else None


def _report(
    review: Review,
    fmt: Format,
    output: Path | None,
    fail_on: FailOn | None,
    trend: list[TrendPoint] | None = None,
    incomplete_exit: bool = True,
    sign_key: bytes | None = None,
) -> None:
    if fmt is Format.TEXT and output is None and sys.stdout.isatty():
        from wellsec.render.terminal import render_text
        from wellsec.report.build import build_report

        sys.stdout.write(render_text(build_report(review), width=100, color=True))
    elif output is not None and sign_key is not None:
        text = render(review, fmt, trend=trend)
        try:
            _signed(output, text, sign_key)
        except OSError as exc:
            _die(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT)
        sys.stderr.write(f"wrote {output} (signed)\n")
    else:
        _emit(render(review, fmt, trend=trend), output)
    if not review.complete:
        err.print(
            "wellsec: review incomplete: some evidence was unavailable (UNKNOWN)", style="yellow"
        )
    scanned = [a for a in review.snapshot.accounts if a.status is AccountStatus.SCANNED]
    if review.snapshot.accounts and not scanned:
        _die("no account could be scanned", EXIT_NOTHING)
    if fail_on is not None and review.risk.rank >= FAIL_RANK[fail_on]:
        raise typer.Exit(EXIT_RISK)
    if not review.complete and incomplete_exit:
        raise typer.Exit(EXIT_INCOMPLETE)


def _record(result: Review, snapshot: Snapshot, url: str | None) -> list[TrendPoint]:
    """Keep the review in the history store and return the workload's trend (for HTML).

    A store failure is a warning, not a failure of the review."""
    from sqlalchemy.exc import SQLAlchemyError

    from wellsec.report.build import build_report
    from wellsec.store.store import Store, StoreError

    try:
        store = Store(url)
        try:
            review_id = store.record(
                report=build_report(result),
                cadence_days=result.workload.review_cadence_days,
                snapshot_json=dumps(snapshot),
            )
            from wellsec.render.html import trend_from_history

            trend = trend_from_history(
                [
                    (r.created_at, r.risk, _workload_statuses(store.practice_statuses(r.id)))
                    for r in store.reviews(result.workload.name)[-30:]
                ]
            )
        finally:
            store.close()
    except (StoreError, SQLAlchemyError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        sys.stderr.write(f"wellsec: warning: review not recorded: {inert(_masked(first, url))}\n")
        return []
    sys.stderr.write(f"recorded review {review_id} of {inert(result.workload.name)}\n")
    return trend


def _history(workload: Workload, url: str | None) -> tuple[dt.datetime, ...] | None:
    """When earlier reviews of the workload were recorded; None (and a warning that the
    review will not be recorded) if the store is unusable."""
    from sqlalchemy.exc import SQLAlchemyError

    from wellsec.store.store import Store, StoreError

    try:
        store = Store(url)
        try:
            return tuple(r.created_at for r in store.reviews(workload.name))
        finally:
            store.close()
    except (StoreError, SQLAlchemyError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        sys.stderr.write(
            "wellsec: warning: review not recorded (store unusable): "
            f"{inert(_masked(first, url))}\n"
        )
        return None


def _masked(message: str, url: str | None) -> str:
    """``message`` without the store URL's password, wherever a driver may have put it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = make_url(url).password if url else None
    except (ArgumentError, ValueError):
        return message
    return message.replace(str(password), "***") if password else message


def _workload_statuses(statuses: dict[tuple[str, str], str]) -> dict[str, str]:
    return {practice: status for (practice, account), status in statuses.items() if not account}


class _ProgressObserver:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("scanning", total=0)
        self.total = 0

    def planned(self, units: int) -> None:
        self.total += units
        self.progress.update(self.task, total=self.total)

    def done(self, units: int, label: str) -> None:
        # The label is an account name: its owner chose it. The column reads no markup.
        name = inert(label)[:24]
        self.progress.update(self.task, advance=units, description=f"scanning {name}")


def _scan(
    connector: Connector, workload: Workload, regions: list[str] | None, workers: int
) -> Snapshot:
    from wellsec.collect.scan import Scan

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        observer = _ProgressObserver(progress)
        return Scan(
            connector, workload, regions=regions, observer=observer, max_workers=workers
        ).run()


def _connector(
    profile: str | None,
    role_name: str | None,
    home_region: str,
    endpoint_url: str | None,
    workload: Workload,
    max_attempts: int = 6,
    read_timeout: int = 20,
    call_timeout: int | None = None,
) -> Connector:
    return Connector(
        profile=profile,
        endpoint_url=endpoint_url,
        home_region=home_region,
        role_name=role_name or workload.role_name,
        max_attempts=max_attempts,
        read_timeout=read_timeout,
        call_seconds=call_timeout,
    )


# -- commands ---------------------------------------------------------------------
@app.command()
def review(
    config: ConfigOpt = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile to use.")] = None,
    role_name: Annotated[str | None, typer.Option(help="Role to assume in each account.")] = None,
    regions: RegionsOpt = None,
    home_region: Annotated[str, typer.Option(help="Region for global APIs.")] = "us-east-1",
    endpoint_url: Annotated[str | None, typer.Option(hidden=True)] = None,
    lens: LensOpt = DEFAULT_LENS,
    fmt: FormatOpt = Format.TEXT,
    output: OutputOpt = None,
    snapshot_out: Annotated[
        Path | None, typer.Option("--snapshot", help="Also save the evidence snapshot here.")
    ] = None,
    fail_on: FailOnOpt = None,
    max_workers: Annotated[int, typer.Option(min=1, max=128)] = 16,
    store_url: StoreUrlOpt = None,
    no_store: NoStoreOpt = False,
    max_attempts: AttemptsOpt = 6,
    read_timeout: TimeoutOpt = 20,
    sign_key: SignKeyOpt = None,
    call_timeout: CallTimeoutOpt = None,
) -> None:
    """Scan the organization and review SEC 1 (scan + evaluate), and record it."""
    from wellsec.provenance import of_scan

    if sign_key is not None and output is None and snapshot_out is None:
        _die("--sign-key signs the --output report and the --snapshot file: pass one", EXIT_INPUT)
    with _errors():
        workload = _workload(config)
        the_lens = load_lens(lens)
        key = _key(sign_key)
        connector = _connector(
            profile,
            role_name,
            home_region,
            endpoint_url,
            workload,
            max_attempts,
            read_timeout,
            call_timeout,
        )
        snapshot = _scan(connector, workload, _regions(regions), max_workers)
        snapshot.caller_arn = connector.caller_identity()["arn"]  # known since the scan began
        # The clients and their models are done with: free them before the checks run,
        # so the peak is the larger of scanning and evaluating, not their sum.
        del connector
        gc.collect()
        if snapshot_out:
            _signed(snapshot_out, dumps(snapshot), key)
        history = None if no_store else _history(workload, store_url)
        from wellsec.review import evaluate as evaluate_snapshot

        result = evaluate_snapshot(snapshot, workload, the_lens, history=history)
        result = dataclasses.replace(result, provenance=of_scan(snapshot))
    trend = [] if no_store or history is None else _record(result, snapshot, store_url)
    _report(result, fmt, output, fail_on, trend, sign_key=key)


@app.command()
def scan(
    config: ConfigOpt = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile to use.")] = None,
    role_name: Annotated[str | None, typer.Option(help="Role to assume in each account.")] = None,
    regions: RegionsOpt = None,
    home_region: Annotated[str, typer.Option(help="Region for global APIs.")] = "us-east-1",
    endpoint_url: Annotated[str | None, typer.Option(hidden=True)] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Snapshot file.")] = Path(
        "wellsec-snapshot.json"
    ),
    max_workers: Annotated[int, typer.Option(min=1, max=128)] = 16,
    max_attempts: AttemptsOpt = 6,
    read_timeout: TimeoutOpt = 20,
    sign_key: SignKeyOpt = None,
    call_timeout: CallTimeoutOpt = None,
) -> None:
    """Collect the evidence into a snapshot file (read-only calls only)."""
    with _errors():
        workload = _workload(config)
        key = _key(sign_key)
        connector = _connector(
            profile,
            role_name,
            home_region,
            endpoint_url,
            workload,
            max_attempts,
            read_timeout,
            call_timeout,
        )
        snapshot = _scan(connector, workload, _regions(regions), max_workers)
        snapshot.caller_arn = connector.caller_identity()["arn"]  # known since the scan began
    if key is None:
        _emit(dumps(snapshot), output)
    else:
        try:
            _signed(output, dumps(snapshot), key)
        except OSError as exc:
            _die(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT)
        sys.stderr.write(f"wrote {output} and its signature {output}.sig\n")
    if snapshot.accounts and all(a.status is AccountStatus.UNREACHABLE for a in snapshot.accounts):
        _die("no account could be scanned", EXIT_NOTHING)


@app.command("evaluate")
def evaluate_cmd(
    snapshot: Annotated[Path, typer.Argument(help="A snapshot written by 'wellsec scan'.")],
    config: ConfigOpt = None,
    lens: LensOpt = DEFAULT_LENS,
    fmt: FormatOpt = Format.TEXT,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    record: Annotated[bool, typer.Option("--record", help="Record it in the store.")] = False,
    store_url: StoreUrlOpt = None,
    verify_key: VerifyKeyOpt = None,
    require_signed: RequireSignedOpt = False,
    sign_key: SignKeyOpt = None,
) -> None:
    """Review a saved snapshot offline."""
    from wellsec.provenance import load_checked

    if sign_key is not None and output is None:
        _die("--sign-key signs the --output report: pass --output", EXIT_INPUT)
    with _errors():
        workload = _workload(config)
        the_lens = load_lens(lens)
        key = _key(sign_key)
        snap, provenance = load_checked(snapshot, _key(verify_key), require_signed)
        history = _history(workload, store_url) if record else None
        from wellsec.review import evaluate as evaluate_snapshot

        result = evaluate_snapshot(snap, workload, the_lens, history=history)
        result = dataclasses.replace(result, provenance=provenance)
    trend = _record(result, snap, store_url) if history is not None else []
    _report(result, fmt, output, fail_on, trend, sign_key=key)


@app.command()
def demo(
    fmt: FormatOpt = Format.TEXT,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    lens: LensOpt = DEFAULT_LENS,
    snapshot_out: Annotated[
        Path | None, typer.Option("--snapshot", help="Also save the evidence snapshot here.")
    ] = None,
    improved: Annotated[
        bool, typer.Option("--improved", help="Fix some gaps first, to see progress.")
    ] = False,
    store_url: StoreUrlOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Review an emulated organization (no AWS account needed), and record it."""
    from wellsec.demo import demo_environment

    with _errors():
        the_lens = load_lens(lens)
        try:
            with demo_environment(improved=improved) as env:
                accounts = ", ".join(f"{n} {i}" for n, i in env.accounts.items())
                sys.stderr.write(f"demo organization on {env.endpoint_url}: {accounts}\n")
                snapshot = _scan(env.connector(), env.workload, None, 16)
        except RuntimeError as exc:
            _die(str(exc), EXIT_NOTHING)
        if snapshot_out:
            write_atomic(snapshot_out, dumps(snapshot))
        history = None if no_store else _history(env.workload, store_url)
        from wellsec.provenance import Origin, of_scan
        from wellsec.review import evaluate as evaluate_snapshot

        result = evaluate_snapshot(snapshot, env.workload, the_lens, history=history)
        result = dataclasses.replace(result, provenance=of_scan(snapshot, Origin.DEMO))
    trend = [] if no_store or history is None else _record(result, snapshot, store_url)
    # The demo's organization is built with gaps in its evidence: not an error here.
    _report(result, fmt, output, fail_on, trend, incomplete_exit=False)


@lens_app.command("show")
def lens_show(lens: LensOpt = DEFAULT_LENS) -> None:
    """Print the lens: practices, risk rules, improvement items."""
    with _errors():
        text = _describe_lens(load_lens(lens))  # a lens may list a check wellsec lacks
    sys.stdout.write(inert_lines(text))  # a lens file is someone else's text


def _describe_lens(lens: Lens) -> str:
    from wellsec.checks.practices import check_practices
    from wellsec.checks.runner import all_checks  # noqa: F401  (registers the checks)

    served = check_practices(lens)
    lines = [f"{lens.key}  {lens.name}", lens.question_title, ""]
    for bp in lens.best_practices:
        lines.append(f"{bp.id}  {bp.title}  [risk if missing: {bp.risk_if_missing.value}]")
        lines.append(f"    choice id: {bp.choice_id}")
        mine = sorted(c for c, p in served.items() if p == bp.id)
        lines.append(f"    checks: {', '.join(mine) or '(none: attested only)'}")
        for item in bp.items:
            lines.append(f"    - {item.title}: {item.text}")
            lines += [
                f"        {r.name}" + (f" <{r.url}>" if r.url else "") for r in item.resources
            ]
        for spec in bp.attestations:
            lines.append(
                f"    attestation {spec.id} (valid {spec.max_age_days} days): {spec.statement}"
            )
        lines.append("")
    lines.append("Risk rules (first true wins):")
    lines += [f"  {r.risk.value:<6} if {r.condition}" for r in lens.risk_rules]
    return "\n".join(lines) + "\n"


@lens_app.command("export")
def lens_export(
    lens: LensOpt = DEFAULT_LENS,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
) -> None:
    """Write the lens as Well-Architected custom-lens JSON (for ImportLens)."""
    with _errors():
        the_lens = load_lens(lens)
    _emit(
        json_escapes(json.dumps(the_lens.to_wa_json(), indent=2, ensure_ascii=False)) + "\n", output
    )


@app.command("checks")
def list_checks(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
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
            _die(f"--kind: {kind!r} is not one of {', '.join(k.value for k in Kind)}", EXIT_INPUT)
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
        _die(f"{output} exists; use --force to overwrite", EXIT_INPUT)
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
    with _errors():
        text = starter_yaml(answers, output, dt.date.today())
    _emit(text, output)


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"wellsec {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="On an internal error, print the traceback.")
    ] = False,
) -> None:
    """wellsec."""


def main() -> None:
    app()


# One line per command module, `import x as x` so that the lines stay apart and sorted.
from wellsec import cli_fix as cli_fix  # noqa: E402  (registers the fix command)
from wellsec import cli_lens as cli_lens  # noqa: E402  (registers lens diff and upgrade)
from wellsec import cli_store as cli_store  # noqa: E402  (registers the history commands)
from wellsec import cli_wa as cli_wa  # noqa: E402  (registers push, pull and export)
