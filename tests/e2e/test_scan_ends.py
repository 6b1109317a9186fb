"""A review ends whatever an endpoint does: a listing that pages forever stops at the
page limit, an answer trickled a byte at a time is given up at the call's deadline.
What was cut short is UNKNOWN with the reason; the rest of the review stands."""

from __future__ import annotations

import resource
import time

from tests.e2e.conftest import Demo, Run
from wellsec.emulator.faults import FaultKind, FaultSpec


def _unknown_messages(run: Run, account: str, operation: str) -> list[str]:
    assert run.report is not None
    hit = [
        f for f in run.report["findings"] if f["account"] == account and operation in f["message"]
    ]
    assert hit, f"no finding names {operation}"
    assert {f["status"] for f in hit} == {"UNKNOWN"}
    return [f["message"] for f in hit]


def test_a_trickled_answer_does_not_hold_the_review(demo: Demo) -> None:
    dev = demo.account("dev")
    # A byte a second: each read is well within --read-timeout 3, and the answer
    # (a few hundred bytes) would take minutes.
    demo.emulator.inject(
        FaultSpec(FaultKind.TRICKLE, "account:GetAlternateContact", account_id=dev, delay=1.0)
    )
    started = time.monotonic()
    run = demo.review("--max-attempts", "1", "--read-timeout", "3", "--no-store")
    took = time.monotonic() - started
    assert run.exit_code == 4, run.stderr
    # The call's deadline: 2 attempts x (5 s to connect + 3 s to read) + 1 s of backoff.
    assert took < 60
    for message in _unknown_messages(run, dev, "account:GetAlternateContact"):
        assert "no complete answer within 17 s" in message
    assert run.status("security_contact_registered", demo.account("prod")) != "UNKNOWN"


def test_a_listing_that_pages_forever_ends_unknown_and_memory_stays_bounded(demo: Demo) -> None:
    dev = demo.account("dev")
    demo.emulator.inject(FaultSpec(FaultKind.PAGES_FOREVER, "events:ListRules", account_id=dev))
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    run = demo.review("--max-attempts", "3", "--read-timeout", "3", "--no-store")
    took = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert run.exit_code == 4, run.stderr
    assert took < 120
    assert grown_mb < 150
    for message in _unknown_messages(run, dev, "events:ListRules"):
        assert "more than 1000 pages: listing stopped" in message
    requests = demo.emulator.requests_by_operation()["events:ListRules"]
    regions = {f["region"] for f in run.report["findings"] if f["account"] == dev and f["region"]}  # type: ignore[index]
    assert requests <= 1000 * len(regions) + 20
