"""The gap layer enforces region-deny SCPs on member accounts, over HTTP, as AWS does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wellsec.emulator import DemoOrg, Emulator, build_demo_org
from wellsec.emulator.scp_gaps import enforce_region_scps

NOW = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:
        yield em
        em.reset()  # moto's state is process-wide: leave it empty


@pytest.fixture(scope="module")
def org(emulator: Emulator) -> DemoOrg:
    built = build_demo_org(emulator, now=NOW)
    enforce_region_scps(emulator.state)
    return built


def client(emulator: Emulator, org: DemoOrg, name: str, service: str, region: str) -> Any:
    base = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    session = base
    if name != "management":
        creds = base.client("sts", endpoint_url=emulator.endpoint_url, config=NO_RETRIES)
        found = creds.assume_role(
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


def test_a_member_under_the_region_guardrail_is_denied_outside_its_regions(
    emulator: Emulator, org: DemoOrg
) -> None:
    with pytest.raises(ClientError) as denied:
        client(emulator, org, "prod", "guardduty", "eu-central-1").list_detectors()
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert "explicit deny in a service control policy" in error["Message"]
    with pytest.raises(ClientError) as ec2:
        client(emulator, org, "prod", "ec2", "eu-central-1").describe_vpcs()
    assert ec2.value.response["Error"]["Code"] == "UnauthorizedOperation"


def test_approved_regions_and_exempted_global_services_still_answer(
    emulator: Emulator, org: DemoOrg
) -> None:
    client(emulator, org, "prod", "guardduty", "eu-west-1").list_detectors()
    client(emulator, org, "prod", "iam", "eu-central-1").list_roles()  # iam:* is exempted


def test_scps_do_not_apply_to_the_management_account_nor_outside_the_ou(
    emulator: Emulator, org: DemoOrg
) -> None:
    client(emulator, org, "management", "guardduty", "eu-central-1").list_detectors()
    client(emulator, org, "dev", "guardduty", "eu-central-1").list_detectors()  # at the root


@pytest.mark.parametrize(
    ("role", "allowed"), [("OrganizationAccountAccessRole", True), ("Admin", False)]
)
def test_an_exempted_principal_may_act_in_a_denied_region(
    emulator: Emulator, org: DemoOrg, role: str, allowed: bool
) -> None:
    orgs = client(emulator, org, "management", "organizations", "us-east-1")
    exempt = {
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {
            "StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]},
            "ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::*:role/{role}"},
        },
    }
    policy = orgs.create_policy(
        Name=f"exempting-{role}",
        Description="region deny with an exempted role",
        Type="SERVICE_CONTROL_POLICY",
        Content=json.dumps({"Version": "2012-10-17", "Statement": [exempt]}),
    )["Policy"]["PolicySummary"]["Id"]
    orgs.attach_policy(PolicyId=policy, TargetId=org.accounts["dev"])
    try:
        detectors = client(emulator, org, "dev", "guardduty", "ap-south-1").list_detectors
        if allowed:
            detectors()
        else:
            with pytest.raises(ClientError, match="AccessDenied"):
                detectors()
    finally:
        orgs.detach_policy(PolicyId=policy, TargetId=org.accounts["dev"])


def test_enforcement_is_off_unless_asked(emulator: Emulator, org: DemoOrg) -> None:
    enforce_region_scps(emulator.state, on=False)
    try:
        client(emulator, org, "prod", "guardduty", "eu-central-1").list_detectors()
    finally:
        enforce_region_scps(emulator.state)
