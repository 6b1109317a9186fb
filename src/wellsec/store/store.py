"""The review history: every review, its statuses and findings, milestones, workloads.

A :class:`Store` wraps one SQLAlchemy engine (SQLite by default, PostgreSQL
supported). The schema is brought up to date with Alembic when the store is
opened. Recording a review is one transaction: it lands whole or not at all.

Every failure to use the store (unreachable, unreadable, not a wellsec store, made by a
newer wellsec) is a :class:`StoreError` whose message never shows the URL's password.
Several processes may open a fresh store at once: the schema is created under a lock
(SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so none of them loses a review.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from wellsec.report.codec import to_json_dict
from wellsec.report.model import Report
from wellsec.store.models import (
    FindingRow,
    MilestoneRow,
    PracticeStatusRow,
    ReviewRow,
    WorkloadRow,
)
from wellsec.store.records import (
    ENV_VAR,
    Milestone,
    StoredReview,
    StoreError,
    StoreUnavailable,
    WorkloadInfo,
    default_url,
)

# Alembic's command API keeps module-level state: one migration at a time per process.
_MIGRATION_LOCK = threading.Lock()
# Any constant: processes creating the same PostgreSQL store take turns on it, held until
# the transaction ends (pg_advisory_xact_lock:
# https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS).
_PG_MIGRATION_LOCK_KEY = 0x77656C6C736563
_RECORD_ATTEMPTS = 5
_OUR_TABLES = frozenset(
    {"alembic_version", "workloads", "reviews", "practice_statuses", "findings", "milestones"}
)


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite drops time zones: read every stored time back as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling leaves DDL in autocommit (two processes then
    # both create the schema): take over, and begin every transaction ourselves.
    # https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: switching to WAL may wait too
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock at the start (waiting up to busy_timeout): a deferred
    # transaction that reads and then writes fails at once if another writer came between.
    # https://www.sqlite.org/lang_transaction.html
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def safe_url(url: str) -> str:
    """``url`` with its password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparseable store URL>"


def _private_sqlite_file(database: str) -> None:
    """Create the SQLite file (and its folder) readable by the owner only: it holds an
    organization's security posture. An existing file is left as it is."""
    path = Path(database).expanduser()
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
        os.chmod(path.parent, 0o700)  # mkdir's mode is reduced by the umask
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)


