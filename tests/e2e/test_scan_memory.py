"""A scan keeps an account's answers only while that account is being scanned; what it
collects has the shapes the evidence schema declares."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.conftest import Demo
from wellsec.aws.session import Connector, Credentials
from wellsec.collect.registry import collectors
from wellsec.collect.scan import Scan
from wellsec.demo import demo_workload
from wellsec.evidence import keys
from wellsec.snapshot import Snapshot


@pytest.fixture(scope="module")
def scanned(demo: Demo) -> tuple[Connector, Snapshot]:
    """One scan of the demo organization (read-only: the tests only look at it)."""
    connector = Connector(
        endpoint_url=demo.emulator.endpoint_url,
        credentials=Credentials("testing", "testing", None),
    )
    return connector, Scan(connector, demo_workload(dt.date.today()), max_workers=8).run()


def test_finished_accounts_release_their_answers(scanned: tuple[Connector, Snapshot]) -> None:
    connector, snapshot = scanned
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


def test_every_collectors_output_has_its_keys_shape(scanned: tuple[Connector, Snapshot]) -> None:
    snapshot = scanned[1]
    places = [("organization", snapshot.organization)]
    for account in snapshot.everywhere:
        places.append((account.id, account.evidence))
        places += [(f"{account.id}/{r}", e) for r, e in account.regions.items()]
    problems = [
        (where, name, keys.BY_NAME[name].problem(value))
        for where, evidence in places
        for name, value in evidence.items()
        if keys.BY_NAME[name].problem(value)
    ]
    assert problems == []
    written = {name for _, evidence in places for name in evidence}
    # Every collector ran somewhere in the demo organization and wrote all its keys.
    assert {k.name for c in collectors.all() for k in c.keys} <= written
