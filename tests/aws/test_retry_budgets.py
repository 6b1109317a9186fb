"""Retry quotas and send rates are per account, on clients every account shares.

botocore's standard retry quota holds 500 units; a retried throttling error costs 5
and any other retried error 14 (botocore/retries/quota.py, standard.py
RetryQuotaChecker). The adaptive limiter cuts its send rate on every throttling
answer (botocore/retries/adaptive.py ClientRateLimiter).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tests.aws.conftest import Org
from wellsec.aws import Reader
from wellsec.emulator.faults import FaultKind, FaultSpec
from wellsec.evidence import Unavailable

OPERATION = "iam:GetAccountSummary"


def _read(reader: Reader) -> object:
    return reader.call("iam", "us-east-1", "GetAccountSummary", reuse=False)


def test_one_account_failing_leaves_the_others_their_retry_quota(org: Org) -> None:
    failing, other = org.members
    connector = org.connector(max_attempts=3)  # 3 retries: 42 units per failing call
    org.emulator.inject(FaultSpec(FaultKind.SERVER_ERROR, OPERATION, account_id=failing))
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: _read(Reader(connector, failing)), range(12)))
    for answer in answers:
        assert isinstance(answer, Unavailable)
        assert (answer.code, answer.reason) == (
            "InternalFailure",
            "service error (HTTP 500): injected internal error",
        )
    # 12 x 42 units used the quota up. Throttled three times (15 units), then answered:
    # the other account has its own quota, so it is retried and succeeds.
    org.emulator.inject(FaultSpec(FaultKind.THROTTLE, OPERATION, account_id=other, times=3))
    org.emulator.reset_counters()
    answer = _read(Reader(connector, other))
    assert isinstance(answer, dict) and "SummaryMap" in answer, answer
    assert org.emulator.requests_by_operation()[OPERATION] == 4


def test_a_throttled_account_slows_only_itself(org: Org) -> None:
    throttled, other = org.members
    connector = org.connector(max_attempts=2)
    org.emulator.inject(FaultSpec(FaultKind.THROTTLE, OPERATION, account_id=throttled))
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda _: _read(Reader(connector, throttled)), range(3)))
    for answer in answers:
        assert isinstance(answer, Unavailable)
        assert answer.code == "Throttling"
        assert answer.reason == "throttled past the retry limit: Rate exceeded"
        assert answer.operation == OPERATION
    # Nine throttling answers cut the throttled account's send rate to about one a
    # second (twenty calls take over 5 s at that rate); the other account's does not drop.
    started = time.monotonic()
    reader = Reader(connector, other)
    for _ in range(20):
        answer = _read(reader)
        assert isinstance(answer, dict) and "SummaryMap" in answer, answer
    assert time.monotonic() - started < 2


def test_an_account_budget_is_dropped_when_its_scan_is_over(org: Org) -> None:
    first, second = org.members
    connector = org.connector()
    for account in (first, second):
        answer = Reader(connector, account).call("iam", "us-east-1", "GetAccountSummary")
        assert not isinstance(answer, Unavailable), answer
    held = connector.retry_budgets()
    assert held >= 2
    connector.forget(first)
    assert connector.retry_budgets() == held - 1
