"""The review store on SQLite and on the local PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from tests.store.reports import report
from wellsec.render.history import due_rows
from wellsec.store.diff import diff_reports
from wellsec.store.models import FindingRow, ReviewRow
from wellsec.store.store import Store, StoreError

T0 = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC)


def test_record_and_read_back(store: Store) -> None:
    first = store.record(
        report=report(T0, failing=["root_mfa_enabled"]), cadence_days=90, snapshot_json='{"a": 1}'
    )
    second = store.record(
        report=report(T0 + dt.timedelta(days=30), {"SEC01-BP02": "MET"}, risk="MEDIUM"),
        cadence_days=90,
    )
    assert second > first
    reviews = store.reviews("payments")
    assert [r.id for r in reviews] == [first, second]
    assert reviews[0].created_at == T0
    assert reviews[1].risk == "MEDIUM"
    assert store.get("latest", "payments").id == second
    assert store.get("previous", "payments").id == first
    assert store.get(str(first)).lens_key == "sec01@2022"
    assert store.snapshot_json(first) == '{"a": 1}'
    assert store.snapshot_json(second) is None
    statuses = store.practice_statuses(second)
    assert statuses[("SEC01-BP02", "")] == "MET"
    assert statuses[("SEC01-BP02", "111111111111")] == "MET"
    assert store.report(first)["findings"][0]["check"] == "root_mfa_enabled"


def test_missing_references_are_store_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="no latest review"):
        store.get("latest", "payments")
    store.record(report=report(T0), cadence_days=90)
    with pytest.raises(StoreError, match="no previous review"):
        store.get("previous", "payments")
    with pytest.raises(StoreError, match="no review 999"):
        store.get("999")
    with pytest.raises(StoreError, match="no review or milestone 'nope'"):
        store.get("nope")


def test_milestones(store: Store) -> None:
    first = store.record(report=report(T0), cadence_days=90)
    store.record(report=report(T0 + dt.timedelta(days=1)), cadence_days=90)
    made = store.create_milestone("payments", "baseline", first)
    assert made.review_id == first
    latest = store.create_milestone("payments", "after-fixes")
    assert latest.review_id == store.get("latest", "payments").id
    assert store.get("baseline", "payments").id == first
    assert [m.name for m in store.milestones("payments")] == ["baseline", "after-fixes"]
    with pytest.raises(StoreError, match="already has a milestone named 'baseline'"):
        store.create_milestone("payments", "baseline")


def test_a_failed_record_leaves_nothing(store: Store) -> None:
    broken = report(T0, failing=["root_mfa_enabled"])
    del broken["findings"][0]["resource"]  # fails after the review row was added
    with pytest.raises(KeyError):
        store.record(report=broken, cadence_days=90)
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(ReviewRow)) == 0
        assert conn.scalar(select(func.count()).select_from(FindingRow)) == 0
    assert store.reviews() == []


def test_concurrent_writers(store_url: str) -> None:
    errors: list[BaseException] = []

    def write(n: int) -> None:
        writer = Store(store_url)
        try:
            for i in range(5):
                when = T0 + dt.timedelta(minutes=n * 10 + i)
                writer.record(report=report(when, workload=f"w{n}"), cadence_days=30)
        except BaseException as exc:
            errors.append(exc)
        finally:
            writer.close()

    Store(store_url).close()  # migrate once before the race
    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    reader = Store(store_url)
    assert len(reader.reviews()) == 20
    assert sorted(w.name for w in reader.workloads()) == ["w0", "w1", "w2", "w3"]
    reader.close()


def test_reopening_migrates_once(store_url: str) -> None:
    Store(store_url).close()
    again = Store(store_url)
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0002"
    again.close()


def test_due_states(store: Store) -> None:
    now = T0 + dt.timedelta(days=100)
    store.record(report=report(T0, workload="old"), cadence_days=90)
    store.record(report=report(now - dt.timedelta(days=80), workload="soon"), cadence_days=90)
    store.record(report=report(now - dt.timedelta(days=1), workload="fresh"), cadence_days=90)
    states = {r["workload"]: r["state"] for r in due_rows(store.workloads(), now, 14)}
    assert states == {"old": "overdue", "soon": "due", "fresh": "ok"}


def test_bad_store_url() -> None:
    with pytest.raises(StoreError, match="store"):
        Store("notadb://x")


def test_diff_reports() -> None:
    before = report(T0, {"SEC01-BP01": "MET"}, failing=["root_mfa_enabled", "root_no_access_keys"])
    after = report(
        T0 + dt.timedelta(days=1),
        {"SEC01-BP01": "NOT_MET", "SEC01-BP02": "MET"},
        failing=["root_no_access_keys", "security_contact_registered"],
        risk="MEDIUM",
    )
    diff = diff_reports(before, after, 1, 2)
    changes = {(c.practice, c.account): c.direction for c in diff.practices}
    assert changes[("SEC01-BP01", "")] == "regressed"
    assert changes[("SEC01-BP02", "")] == "improved"
    assert changes[("SEC01-BP03", "")] == "same"
    assert [f["check"] for f in diff.fixed] == ["root_mfa_enabled"]
    assert [f["check"] for f in diff.new] == ["security_contact_registered"]
    assert diff.risk_direction == "better"
    data = diff.to_dict()
    assert data["risk"] == {"before": "HIGH", "after": "MEDIUM", "change": "better"}
    assert all(p["change"] != "same" for p in data["practices"])
