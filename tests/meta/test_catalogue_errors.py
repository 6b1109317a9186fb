"""Each modelled error of each operation, injected through the emulator, gives the evidence
the catalogue says: a value for a fact, Unavailable (with that code) for the rest.

Collectors run directly (a Reader over a Connector pointed at the emulator), one per
operation, in the first demo account and region where a clean run sends that operation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.meta.catalogue_support import SCAN_ACTIONS, all_collectors
from wellsec.aws.calls import Reader
from wellsec.aws.catalogue import Meaning, client_name, load, model_errors
from wellsec.aws.session import Connector, Credentials
from wellsec.collect.registry import Collector
from wellsec.emulator import DemoOrg, Emulator, build_demo_org
from wellsec.emulator.controltower_gaps import LandingZone, set_landing_zone
from wellsec.emulator.faults import FaultKind, FaultSpec
from wellsec.evidence import Unavailable
from wellsec.findings import Scope

CATALOGUE = load()
HOME = "us-east-1"
REGIONS = (HOME, "eu-west-1")

# Entries whose collector does not yet do what the catalogue says, because other work on
# issue 13 owns that collector. Each fails the test once it is fixed (remove it then).
PENDING: dict[tuple[str, str], str] = {}
# Operations the dynamic test does not drive, and why (each is checked elsewhere).
NOT_DRIVEN = {
    "sts:GetCallerIdentity": "sent by the Connector, not a collector (no modelled errors)",
    "sts:AssumeRole": "entering an account: refused entry is UNREACHABLE (tests/e2e)",
}


@dataclass(frozen=True)
class Place:
    collector: Collector
    account: str
    region: str


def unavailable_in(value: Any) -> Iterator[Unavailable]:
    """Every Unavailable anywhere inside a piece of evidence."""
    if isinstance(value, Unavailable):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from unavailable_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from unavailable_in(item)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:
        em.reset()  # moto's state is process-wide
        yield em
        em.clear_faults()
        em.reset()


@pytest.fixture(scope="module")
def org(emulator: Emulator) -> DemoOrg:
    built = build_demo_org(emulator, now=dt.datetime.now(dt.UTC))
    # A landing zone, so the collector goes on to read its details and registered OUs.
    zone = LandingZone(HOME, REGIONS, (built.ous["Security"],))
    set_landing_zone(emulator.state, built.management_account_id, zone)
    return built


@pytest.fixture(scope="module")
def connector(emulator: Emulator) -> Connector:
    # One attempt: an injected error is answered once, not retried with backoff.
    return Connector(
        endpoint_url=emulator.endpoint_url,
        credentials=Credentials("testing", "testing"),
        max_attempts=1,
        read_timeout=10,
    )


def _runs(org: DemoOrg, collector: Collector) -> list[tuple[str, str]]:
    management = org.management_account_id
    if collector.scope is Scope.ORG:
        return [(management, HOME)]
    accounts = [management, *sorted(set(org.accounts.values()) - {management})]
    regions = REGIONS if collector.scope is Scope.REGION else (HOME,)
    return [(a, r) for a in accounts for r in regions]


def _run(connector: Connector, place: Place) -> Any:
    connector.forget(place.account)  # a fresh read, not the answer kept from the last run
    return place.collector.fn(Reader(connector, place.account), place.region)


@pytest.fixture(scope="module")
def places(emulator: Emulator, org: DemoOrg, connector: Connector) -> dict[str, Place]:
    """For each operation, the first collector, account and region whose run sends it."""
    found: dict[str, Place] = {}
    for collector in all_collectors():
        for account, region in _runs(org, collector):
            wanted = set(collector.actions) - set(found)
            if not wanted:
                break
            emulator.reset_counters()
            _run(connector, Place(collector, account, region))
            sent = set(emulator.requests_by_operation())
            for action in wanted & sent:
                found[action] = Place(collector, account, region)
    return found


CASES = [
    (action, code)
    for action, entry in sorted(CATALOGUE.operations.items())
    if action not in NOT_DRIVEN
    for code, error in entry.errors.items()
    if error.meaning is not Meaning.POLL  # polled until a deadline: see tests/e2e
]


def test_every_operation_is_driven_somewhere(places: dict[str, Place]) -> None:
    driven = set(CATALOGUE.operations) - set(NOT_DRIVEN)
    assert sorted(driven - set(places)) == []
    assert set(NOT_DRIVEN) <= SCAN_ACTIONS


@pytest.mark.parametrize(("action", "code"), CASES, ids=[f"{a}:{c}" for a, c in CASES])
def test_injected_error_gives_the_catalogued_evidence(
    emulator: Emulator,
    connector: Connector,
    places: dict[str, Place],
    action: str,
    code: str,
) -> None:
    place = places[action]
    error = CATALOGUE.operations[action].errors[code]
    status = model_errors(action).get(code, 400)
    emulator.clear_faults()
    emulator.inject(
        FaultSpec(FaultKind.ERROR, action, account_id=place.account, code=code, status=status)
    )
    emulator.reset_counters()
    try:
        evidence = _run(connector, place)
    finally:
        emulator.clear_faults()
    assert action in emulator.requests_by_operation(), "the fault was never reached"
    # Reader names elbv2 failures "elbv2:..." rather than the IAM action (aws/calls.py
    # action_name takes the client name); both spellings are this operation.
    names = {action, f"{client_name(action)}:{action.split(':', 1)[1]}"}
    found = [u for u in unavailable_in(evidence) if u.operation in names]
    is_fact = error.meaning is Meaning.FACT
    pending = PENDING.get((action, code))
    if pending is not None:
        # Still the old handling; when this fails, the other work merged: drop the entry.
        assert bool(found) == is_fact, pending
        return
    if is_fact:
        assert found == [], f"{action} {code} is a fact ({error.value}), got {found}"
    else:
        assert found and all(u.code == code for u in found), (action, code, found)
