"""Service control policies: the documents, and the templates that create and attach them.

Each policy is written twice: as the policy document (``scps/<name>.json``, what
``organizations create-policy --content`` takes) and as a CloudFormation template with
one ``AWS::Organizations::Policy`` attached to the OUs and accounts whose review failed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wellsec.fix.cfn import TAG_KEY, dump_json, dump_yaml, stack_name, template
from wellsec.fix.model import Artifact, ArtifactKind, Effect, FixError, Outcome
from wellsec.fix.source import ReviewFacts, Row
from wellsec.fix.targets import GLOBAL_REGION, PREFIX, Deployment, plain_stack

SCP_MAX_CHARS = 5120  # Organizations' size limit for one SCP document
VERSION = "2012-10-17"
# Services that are global or answer only in us-east-1: a region guardrail must let them
# through, or IAM, Organizations, billing and support stop working outside the list.
GLOBAL_ACTIONS = (
    "account:*", "aws-marketplace:*", "aws-portal:*", "budgets:*", "ce:*", "cloudfront:*",
    "cur:*", "directconnect:*", "ec2:DescribeRegions", "globalaccelerator:*", "health:*",
    "iam:*", "networkmanager:*", "organizations:*", "pricing:*", "route53:*",
    "route53domains:*", "s3:GetAccountPublicAccessBlock", "s3:ListAllMyBuckets",
    "s3:PutAccountPublicAccessBlock", "shield:*", "sts:*", "support:*", "trustedadvisor:*",
    "waf:*",
)  # fmt: skip
# Calls that switch off or blind the detective controls.
DISABLING_ACTIONS = (
    "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "config:DeleteConfigRule", "config:DeleteConfigurationRecorder",
    "config:DeleteConformancePack", "config:DeleteDeliveryChannel",
    "config:StopConfigurationRecorder",
    "guardduty:DeleteDetector", "guardduty:DeleteMembers",
    "guardduty:DisassociateFromAdministratorAccount", "guardduty:DisassociateFromMasterAccount",
    "guardduty:DisassociateMembers", "guardduty:StopMonitoringMembers", "guardduty:UpdateDetector",
    "securityhub:BatchDisableStandards", "securityhub:DeleteMembers",
    "securityhub:DisableSecurityHub", "securityhub:DisassociateFromAdministratorAccount",
    "securityhub:DisassociateFromMasterAccount", "securityhub:DisassociateMembers",
)  # fmt: skip
# Roles that deploy the organization's baseline may still change those services.
BASELINE_ROLES = (
    "arn:aws:iam::*:role/AWSCloudFormationStackSetExecutionRole",
    "arn:aws:iam::*:role/stacksets-exec-*",
)


def _policy(statement: dict[str, Any]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": [statement]}


def deny_outside_regions(facts: ReviewFacts) -> dict[str, Any]:
    return _policy(
        {
            "Sid": "DenyOutsideWorkloadRegions",
            "Effect": "Deny",
            "NotAction": list(GLOBAL_ACTIONS),
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": sorted(facts.regions)}},
        }
    )


def deny_root_user(facts: ReviewFacts) -> dict[str, Any]:
    return _policy(
        {
            "Sid": "DenyRootUser",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
        }
    )


def deny_leave_organization(facts: ReviewFacts) -> dict[str, Any]:
    return _policy(
        {
            "Sid": "DenyLeaveOrganization",
            "Effect": "Deny",
            "Action": "organizations:LeaveOrganization",
            "Resource": "*",
        }
    )


def protect_security_services(facts: ReviewFacts) -> dict[str, Any]:
    return _policy(
        {
            "Sid": "DenyDisablingDetectiveControls",
            "Effect": "Deny",
            "Action": list(DISABLING_ACTIONS),
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalARN": list(BASELINE_ROLES)}},
        }
    )


@dataclass(frozen=True)
class ScpSpec:
    name: str
    title: str
    description: str
    document: Callable[[ReviewFacts], dict[str, Any]]


def policy_text(document: dict[str, Any]) -> str:
    """The document as written to ``scps/``: indented if that fits the size limit."""
    pretty = dump_json(document)
    if len(pretty) <= SCP_MAX_CHARS:
        return pretty
    compact = json.dumps(document, sort_keys=True, separators=(",", ":"))
    if len(compact) > SCP_MAX_CHARS:
        raise FixError(None, f"SCP is {len(compact)} characters, over the {SCP_MAX_CHARS} limit")
    return compact + "\n"


def targets(facts: ReviewFacts, accounts: set[str]) -> list[str]:
    """Where to attach: each OU whose every account failed (the highest such OU), and the
    failing accounts no such OU holds. An OU with any account that did not fail is never
    a target, so no account the review did not find lacking gets the policy."""
    chosen: list[str] = []
    covered: set[str] = set()
    for ou, _ in sorted(facts.ou_parents, key=lambda item: _depth(facts, item[0])):
        under = facts.accounts_under(ou)
        if under and under <= accounts and not under <= covered:
            chosen.append(ou)
            covered |= under
    return sorted(chosen) + sorted(accounts - covered)


def _depth(facts: ReviewFacts, ou: str) -> tuple[int, str]:
    parents = dict(facts.ou_parents)
    depth, node = 0, ou
    while node in parents:
        depth, node = depth + 1, parents[node]
    return depth, ou


def _label(facts: ReviewFacts, target: str) -> str:
    name = dict(facts.ou_names).get(target)
    if name is not None:
        return f"OU {name} ({target})"
    return f"{facts.account_name(target)} ({target})"


def scp_artifact(spec: ScpSpec, facts: ReviewFacts, rows: list[Row], order: int) -> Artifact:
    """The policy document and its template, attached where the review failed."""
    accounts = targets(facts, {r.account for r in rows if r.account})
    document = spec.document(facts)
    text = policy_text(document)
    policy_name = stack_name(PREFIX, spec.name)
    body = template(
        f"wellsec: {spec.title}. Attached where the review found it missing.",
        {
            "Policy": {
                "Type": "AWS::Organizations::Policy",
                "Properties": {
                    "Name": policy_name,
                    "Description": spec.description,
                    "Type": "SERVICE_CONTROL_POLICY",
                    "Content": document,
                    "TargetIds": accounts,
                    "Tags": [{"Key": TAG_KEY, "Value": spec.name}],
                },
            }
        },
        outputs={"PolicyId": {"Value": {"Ref": "Policy"}}},
    )
    template_path = f"templates/scp-{spec.name}.yaml"
    deployment = Deployment(
        name=f"scp-{spec.name}",
        template_path=template_path,
        description=spec.title,
        places=frozenset(),
    )
    management = facts.management
    deploy = () if management is None else (plain_stack(deployment, management, GLOBAL_REGION),)
    return Artifact(
        name=f"scp-{spec.name}",
        kind=ArtifactKind.SCP,
        title=spec.title,
        order=order,
        files=((f"scps/{spec.name}.json", text), (template_path, dump_yaml(body))),
        effects=tuple(Effect(r.check, r.account, r.region, r.resource, Outcome.PASS) for r in rows),
        deploy=deploy,
        where=tuple(_label(facts, t) for t in accounts),
        notes=(
            "An account takes at most five directly attached SCPs (FullAWSAccess counts); "
            "attach at the OU instead where every account of the OU should carry it.",
        ),
    )


SCPS = {
    "regions_restricted_by_scp": ScpSpec(
        "deny-outside-regions",
        "Deny requests outside the workload's regions",
        "Denies regional services outside the workload's regions (global services exempt).",
        deny_outside_regions,
    ),
    "scp_denies_root_actions": ScpSpec(
        "deny-root-user",
        "Deny the root user of member accounts",
        "Denies every action by a member account's root user.",
        deny_root_user,
    ),
    "scp_denies_leave_organization": ScpSpec(
        "deny-leave-organization",
        "Deny leaving the organization",
        "Denies organizations:LeaveOrganization.",
        deny_leave_organization,
    ),
    "custom_scp_applied": ScpSpec(
        "protect-detective-controls",
        "Deny disabling CloudTrail, GuardDuty, Security Hub and Config",
        "Denies stopping or deleting the detective controls, except to the baseline roles.",
        protect_security_services,
    ),
}
