"""StackSets as a delegated administrator (CallAs) and Control Tower, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wellsec.emulator import DemoOrg, Emulator, build_demo_org
from wellsec.emulator.controltower_gaps import LandingZone, set_landing_zone
from wellsec.emulator.stackset_gaps import STACKSETS_PRINCIPAL

NOW = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:
        yield em
        em.reset()  # moto's state is process-wide: leave it empty


@pytest.fixture(scope="module")
def org(emulator: Emulator) -> DemoOrg:
    return build_demo_org(emulator, now=NOW)


def client(emulator: Emulator, org: DemoOrg, name: str, service: str, region: str) -> Any:
    base = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    session = base
    if name != "management":
        sts = base.client("sts", endpoint_url=emulator.endpoint_url, config=NO_RETRIES)
        found = sts.assume_role(
            RoleArn=f"arn:aws:iam::{org.accounts[name]}:role/OrganizationAccountAccessRole",
            RoleSessionName="test",
        )["Credentials"]
        session = boto3.Session(
            aws_access_key_id=found["AccessKeyId"],
            aws_secret_access_key=found["SecretAccessKey"],
            aws_session_token=found["SessionToken"],
            region_name=region,
        )
    return session.client(service, endpoint_url=emulator.endpoint_url, config=NO_RETRIES)


def test_stack_sets_as_a_delegated_administrator(emulator: Emulator, org: DemoOrg) -> None:
    cfn = client(emulator, org, "security-tooling", "cloudformation", "us-east-1")
    with pytest.raises(ClientError) as refused:
        cfn.list_stack_sets(CallAs="DELEGATED_ADMIN")
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    orgs = client(emulator, org, "management", "organizations", "us-east-1")
    orgs.register_delegated_administrator(
        AccountId=org.accounts["security-tooling"], ServicePrincipal=STACKSETS_PRINCIPAL
    )
    services = orgs.list_delegated_services_for_account(AccountId=org.accounts["security-tooling"])
    assert STACKSETS_PRINCIPAL in {s["ServicePrincipal"] for s in services["DelegatedServices"]}
    # The management account's service-managed StackSets, where they all live.
    listed = cfn.list_stack_sets(CallAs="DELEGATED_ADMIN", Status="ACTIVE")["Summaries"]
    assert [(s["StackSetName"], s["PermissionModel"]) for s in listed] == [
        ("security-baseline", "SERVICE_MANAGED")
    ]
    instances = cfn.list_stack_instances(
        StackSetName="security-baseline", CallAs="DELEGATED_ADMIN"
    )["Summaries"]
    assert {i["Account"] for i in instances} == {
        org.accounts["security-tooling"],
        org.accounts["prod"],
    }
    assert cfn.list_stack_sets()["Summaries"] == []  # SELF: its own, none
    # StackSets are regional: none is administered from eu-west-1.
    other = client(emulator, org, "security-tooling", "cloudformation", "eu-west-1")
    assert other.list_stack_sets(CallAs="DELEGATED_ADMIN")["Summaries"] == []


def test_a_landing_zone_answers_in_its_home_region(emulator: Emulator, org: DemoOrg) -> None:
    zone = LandingZone("eu-west-1", ("eu-west-1", "us-east-1"), (org.ous["Security"],))
    set_landing_zone(emulator.state, org.management_account_id, zone)
    try:
        home = client(emulator, org, "management", "controltower", "eu-west-1")
        (listed,) = home.list_landing_zones()["landingZones"]
        assert listed["arn"].startswith("arn:aws:controltower:eu-west-1:")
        detail = home.get_landing_zone(landingZoneIdentifier=listed["arn"])["landingZone"]
        assert detail["manifest"]["governedRegions"] == ["eu-west-1", "us-east-1"]
        (enabled,) = home.list_enabled_baselines()["enabledBaselines"]
        assert enabled["targetIdentifier"].endswith(f"/{org.ous['Security']}")
        assert enabled["statusSummary"]["status"] == "SUCCEEDED"
        elsewhere = client(emulator, org, "management", "controltower", "us-east-1")
        assert elsewhere.list_landing_zones()["landingZones"] == []
        with pytest.raises(ClientError) as missing:
            elsewhere.get_landing_zone(landingZoneIdentifier=listed["arn"])
        assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    finally:
        set_landing_zone(emulator.state, org.management_account_id, None)
