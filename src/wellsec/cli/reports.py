"""A review's way out: the scan's progress bar, the report written, the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wellsec.aws.session import Connector
from wellsec.cli.exits import EXIT_INCOMPLETE, EXIT_INPUT, EXIT_NOTHING, EXIT_RISK, die
from wellsec.cli.options import FailOn
from wellsec.cli.support import emit, write_signed
from wellsec.lens import QuestionRisk
from wellsec.render import Format, render
from wellsec.render.safe import inert
from wellsec.snapshot import AccountStatus, Snapshot
from wellsec.workload import Workload

if TYPE_CHECKING:  # the checks and renderers load after the scan has started
    from wellsec.render.html import TrendPoint
    from wellsec.review import Review

FAIL_RANK = {FailOn.high: QuestionRisk.HIGH.rank, FailOn.medium: QuestionRisk.MEDIUM.rank}
err = Console(stderr=True, highlight=False)


def report_review(
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
            write_signed(output, text, sign_key)
        except OSError as exc:
            die(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT)
        sys.stderr.write(f"wrote {output} (signed)\n")
    else:
        emit(render(review, fmt, trend=trend), output)
    if not review.complete:
        err.print(
            "wellsec: review incomplete: some evidence was unavailable (UNKNOWN)", style="yellow"
        )
    scanned = [a for a in review.snapshot.accounts if a.status is AccountStatus.SCANNED]
    if review.snapshot.accounts and not scanned:
        die("no account could be scanned", EXIT_NOTHING)
    if fail_on is not None and review.risk.rank >= FAIL_RANK[fail_on]:
        raise typer.Exit(EXIT_RISK)
    if not review.complete and incomplete_exit:
        raise typer.Exit(EXIT_INCOMPLETE)


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


def scan_with_progress(
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