class Store:
    """Open (and migrate) the store at ``url``; see :func:`default_url`."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            self.engine: Engine = create_engine(self.url, future=True)
        except (ArgumentError, ImportError, ValueError) as exc:
            raise StoreUnavailable(f"store {self._safe_url()}: {_first_line(exc)}") from None
        try:
            if self.engine.dialect.name == "sqlite":
                database = self.engine.url.database
                if database and database != ":memory:":
                    _private_sqlite_file(database)
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _sqlite_begin)
            self._migrate()
        except OSError as exc:
            self.engine.dispose()
            reason = exc.strerror or type(exc).__name__
            raise StoreUnavailable(f"store {self._safe_url()}: cannot open: {reason}") from None
        except StoreError:
            self.engine.dispose()
            raise

    def _safe_url(self) -> str:
        """The URL without its password, for messages."""
        return safe_url(self.url)

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option(
            "script_location", str(resources.files("wellsec.store").joinpath("migrations"))
        )
        scripts = ScriptDirectory.from_config(config)
        head = scripts.get_current_head()
        known = {s.revision for s in scripts.walk_revisions()}
        where = f"store {self._safe_url()}"
        try:
            with _MIGRATION_LOCK, self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(
                        f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK_KEY})"
                    )
                current = MigrationContext.configure(connection).get_current_revision()
                if current == head:
                    return
                if current is not None and current not in known:
                    raise StoreUnavailable(
                        f"{where}: made by a newer wellsec (schema revision {current}); "
                        "upgrade wellsec to use it"
                    )
                others = set(inspect(connection).get_table_names()) - _OUR_TABLES
                if current is None and others:
                    raise StoreUnavailable(
                        f"{where}: not a wellsec store (it holds other tables, "
                        f"e.g. {sorted(others)[0]!r}); choose another --store"
                    )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except DatabaseError as exc:
            raise StoreUnavailable(f"{where}: cannot open: {_first_line(exc.orig)}") from None
        except (SQLAlchemyError, CommandError) as exc:
            raise StoreUnavailable(f"{where}: cannot open: {_first_line(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with Session(self.engine) as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except DatabaseError as exc:
            raise StoreUnavailable(f"store {self._safe_url()}: {_first_line(exc.orig)}") from None

    # -- writing ---------------------------------------------------------------
    def record(
        self,
        *,
        report: Report | dict[str, Any],
        cadence_days: int,
        snapshot_json: str | None = None,
    ) -> int:
        """Record one review from its report (typed, or a ``wellsec.review/1`` document as
        an older wellsec wrote it, kept as it is); return its id."""
        if isinstance(report, Report):
            report = to_json_dict(report)
        for attempt in range(_RECORD_ATTEMPTS):
            try:
                return self._record_once(report, cadence_days, snapshot_json)
            except IntegrityError:
                # Another process added the same new workload between our read and our
                # insert (PostgreSQL reads committed rows): its row is there now, try again.
                if attempt == _RECORD_ATTEMPTS - 1:
                    raise StoreUnavailable(
                        f"store {self._safe_url()}: review not recorded after "
                        f"{_RECORD_ATTEMPTS} attempts (concurrent writers)"
                    ) from None
        raise AssertionError("unreachable")

    def _record_once(
        self, report: dict[str, Any], cadence_days: int, snapshot_json: str | None
    ) -> int:
        created = dt.datetime.fromisoformat(report["generated_at"])
        workload = report["workload"]
        with self._session() as session:
            row = session.get(WorkloadRow, workload["name"])
            if row is None:
                row = WorkloadRow(name=workload["name"])
                session.add(row)
            row.environment = workload.get("environment") or "production"
            row.owner = workload.get("owner")
            row.review_cadence_days = cadence_days
            row.updated_at = created
            session.flush()  # the workload row must exist before its review
            review = ReviewRow(
                workload=workload["name"],
                lens_id=report["lens"]["id"],
                lens_version=report["lens"]["version"],
                created_at=created,
                risk=report["question"]["risk"],
                complete=bool(report["complete"]),
                report_json=json.dumps(report, ensure_ascii=False),
                snapshot_zlib=zlib.compress(snapshot_json.encode(), 6) if snapshot_json else None,
                provenance_json=(
                    json.dumps(report["provenance"], ensure_ascii=False)
                    if report.get("provenance")
                    else None
                ),
            )
            session.add(review)
            session.flush()
            for bp in report["best_practices"]:
                session.add(
                    PracticeStatusRow(
                        review_id=review.id,
                        practice_id=bp["id"],
                        account_id="",
                        status=bp["status"],
                    )
                )
                for account_id, status in bp.get("accounts", {}).items():
                    session.add(
                        PracticeStatusRow(
                            review_id=review.id,
                            practice_id=bp["id"],
                            account_id=account_id,
                            status=status,
                        )
                    )
            session.add_all(
                FindingRow(
                    review_id=review.id,
                    seq=seq,
                    check_id=f["check"],
                    practice_id=f["best_practice"],
                    status=f["status"],
                    severity=f.get("severity", ""),
                    account_id=f.get("account"),
                    region=f.get("region"),
                    resource=f["resource"],
                    message=f["message"],
                )
                for seq, f in enumerate(report["findings"])
            )
            return int(review.id)

    def create_milestone(self, workload: str, name: str, review_id: int | None = None) -> Milestone:
        """Name a stored review (the workload's latest by default)."""
        target = self.get(str(review_id) if review_id else "latest", workload)
        now = dt.datetime.now(dt.UTC)
        try:
            with self._session() as session:
                session.add(
                    MilestoneRow(workload=workload, name=name, review_id=target.id, created_at=now)
                )
        except IntegrityError:
            raise StoreError(
                f"workload {workload!r} already has a milestone named {name!r}"
            ) from None
        return Milestone(workload, name, target.id, now)

    # -- reading ---------------------------------------------------------------
    def reviews(self, workload: str | None = None) -> list[StoredReview]:
        query = select(ReviewRow).order_by(ReviewRow.created_at, ReviewRow.id)
        if workload:
            query = query.where(ReviewRow.workload == workload)
        with self._session() as session:
            return [_stored(r) for r in session.scalars(query)]

    def get(self, ref: str, workload: str | None = None) -> StoredReview:
        """A review by id, milestone name, ``latest`` or ``previous`` (of a workload)."""
        with self._session() as session:
            if ref.isdigit():
                row = session.get(ReviewRow, int(ref))
                if row is None or (workload and row.workload != workload):
                    raise StoreError(f"no review {ref}" + (f" of {workload!r}" if workload else ""))
                return _stored(row)
            if ref in {"latest", "previous"}:
                query = select(ReviewRow).order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
                if workload:
                    query = query.where(ReviewRow.workload == workload)
                rows = list(session.scalars(query.limit(2)))
                index = 0 if ref == "latest" else 1
                if len(rows) <= index:
                    raise StoreError(f"no {ref} review" + (f" of {workload!r}" if workload else ""))
                return _stored(rows[index])
            by_name = select(MilestoneRow).where(MilestoneRow.name == ref)
            if workload:
                by_name = by_name.where(MilestoneRow.workload == workload)
            milestones = list(session.scalars(by_name))
            if not milestones:
                raise StoreError(f"no review or milestone {ref!r}")
            if len(milestones) > 1:
                raise StoreError(f"milestone {ref!r} exists for several workloads; pass --workload")
            found = session.get(ReviewRow, milestones[0].review_id)
            assert found is not None
            return _stored(found)

    def report(self, review_id: int) -> dict[str, Any]:
        with self._session() as session:
            row = session.get(ReviewRow, review_id)
            if row is None:
                raise StoreError(f"no review {review_id}")
            data: dict[str, Any] = json.loads(row.report_json)
            return data

    def snapshot_json(self, review_id: int) -> str | None:
        with self._session() as session:
            row = session.get(ReviewRow, review_id)
            if row is None:
                raise StoreError(f"no review {review_id}")
            return zlib.decompress(row.snapshot_zlib).decode() if row.snapshot_zlib else None

    def practice_statuses(self, review_id: int) -> dict[tuple[str, str], str]:
        """(practice, account or "") -> status."""
        with self._session() as session:
            rows = session.scalars(
                select(PracticeStatusRow).where(PracticeStatusRow.review_id == review_id)
            )
            return {(r.practice_id, r.account_id): r.status for r in rows}

    def milestones(self, workload: str | None = None) -> list[Milestone]:
        query = select(MilestoneRow).order_by(MilestoneRow.created_at, MilestoneRow.id)
        if workload:
            query = query.where(MilestoneRow.workload == workload)
        with self._session() as session:
            return [
                Milestone(m.workload, m.name, m.review_id, _utc(m.created_at))
                for m in session.scalars(query)
            ]

    def workloads(self) -> list[WorkloadInfo]:
        with self._session() as session:
            out = []
            for row in session.scalars(select(WorkloadRow).order_by(WorkloadRow.name)):
                last = session.scalar(
                    select(ReviewRow.created_at)
                    .where(ReviewRow.workload == row.name)
                    .order_by(ReviewRow.created_at.desc())
                    .limit(1)
                )
                out.append(
                    WorkloadInfo(
                        row.name,
                        row.environment,
                        row.owner,
                        row.review_cadence_days,
                        _utc(last) if last else None,
                    )
                )
            return out


def _first_line(exc: BaseException | None) -> str:
    text = str(exc).strip() if exc is not None else ""
    return text.splitlines()[0] if text else type(exc).__name__


def _stored(row: ReviewRow) -> StoredReview:
    return StoredReview(
        id=int(row.id),
        workload=row.workload,
        lens_id=row.lens_id,
        lens_version=row.lens_version,
        created_at=_utc(row.created_at),
        risk=row.risk,
        complete=bool(row.complete),
        provenance=json.loads(row.provenance_json) if row.provenance_json else None,
    )


__all__ = [
    "ENV_VAR",
    "Milestone",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "StoredReview",
    "WorkloadInfo",
    "default_url",
]
