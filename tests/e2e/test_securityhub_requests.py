"""Where Security Hub is off, its other reads are not sent (they would only be refused)."""

from __future__ import annotations

from tests.e2e.conftest import Demo
from wellsec.aws.calls import Reader
from wellsec.aws.session import Connector, Credentials
from wellsec.collect import securityhub
from wellsec.evidence import keys


def _reader(demo: Demo, account: str) -> tuple[Connector, Reader]:
    connector = Connector(
        endpoint_url=demo.emulator.endpoint_url,
        credentials=Credentials("testing", "testing", None),
    )
    return connector, Reader(connector, account)


def _collect(reader: Reader, region: str) -> dict[str, object]:
    evidence: dict[str, object] = {}
    for fn in (
        securityhub.security_hub,
        securityhub.security_hub_standards,
        securityhub.security_hub_automation_rules,
        securityhub.security_hub_aggregators,
    ):
        evidence.update(fn(reader, region))
    return evidence


def test_hub_off_sends_one_request(demo: Demo) -> None:
    connector, reader = _reader(demo, demo.account("dev"))
    evidence = _collect(reader, "eu-west-1")
    assert evidence[keys.SECURITYHUB_HUB.name] == {"enabled": False}
    assert evidence[keys.SECURITYHUB_STANDARDS.name] == []
    assert evidence[keys.SECURITYHUB_AUTOMATION_RULES.name] == []
    assert evidence[keys.SECURITYHUB_FINDING_AGGREGATORS.name] == []
    # GetCallerIdentity and AssumeRole to enter dev, then DescribeHub alone.
    assert connector.api_calls == 3


def test_hub_on_reads_the_rest(demo: Demo) -> None:
    connector, reader = _reader(demo, demo.account("prod"))
    evidence = _collect(reader, "us-east-1")
    hub = evidence[keys.SECURITYHUB_HUB.name]
    assert isinstance(hub, dict) and hub["enabled"] is True
    assert connector.api_calls >= 6  # entering (2), DescribeHub once, the three lists


def test_unreadable_hub_is_not_taken_for_off(demo: Demo) -> None:
    demo.emulator.deny("securityhub:DescribeHub")
    connector, reader = _reader(demo, demo.account("dev"))
    evidence = _collect(reader, "eu-west-1")
    hub = evidence[keys.SECURITYHUB_HUB.name]
    assert not isinstance(hub, dict), "a denied DescribeHub is Unavailable, not a hub"
    # The other reads are still sent, each answering for itself.
    assert connector.api_calls == 6  # entering (2), DescribeHub, the three lists
