"""The demo organization: four accounts with deliberate SEC 1 gaps.

``build_demo_org`` creates it with plain boto3 calls against a running
:class:`~wellsec.emulator.server.Emulator` (the same way an administrator
would), then registers in the gap layer what moto cannot hold (root users,
opted-in regions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3

from wellsec.emulator import scenario_configuration, scenario_security
from wellsec.emulator.scenario_accounts import (
    AccountPlan,
    demo_plans,
    setup_account,
)
from wellsec.emulator.server import Emulator
from wellsec.emulator.sessions import session_for

DEMO_REGIONS = ("us-east-1", "eu-west-1")
GLOBAL_SERVICES = [
    "iam:*", "organizations:*", "sts:*", "support:*", "cloudfront:*",
    "route53:*", "budgets:*", "account:*", "health:*",
]  # fmt: skip


@dataclass(frozen=True)
class DemoOrg:
    """What :func:`build_demo_org` created."""

    management_account_id: str
    organization_id: str
    root_id: str
    accounts: dict[str, str]
    ous: dict[str, str]
    regions: tuple[str, ...]


def _policy(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


DENY_ROOT_AND_LEAVE = _policy(
    [
        {"Sid": "DenyLeaveOrganization", "Effect": "Deny",
         "Action": "organizations:LeaveOrganization", "Resource": "*"},
        {"Sid": "DenyRootUser", "Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}},
    ]
)  # fmt: skip
REGION_GUARDRAIL = _policy(
    [
        {"Sid": "DenyOutsideApprovedRegions", "Effect": "Deny",
         "NotAction": GLOBAL_SERVICES, "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": list(DEMO_REGIONS)}}},
    ]
)  # fmt: skip
STACKSET_TEMPLATE = json.dumps(
    {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Security baseline: a topic for security notifications",
        "Resources": {"SecurityNotifications": {"Type": "AWS::SNS::Topic"}},
    }
)


def _create_org(orgs: Any) -> tuple[str, str, str]:
    org = orgs.create_organization(FeatureSet="ALL")["Organization"]
    root_id = orgs.list_roots()["Roots"][0]["Id"]
    enabled = {
        t["Type"]
        for t in orgs.list_roots()["Roots"][0].get("PolicyTypes", [])
        if t.get("Status") == "ENABLED"
    }
    if "SERVICE_CONTROL_POLICY" not in enabled:
        orgs.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    return str(org["Id"]), str(org["MasterAccountId"]), str(root_id)


def _create_account(orgs: Any, name: str, root_id: str, parent_id: str | None) -> str:
    status = orgs.create_account(AccountName=name, Email=f"aws+{name}@example.com")
    account_id = str(status["CreateAccountStatus"]["AccountId"])
    if parent_id is not None:
        orgs.move_account(
            AccountId=account_id, SourceParentId=root_id, DestinationParentId=parent_id
        )
    return account_id


def _attach_scps(orgs: Any, ous: dict[str, str]) -> None:
    policies = [
        (
            "deny-root-and-leave",
            "Deny the root user and leaving the organization",
            DENY_ROOT_AND_LEAVE,
            ("Security", "Workloads"),
        ),
        (
            "region-guardrail",
            "Deny regional services outside the approved regions",
            REGION_GUARDRAIL,
            ("Workloads",),
        ),
    ]
    for name, description, content, targets in policies:
        policy = orgs.create_policy(
            Name=name, Description=description, Type="SERVICE_CONTROL_POLICY", Content=content
        )["Policy"]["PolicySummary"]["Id"]
        for ou in targets:
            orgs.attach_policy(PolicyId=policy, TargetId=ous[ou])


def _org_services(session: boto3.Session, endpoint_url: str, security_tooling: str) -> None:
    orgs = session.client("organizations", endpoint_url=endpoint_url)
    orgs.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    orgs.register_delegated_administrator(
        AccountId=security_tooling, ServicePrincipal="guardduty.amazonaws.com"
    )
    orgs.enable_aws_service_access(
        ServicePrincipal="member.org.stacksets.cloudformation.amazonaws.com"
    )
    session.client("cloudformation", endpoint_url=endpoint_url).create_stack_set(
        StackSetName="security-baseline",
        Description="Baseline security resources for every account",
        TemplateBody=STACKSET_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False},
    )


def _deploy_baseline(session: boto3.Session, endpoint_url: str, ous: dict[str, str]) -> None:
    """Deploy the baseline StackSet to the Security and Workloads OUs; dev, at the root,
    gets none (a gap the current lens's SEC01-BP06 reports)."""
    session.client("cloudformation", endpoint_url=endpoint_url).create_stack_instances(
        StackSetName="security-baseline",
        DeploymentTargets={"OrganizationalUnitIds": [ous["Security"], ous["Workloads"]]},
        Regions=list(DEMO_REGIONS),
    )


DEMO_SEED = 20221231


def build_demo_org(emulator: Emulator, now: datetime | None = None) -> DemoOrg:
    """Create the demo organization in ``emulator`` and return its identifiers.

    ``now`` (default: the current UTC time) anchors every scenario date, such
    as when each root user last signed in.
    """
    now = now or datetime.now(UTC)
    url = emulator.endpoint_url
    emulator.seed(DEMO_SEED)  # the same account and OU ids in every demo
    management = session_for(url)
    orgs = management.client("organizations", endpoint_url=url)
    org_id, management_id, root_id = _create_org(orgs)
    ous = {
        name: str(
            orgs.create_organizational_unit(ParentId=root_id, Name=name)["OrganizationalUnit"]["Id"]
        )
        for name in ("Security", "Workloads")
    }
    accounts = {
        "management": management_id,
        "security-tooling": _create_account(orgs, "security-tooling", root_id, ous["Security"]),
        "prod": _create_account(orgs, "prod", root_id, ous["Workloads"]),
        "dev": _create_account(orgs, "dev", root_id, None),
    }
    _attach_scps(orgs, ous)
    _org_services(management, url, accounts["security-tooling"])
    _deploy_baseline(management, url, ous)
    emulator.state.set_organizations_features(())
    emulator.state.set_landing_zones(management_id, ())
    plans: dict[str, AccountPlan] = demo_plans(now)
    for name, account_id in accounts.items():
        session = management if account_id == management_id else session_for(url, account_id)
        setup_account(emulator, session, account_id, plans[name])
    scenario_security.build(emulator, accounts, ous, now)
    scenario_configuration.build(emulator, accounts, ous, now)
    return DemoOrg(
        management_account_id=management_id,
        organization_id=org_id,
        root_id=root_id,
        accounts=accounts,
        ous=ous,
        regions=DEMO_REGIONS,
    )
