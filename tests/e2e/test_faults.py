"""Full reviews under injected faults.

Transient faults (throttling bursts, 5xx, a slow answer, a reset connection, a
garbled or truncated body) are retried: the verdicts equal the fault-free run.
Persistent faults turn exactly the affected checks UNKNOWN, with the reason;
the review still finishes and says it is incomplete (exit 4).
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Demo, Run
from wellsec.emulator.faults import FaultKind, FaultSpec

Key = tuple[str, str, str, str]
# --no-store: every run sees the same (absent) review history, so verdicts compare.
FAST = ("--max-attempts", "3", "--read-timeout", "3", "--no-store")
# Operations whose answers BP01/BP02 checks depend on, across protocols:
# query XML (iam), JSON (organizations, cloudtrail, events), REST-JSON (account), ec2.
TARGETS = (
    "iam:GetAccountSummary",
    "organizations:ListPolicies",
    "cloudtrail:GetTrailStatus",
    "events:ListRules",
    "account:GetAlternateContact",
    "ec2:DescribeRegions",
)


def _verdicts(run: Run) -> dict[Key, tuple[str, str]]:
    assert run.report is not None
    return {
        (f["check"], f["account"] or "", f["region"] or "", f["resource"]): (
            f["status"],
            f["message"],
        )
        for f in run.report["findings"]
    }


@pytest.fixture(scope="module")
def baseline(demo: Demo) -> dict[Key, tuple[str, str]]:
    run = demo.review(*FAST)
    assert run.exit_code in (0, 4), run.stderr
    return _verdicts(run)


@pytest.mark.parametrize(
    ("kind", "times", "delay"),
    [
        (FaultKind.THROTTLE, 2, 0.0),
        (FaultKind.SERVER_ERROR, 2, 0.0),
        (FaultKind.UNAVAILABLE, 2, 0.0),
        (FaultKind.RESET, 1, 0.0),
        (FaultKind.SLOW, 1, 4.0),
        (FaultKind.MALFORMED, 1, 0.0),
        (FaultKind.TRUNCATED, 1, 0.0),
    ],
    ids=lambda v: str(v),
)
def test_transient_faults_are_retried_and_change_nothing(
    demo: Demo, baseline: dict[Key, tuple[str, str]], kind: FaultKind, times: int, delay: float
) -> None:
    for operation in TARGETS:
        demo.emulator.inject(FaultSpec(kind, operation, times=times, delay=delay))
    run = demo.review(*FAST)
    assert run.exit_code in (0, 4), run.stderr
    after = _verdicts(run)
    changed = {k: (baseline.get(k), v) for k, v in after.items() if baseline.get(k) != v}
    assert not changed
    assert set(after) == set(baseline)


@pytest.mark.parametrize(
    "kind",
    [
        FaultKind.THROTTLE,
        FaultKind.UNAVAILABLE,
        FaultKind.SERVER_ERROR,
        FaultKind.RESET,
        FaultKind.SLOW,
        FaultKind.MALFORMED,
        FaultKind.TRUNCATED,
        FaultKind.DENY,
    ],
    ids=str,
)
def test_persistent_fault_makes_exactly_the_dependent_checks_unknown(
    demo: Demo, baseline: dict[Key, tuple[str, str]], kind: FaultKind
) -> None:
    # dev has a security contact, so its answer is a 200 body the fault can spoil.
    dev = demo.account("dev")
    demo.emulator.inject(FaultSpec(kind, "account:GetAlternateContact", account_id=dev, delay=4.0))
    run = demo.review(*FAST)
    assert run.exit_code == 4, run.stderr
    assert run.report is not None and run.report["complete"] is False
    after = _verdicts(run)
    changed = {k for k, v in after.items() if baseline.get(k) != v}
    assert changed == {k for k in baseline if k[0] == "security_contact_registered" and k[1] == dev}
    for key in changed:
        status, message = after[key]
        assert status == "UNKNOWN"
        assert "account:GetAlternateContact" in message
    practice = run.practice("SEC01-BP02")
    assert practice["accounts"][dev] in {"UNKNOWN", "NOT_MET"}


def test_a_collector_that_breaks_on_an_odd_answer_does_not_end_the_scan(demo: Demo) -> None:
    # A 200 answer that parses but carries nothing botocore expected for the operation.
    demo.emulator.inject(FaultSpec(FaultKind.MALFORMED, "iam:GetAccountSummary"))
    run = demo.review(*FAST)
    assert run.exit_code == 4
    for name in ("management", "prod", "dev", "security-tooling"):
        assert run.status("root_mfa_enabled", demo.account(name)) == "UNKNOWN"
