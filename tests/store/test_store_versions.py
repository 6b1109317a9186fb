"""Reviews under two lens versions: diff by practice identity, and upgrading a stored review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.checks.builders import every_attestation, workload
from tests.checks.builders_detection import healthy
from tests.store.reports import report
from wellsec.lens import load_lens
from wellsec.render.history import render_diff
from wellsec.render.json_report import review_to_dict
from wellsec.review import evaluate
from wellsec.snapshot import dumps
from wellsec.store.diff import diff_reports
from wellsec.store.records import StoreError
from wellsec.store.store import Store
from wellsec.upgrade import record_upgrade, upgrade_review
from wellsec.workload import Attestation, Workload

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _on(data: dict[str, Any], key: str) -> dict[str, Any]:
    """A store-test report moved onto a built-in lens, with its practices' choice ids."""
    lens = load_lens(key)
    data["lens"] = {"id": lens.id, "version": lens.version, "name": lens.name}
    for bp in data["best_practices"]:
        bp["choice_id"] = lens.practice(bp["id"]).choice_id
    return data


def test_diff_across_versions_matches_practices_by_choice_id() -> None:
    before = _on(report(T0, {"SEC01-BP04": "MET", "SEC01-BP05": "MET"}), "sec01@2022")
    after = _on(report(T0, {"SEC01-BP04": "NOT_MET", "SEC01-BP05": "MET"}), "sec01@2025")
    diff = diff_reports(before, after, 1, 2)
    changes = {c.practice: c.direction for c in diff.practices if not c.account}
    assert changes["SEC01-BP04"] == "regressed"  # one practice in both versions
    assert changes["SEC01-BP05@2022"] == "removed"  # two practices under one id
    assert changes["SEC01-BP05@2025"] == "added"
    assert changes["SEC01-BP01"] == "same"
    data = diff.to_dict()
    assert data["lens"] == {"before": "sec01@2022", "after": "sec01@2025"}
    assert "(lens sec01@2022 -> sec01@2025)" in render_diff(diff)
    # within one version nothing is relabelled
    plain = diff_reports(report(T0), report(T0, {"SEC01-BP05": "MET"}))
    assert {c.practice for c in plain.practices} == {f"SEC01-BP0{i}" for i in range(1, 9)}


def _recorded(store: Store, wl: Workload, when: dt.datetime, with_snapshot: bool = True) -> int:
    snapshot = healthy()
    review = evaluate(snapshot, wl, load_lens("sec01@2022"), now=when, history=())
    return store.record(
        report=review_to_dict(review),
        cadence_days=wl.review_cadence_days,
        snapshot_json=dumps(snapshot) if with_snapshot else None,
    )


@pytest.fixture()
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


def test_upgrade_reevaluates_the_stored_evidence_as_of_its_time(sqlite_store: Store) -> None:
    later = Attestation(id="threat_model_maintained", by="me@example.com", date=T0.date())
    wl = workload(attestations=[*every_attestation(T0.date() - dt.timedelta(days=3)), later])
    first = _recorded(sqlite_store, wl, T0 - dt.timedelta(days=30))
    source = _recorded(sqlite_store, wl, T0 - dt.timedelta(days=2))
    done = upgrade_review(sqlite_store, str(source), wl)
    assert done.source.id == source and done.review.lens.key == "sec01@2025"
    assert done.review.created_at == done.source.created_at  # the evidence is that old
    # attestations made after the review did not exist then
    kept = {a.id for a in done.review.workload.attestations}
    assert "threat_model_maintained" in kept  # the older one of that id is kept
    assert all(a.date <= done.source.created_at.date() for a in done.review.workload.attestations)
    calendar = [f for f in done.review.findings if f.check == "review_calendar_kept"]
    assert calendar[0].status.value == "PASS" and "28 days ago" in calendar[0].message
    new_id = record_upgrade(sqlite_store, done)
    assert [r.lens_key for r in sqlite_store.reviews("payments")] == [
        "sec01@2022",
        "sec01@2022",
        "sec01@2025",
    ]
    assert sqlite_store.get("latest", "payments").id == new_id
    assert sqlite_store.get("previous", "payments").id == source
    assert sqlite_store.snapshot_json(new_id) == sqlite_store.snapshot_json(source)
    assert first < source < new_id


def test_upgrade_refuses_what_it_cannot_do(sqlite_store: Store) -> None:
    wl = workload()
    bare = _recorded(sqlite_store, wl, T0, with_snapshot=False)
    with pytest.raises(StoreError, match="without its evidence snapshot"):
        upgrade_review(sqlite_store, str(bare), wl)
    kept = _recorded(sqlite_store, wl, T0)
    upgraded = record_upgrade(sqlite_store, upgrade_review(sqlite_store, str(kept), wl))
    with pytest.raises(StoreError, match="already on sec01@2025"):
        upgrade_review(sqlite_store, str(upgraded), wl)
    with pytest.raises(StoreError, match="older than"):
        upgrade_review(sqlite_store, str(upgraded), wl, load_lens("sec01@2022"))
    with pytest.raises(StoreError, match="no review 99"):
        upgrade_review(sqlite_store, "99", wl)
    with pytest.raises(StoreError, match="no review"):
        upgrade_review(sqlite_store, str(kept), workload(name="another"))
