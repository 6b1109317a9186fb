"""Every call ends: listings stop at a page limit or a repeated token, and an answer
trickled a byte at a time is given up at the call's deadline. What is cut short is
Unavailable with the reason, never a partial list."""

from __future__ import annotations

import time

import boto3
import pytest

from tests.aws.conftest import Org
from wellsec.aws import AccountEntryError, Reader
from wellsec.aws.deadline import call_timeout
from wellsec.emulator.faults import FaultKind, FaultSpec
from wellsec.evidence import Unavailable


def test_a_listing_that_never_ends_stops_at_the_page_limit(org: Org) -> None:
    member = org.members[0]
    org.emulator.inject(FaultSpec(FaultKind.PAGES_FOREVER, "events:ListRules", account_id=member))
    connector = org.connector(max_pages=40)
    answer = Reader(connector, member).paginate("events", "us-east-1", "ListRules", "Rules")
    assert answer == Unavailable(
        "more than 40 pages: listing stopped", "events:ListRules", "TooManyPages"
    )
    assert org.emulator.requests_by_operation()["events:ListRules"] == 40


def test_a_listing_whose_tokens_loop_stops_when_one_comes_back(org: Org) -> None:
    member = org.members[0]
    operation = "iam:ListVirtualMFADevices"
    org.emulator.inject(FaultSpec(FaultKind.PAGES_LOOP, operation, account_id=member))
    reader = Reader(org.connector(), member)
    answer = reader.paginate("iam", "us-east-1", "ListVirtualMFADevices", "VirtualMFADevices")
    assert answer == Unavailable(
        "the listing loops: a page token came back", operation, "RepeatedPageToken"
    )
    # Tokens A, B, then A again: botocore's own check (the same token twice in a row)
    # would not have stopped it.
    assert org.emulator.requests_by_operation()[operation] == 3


def test_the_paging_faults_keep_each_page_real(org: Org) -> None:
    member = org.members[1]
    org.emulator.inject(FaultSpec(FaultKind.PAGES_FOREVER, "events:ListRules", account_id=member))
    reader = Reader(org.connector(), member)
    client = reader.connector.client(member, "events", "us-east-1")
    with reader.connector.acting(member):
        client.put_rule(Name="nightly", ScheduleExpression="rate(1 day)")
        pages = client.get_paginator("list_rules").paginate()
        seen = [page for _, page in zip(range(3), pages, strict=False)]
    assert [page["NextToken"] for page in seen] == [
        "wellsec-fault-page-1",
        "wellsec-fault-page-2",
        "wellsec-fault-page-3",
    ]
    assert all([rule["Name"] for rule in page["Rules"]] == ["nightly"] for page in seen)


def test_a_trickled_answer_is_given_up_at_the_deadline(org: Org) -> None:
    member = org.members[1]
    # One byte every 0.1 s: every read gets data well within the 1 s read timeout,
    # and the whole answer (over a kilobyte) would take minutes.
    org.emulator.inject(
        FaultSpec(FaultKind.TRICKLE, "iam:GetAccountSummary", account_id=member, delay=0.1)
    )
    connector = org.connector(max_attempts=1, read_timeout=1)
    deadline = call_timeout(2, 1, 5)
    assert connector.call_seconds == deadline == 13
    started = time.monotonic()
    answer = Reader(connector, member).call("iam", "us-east-1", "GetAccountSummary")
    took = time.monotonic() - started
    assert answer == Unavailable(
        "no complete answer within 13 s: the call was given up",
        "iam:GetAccountSummary",
        "CallTimeout",
    )
    assert deadline <= took < deadline + 2


def test_the_trickle_fault_delivers_the_whole_answer_slowly(org: Org) -> None:
    org.emulator.inject(FaultSpec(FaultKind.TRICKLE, "sts:GetCallerIdentity", delay=0.002))
    client = boto3.client(
        "sts",
        endpoint_url=org.emulator.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    started = time.monotonic()
    assert client.get_caller_identity()["Account"] == "123456789012"
    assert time.monotonic() - started > 0.3


def test_a_trickled_assume_role_leaves_the_account_unreachable_in_time(org: Org) -> None:
    member = org.members[0]
    org.emulator.inject(FaultSpec(FaultKind.TRICKLE, "sts:AssumeRole", delay=0.1))
    connector = org.connector(call_seconds=2)
    connector.caller_identity()
    started = time.monotonic()
    with pytest.raises(AccountEntryError, match="no complete answer within 2 s"):
        connector.enter(member)
    assert time.monotonic() - started < 4
