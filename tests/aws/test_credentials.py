"""Member credentials outlive their session: renewed before they expire, and once more
when AWS says they have (ExpiredToken)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tests.aws.conftest import Org
from wellsec.aws import Reader
from wellsec.evidence import Unavailable

ASSUME = "sts:AssumeRole"


def _read(reader: Reader) -> object:
    return reader.call("iam", "us-east-1", "GetAccountSummary", reuse=False)


def test_keys_are_renewed_before_they_expire_once_per_account(org: Org) -> None:
    member = org.members[0]
    # STS says the keys end after 60 s (Credentials.Expiration); they are renewed when
    # a sixth of that is left: one thread renews while the others go on with the old
    # keys. The connector's clock is moved on; the emulator's keys stay valid.
    org.emulator.state.expire_credentials(60, announced=True)
    now = [1000.0]
    connector = org.connector(clock=lambda: now[0])
    reader = Reader(connector, member)
    assert isinstance(_read(reader), dict)
    now[0] += 51
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _read(reader), range(16)))
    for answer in answers:
        assert isinstance(answer, dict) and "SummaryMap" in answer, answer
    # No call met expired keys (it would have been sent twice).
    counts = org.emulator.requests_by_operation()
    assert (counts["iam:GetAccountSummary"], counts[ASSUME]) == (17, 2)
    assert connector.generation(member) == 1


def test_an_expired_token_answer_renews_the_keys_and_retries_once(org: Org) -> None:
    member = org.members[1]
    # The keys end after 2 s though STS announced an hour: only the answers tell.
    org.emulator.state.expire_credentials(2, announced=False)
    connector = org.connector()
    reader = Reader(connector, member)
    assert isinstance(_read(reader), dict)
    time.sleep(2.2)
    org.emulator.reset_counters()
    answer = _read(reader)
    assert isinstance(answer, dict) and "SummaryMap" in answer, answer
    assert org.emulator.requests_by_operation() == {"iam:GetAccountSummary": 2, ASSUME: 1}


def test_keys_that_expire_again_at_once_leave_the_evidence_unavailable(org: Org) -> None:
    member = org.members[1]
    org.emulator.state.expire_credentials(0, announced=False)
    connector = org.connector()
    answer = _read(Reader(connector, member))
    assert isinstance(answer, Unavailable)
    assert answer.code == "ExpiredToken"
    assert answer.reason.startswith("credentials expired and could not be renewed")
    # The first keys, one renewal, and no more.
    assert org.emulator.requests_by_operation()[ASSUME] == 2
