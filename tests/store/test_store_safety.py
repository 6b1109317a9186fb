"""A writer killed mid-transaction, and several processes writing at once, leave the store
consistent: every review present has all its findings and statuses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from wellsec.store.models import FindingRow, PracticeStatusRow, ReviewRow
from wellsec.store.store import Store

WRITER = r"""
import datetime as dt, sys
sys.path.insert(0, {root!r})
from tests.store.reports import report
from wellsec.store.store import Store
store = Store({url!r})
n = int(sys.argv[1])
for i in range(int(sys.argv[2])):
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i)
    data = report(when, workload=sys.argv[3])
    data["findings"] = data["findings"] + [
        dict(check="c%d" % k, best_practice="SEC01-BP02", status="FAIL", severity="high",
             account="111111111111", region=None, resource="r%d" % k, message="m" * 200)
        for k in range(n)
    ]
    store.record(report=data, cadence_days=30)
    print("recorded", flush=True)
"""


def _writer(
    tmp: Path, url: str, findings: int, reviews: int, workload: str
) -> subprocess.Popen[str]:
    script = tmp / f"writer-{workload}.py"
    root = str(Path(__file__).resolve().parents[2])
    script.write_text(WRITER.format(root=root, url=url))
    return subprocess.Popen(
        [sys.executable, str(script), str(findings), str(reviews), workload],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
    )


def _consistent(url: str) -> int:
    store = Store(url)
    try:
        with store.engine.connect() as conn:
            reviews = conn.execute(select(ReviewRow.id, ReviewRow.report_json)).all()
            for review_id, report_json in reviews:
                count = conn.scalar(
                    select(func.count())
                    .select_from(FindingRow)
                    .where(FindingRow.review_id == review_id)
                )
                assert count == report_json.count('"check"'), review_id
                statuses = conn.scalar(
                    select(func.count())
                    .select_from(PracticeStatusRow)
                    .where(PracticeStatusRow.review_id == review_id)
                )
                assert statuses == 8 * 3  # workload + two accounts per practice
        return len(reviews)
    finally:
        store.close()


def test_writer_killed_mid_write_leaves_no_half_review(store_url: str, tmp_path: Path) -> None:
    Store(store_url).close()
    writer = _writer(tmp_path, store_url, findings=40_000, reviews=50, workload="killed")
    assert writer.stdout is not None
    first = writer.stdout.readline()  # one review landed; the next is being written
    assert first.startswith("recorded")
    time.sleep(0.3)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    landed = _consistent(store_url)
    assert 1 <= landed < 50
    # The store is still usable afterwards.
    after = Store(store_url)
    assert after.get("latest", "killed").id > 0
    after.close()


def test_processes_writing_at_once(store_url: str, tmp_path: Path) -> None:
    Store(store_url).close()
    writers = [_writer(tmp_path, store_url, 50, 5, f"w{n}") for n in range(3)]
    for w in writers:
        assert w.wait(timeout=120) == 0
    assert _consistent(store_url) == 15
