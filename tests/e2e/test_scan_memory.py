"""A scan keeps an account's answers only while that account is being scanned."""

from __future__ import annotations

import datetime as dt

from tests.e2e.conftest import Demo
from wellsec.aws.session import Connector, Credentials
from wellsec.collect.scan import Scan
from wellsec.demo import demo_workload


def test_finished_accounts_release_their_answers(demo: Demo) -> None:
    connector = Connector(
        endpoint_url=demo.emulator.endpoint_url,
        credentials=Credentials("testing", "testing", None),
    )
    snapshot = Scan(connector, demo_workload(dt.date.today()), max_workers=8).run()
    caller = connector.caller_identity()["account"]
    members = [a for a in snapshot.accounts if a.id != caller]
    assert members, "the demo organization has member accounts"
    assert all(a.evidence for a in members)
    # Every member's reads were dropped; what is left belongs to the caller.
    kept = connector.kept_answers
    assert kept > 0
    assert all(key[1] == caller for key in connector._answers), "only the caller's answers stay"


def test_scan_result_does_not_depend_on_pool_size(demo: Demo) -> None:
    def scan(workers: int) -> dict[str, object]:
        connector = Connector(
            endpoint_url=demo.emulator.endpoint_url,
            credentials=Credentials("testing", "testing", None),
        )
        snap = Scan(connector, demo_workload(dt.date.today()), max_workers=workers).run()
        return {
            a.id: (sorted(a.evidence), {r: sorted(e) for r, e in a.regions.items()})
            for a in snap.accounts
        }

    assert scan(1) == scan(32)
