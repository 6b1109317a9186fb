"""The history store as commands use it: opened with its errors mapped, reviews recorded."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from wellsec.cli.exits import errors
from wellsec.cli.support import has_workload_file, workload_of
from wellsec.render.safe import inert
from wellsec.snapshot import Snapshot, dumps
from wellsec.workload import Workload

if TYPE_CHECKING:
    from wellsec.render.html import TrendPoint
    from wellsec.review import Review
    from wellsec.store.store import Store


@contextmanager
def open_store(url: str | None) -> Iterator[Store]:
    """The store, closed after use; its errors exit as ``exits.EXIT_CODES`` says."""
    from wellsec.store.store import Store

    with errors():
        store = Store(url)
        try:
            yield store
        finally:
            store.close()


def stored_workload(store: Store, name: str | None, config: Path | None) -> str | None:
    """The workload asked for: ``--workload``, else the workload file's, else the only one."""
    if name:
        return name
    if has_workload_file(config):
        return workload_of(config).name
    known = store.workloads()
    return known[0].name if len(known) == 1 else None


def record_review(result: Review, snapshot: Snapshot, url: str | None) -> list[TrendPoint]:
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


def review_history(workload: Workload, url: str | None) -> tuple[dt.datetime, ...] | None:
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
