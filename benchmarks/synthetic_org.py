"""An emulated organization of N accounts with a realistic, seeded spread of gaps."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from wellsec.emulator import Emulator, RootAccessKey, RootUser

ROOT_PATTERN = json.dumps({"detail": {"userIdentity": {"type": ["Root"]}}})
DEFAULT_REGIONS = [
    "us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-1", "ap-northeast-1",
    "us-east-2", "us-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "ap-south-1",
    "ap-northeast-2", "ap-northeast-3", "ap-southeast-2", "ca-central-1", "sa-east-1",
]  # fmt: skip


@dataclass(frozen=True)
class SyntheticOrg:
    management: str
    accounts: dict[str, str]  # name -> id
    regions: list[str]


def _session(url: str, account: str | None = None) -> boto3.Session:
    base = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    if account is None:
        return base
    creds = base.client("sts", endpoint_url=url).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
        RoleSessionName="synthetic-org",
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def _policy(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def build(emulator: Emulator, accounts: int, regions: int, seed: int = 7) -> SyntheticOrg:
    """Create the organization; every choice comes from ``random.Random(seed)``."""
    rng = random.Random(seed)
    url = emulator.endpoint_url
    emulator.seed(seed)
    chosen = DEFAULT_REGIONS[:regions]
    mgmt = _session(url)
    orgs = mgmt.client("organizations", endpoint_url=url)
    org = orgs.create_organization(FeatureSet="ALL")["Organization"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    ous = {}
    for name, parent in (("Security", root), ("Workloads", root), ("Sandbox", root)):
        ous[name] = orgs.create_organizational_unit(ParentId=parent, Name=name)[
            "OrganizationalUnit"
        ]["Id"]
    for name in ("Prod", "Dev"):
        ous[name] = orgs.create_organizational_unit(ParentId=ous["Workloads"], Name=name)[
            "OrganizationalUnit"
        ]["Id"]
    guard = orgs.create_policy(
        Name="guardrails",
        Description="deny root and leaving",
        Type="SERVICE_CONTROL_POLICY",
        Content=_policy(
            [
                {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
                },
            ]
        ),
    )["Policy"]["PolicySummary"]["Id"]
    region_scp = orgs.create_policy(
        Name="regions",
        Description="approved regions",
        Type="SERVICE_CONTROL_POLICY",
        Content=_policy(
            [
                {
                    "Effect": "Deny",
                    "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*"],
                    "Resource": "*",
                    "Condition": {"StringNotEquals": {"aws:RequestedRegion": chosen}},
                }
            ]
        ),
    )["Policy"]["PolicySummary"]["Id"]
    for target in (ous["Workloads"], ous["Security"]):
        orgs.attach_policy(PolicyId=guard, TargetId=target)
    orgs.attach_policy(PolicyId=region_scp, TargetId=ous["Workloads"])
    ids = {"management": org["MasterAccountId"]}
    placement = ["Prod"] * 5 + ["Dev"] * 3 + ["Sandbox"] * 1
    for i in range(1, accounts):
        name = "security" if i == 1 else f"workload-{i:03d}"
        created = orgs.create_account(Email=f"{name}@example.com", AccountName=name)
        account_id = created["CreateAccountStatus"]["AccountId"]
        ids[name] = account_id
        if i == 1:
            parent = ous["Security"]
        elif rng.random() < 0.05:
            parent = None  # left at the root: a gap
        else:
            parent = ous[rng.choice(placement)]
        if parent:
            orgs.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
    if accounts > 1:
        orgs.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
        orgs.register_delegated_administrator(
            AccountId=ids["security"], ServicePrincipal="guardduty.amazonaws.com"
        )
    now = datetime.now(UTC)
    for name, account_id in ids.items():
        _account(emulator, url, account_id, name, chosen, rng, now)
    return SyntheticOrg(ids["management"], ids, chosen)


def _account(
    emulator: Emulator,
    url: str,
    account_id: str,
    name: str,
    regions: list[str],
    rng: random.Random,
    now: datetime,
) -> None:
    roll = rng.random()
    mfa = "hardware" if roll < 0.7 else "virtual" if roll < 0.9 else None
    keys = (
        (RootAccessKey(active=True, last_used=now - timedelta(days=20)),)
        if rng.random() < 0.05
        else ()
    )
    used = now - timedelta(days=rng.choice([3, 45, 200, 500]))
    emulator.state.set_root_user(
        account_id, RootUser(mfa=mfa, access_keys=keys, password_last_used=used)
    )
    session = _session(url) if name == "management" else _session(url, account_id)
    if rng.random() < 0.8:
        session.client("account", endpoint_url=url).put_alternate_contact(
            AlternateContactType="SECURITY",
            Name="Security",
            Title="Security",
            EmailAddress="security@example.com",
            PhoneNumber="+10000000000",
        )
    home = regions[0]
    if rng.random() < 0.85:
        bucket = f"trail-{account_id}"
        session.client("s3", endpoint_url=url, region_name="us-east-1").create_bucket(Bucket=bucket)
        trails = session.client("cloudtrail", endpoint_url=url, region_name="us-east-1")
        trails.create_trail(Name="org", S3BucketName=bucket, IsMultiRegionTrail=True)
        trails.start_logging(Name="org")
    if rng.random() < 0.4:
        sns = session.client("sns", endpoint_url=url, region_name=home)
        topic = sns.create_topic(Name="root-alerts")["TopicArn"]
        events = session.client("events", endpoint_url=url, region_name=home)
        events.put_rule(Name="root-activity", EventPattern=ROOT_PATTERN, State="ENABLED")
        events.put_targets(Rule="root-activity", Targets=[{"Id": "sns", "Arn": topic}])
    for region in regions:
        if rng.random() < 0.7:
            session.client("guardduty", endpoint_url=url, region_name=region).create_detector(
                Enable=True
            )
        if rng.random() < 0.6:
            session.client("securityhub", endpoint_url=url, region_name=region).enable_security_hub(
                EnableDefaultStandards=False
            )
