"""Six ``wellsec evaluate --record`` processes started at once on a store nobody has opened
yet: each one's review is recorded (the schema is created once, under a lock), on SQLite
and on PostgreSQL (issue 14, item 7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.checks.builders import workload
from tests.checks.builders_detection import healthy
from wellsec.snapshot import dumps
from wellsec.store.store import Store

WRITERS = 6


def test_concurrent_first_writes_lose_no_review(store_url: str, tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(dumps(healthy()))
    config = tmp_path / "wellsec.yaml"
    config.write_text(yaml.safe_dump(workload().model_dump(mode="json")))
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root, "WELLSEC_STORE": store_url}
    argv = [sys.executable, "-m", "wellsec", "evaluate", str(snapshot), "-c", str(config)]
    writers = [
        subprocess.Popen(
            [*argv, "--record", "-f", "json", "-o", str(tmp_path / f"report-{n}.json")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    errors = [w.communicate(timeout=300)[1] for w in writers]
    for writer, err in zip(writers, errors, strict=True):
        assert writer.returncode in (0, 4), err
        assert "recorded review" in err and "warning" not in err, err
    store = Store(store_url)
    try:
        assert len(store.reviews("payments")) == WRITERS
    finally:
        store.close()
