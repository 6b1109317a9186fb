"""A store made before reviews kept their provenance is upgraded in place (migration
0002): its reviews stay, without provenance; new reviews keep theirs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from tests.checks.builders import every_attestation, workload
from tests.checks.builders_detection import healthy
from tests.store.reports import report
from wellsec.lens import load_lens
from wellsec.provenance import describe, of_file
from wellsec.render.json_report import review_to_dict
from wellsec.review import evaluate
from wellsec.snapshot import dumps
from wellsec.store.store import Store
from wellsec.upgrade import record_upgrade, upgrade_review

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _store_at_0001_with_one_review(url: str) -> None:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("wellsec.store").joinpath("migrations"))
    )
    engine = create_engine(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql(
            "INSERT INTO workloads (name, environment, owner, review_cadence_days, updated_at) "
            "VALUES ('payments', 'production', NULL, 30, '2026-03-01 12:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO reviews (workload, lens_id, lens_version, created_at, risk, complete, "
            "report_json, snapshot_zlib) VALUES ('payments', 'sec01', '2022', "
            "'2026-03-01 12:00:00', 'HIGH', false, '{}', NULL)"
        )
    engine.dispose()


def test_an_older_store_is_migrated_and_keeps_its_reviews(store_url: str) -> None:
    _store_at_0001_with_one_review(store_url)
    store = Store(store_url)
    try:
        (old,) = store.reviews("payments")
        assert old.provenance is None
        made = {"origin": "snapshot-file", "signature": "verified", "snapshot_sha256": "ab" * 32}
        data = report(T0 + dt.timedelta(days=1))
        data["provenance"] = made
        new_id = store.record(report=data, cadence_days=30)
        assert store.get(str(new_id)).provenance == made
        assert json.loads(json.dumps(store.report(new_id)["provenance"])) == made
    finally:
        store.close()


def test_an_upgrade_says_which_review_it_came_from(tmp_path: Path) -> None:
    wl = workload(attestations=every_attestation(T0.date()))
    snapshot = healthy()
    review = evaluate(snapshot, wl, load_lens("sec01@2022"), now=T0, history=())
    made = of_file(snapshot, "scan.json", dumps(snapshot).encode(), verified=True)
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        source = store.record(
            report=review_to_dict(dataclasses.replace(review, provenance=made)),
            cadence_days=30,
            snapshot_json=dumps(snapshot),
        )
        done = upgrade_review(store, str(source), wl)
        new_id = record_upgrade(store, done)
        upgraded = store.get(str(new_id)).provenance
        assert upgraded is not None
        assert upgraded["origin"] == "upgrade" and upgraded["upgraded_from"] == source
        assert upgraded["signature"] == "verified"  # as trusted as the verified source
        assert describe(upgraded).startswith(f"upgrade of stored review {source}")
    finally:
        store.close()
