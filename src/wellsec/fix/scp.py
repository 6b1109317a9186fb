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
# Calls that switch off or blind the detective controls: stop or delete them, narrow what
# they record or where they deliver, suppress or archive what they find (GuardDuty filters
# and trusted IP lists, Security Hub automation rules and finding updates), or cut a member
# from its administrator. Names are IAM actions of the Service Authorization Reference
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html,
# list_awsconfig.html, list_amazonguardduty.html, list_awssecurityhub.html).
DISABLING_ACTIONS = (
    "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "config:DeleteConfigRule", "config:DeleteConfigurationAggregator",
    "config:DeleteConfigurationRecorder", "config:DeleteConformancePack",
    "config:DeleteDeliveryChannel", "config:DeleteEvaluationResults",
    "config:DeleteRetentionConfiguration", "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel", "config:PutRetentionConfiguration",
    "config:StopConfigurationRecorder",
    "guardduty:CreateFilter", "guardduty:CreateIPSet", "guardduty:DeleteDetector",
    "guardduty:DeleteMembers", "guardduty:DeletePublishingDestination",
    "guardduty:DisassociateFromAdministratorAccount", "guardduty:DisassociateFromMasterAccount",
    "guardduty:DisassociateMembers", "guardduty:StopMonitoringMembers", "guardduty:UpdateDetector",
    "guardduty:UpdateFilter", "guardduty:UpdateIPSet", "guardduty:UpdateMemberDetectors",
    "guardduty:UpdatePublishingDestination",
    "securityhub:BatchDisableStandards", "securityhub:BatchUpdateAutomationRules",
    "securityhub:BatchUpdateFindings", "securityhub:BatchUpdateStandardsControlAssociations",
    "securityhub:CreateAutomationRule", "securityhub:DeleteFindingAggregator",
    "securityhub:DeleteMembers", "securityhub:DisableImportFindingsForProduct",
    "securityhub:DisableSecurityHub", "securityhub:DisassociateFromAdministratorAccount",
    "securityhub:DisassociateFromMasterAccount", "securityhub:DisassociateMembers",
    "securityhub:UpdateFindingAggregator", "securityhub:UpdateSecurityHubConfiguration",
    "securityhub:UpdateStandardsControl",
)  # fmt: skip
# The alerting wellsec deploys (templates_alerting.py, templates_config.py): its EventBridge
# rules and SNS topics are named wellsec-*, the trail and Config buckets wellsec-trail-* and
# wellsec-config-*. Changing them silences the alerts without touching the services.
ALERTING_ACTIONS = (
    "events:DeleteRule", "events:DisableRule", "events:PutRule", "events:PutTargets",
    "events:RemoveTargets", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy",
    "s3:PutLifecycleConfiguration", "sns:DeleteTopic", "sns:RemovePermission",
    "sns:SetTopicAttributes",
)  # fmt: skip
ALERTING_RESOURCES = (
    "arn:aws:events:*:*:rule/wellsec-*",
    "arn:aws:sns:*:*:wellsec-*",
    "arn:aws:s3:::wellsec-trail-*",
    "arn:aws:s3:::wellsec-config-*",
)
# Subscription calls name a subscription, not a topic: a statement scoped to the topics
# would not reach them, so they are denied on "*" (Service Authorization Reference for SNS,
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html:
# an action without a resource type is matched only by "*").
SUBSCRIPTION_ACTIONS = ("sns:SetSubscriptionAttributes", "sns:Unsubscribe")
# Who may still change those controls: the roles that deploy the baseline. Service-managed
# StackSets act in a member account as the stacksets-exec-* role that StackSets itself
# creates there through its service-linked role
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html;
# SCPs do not apply to service-linked roles:
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html);
# self-managed StackSets act as AWSCloudFormationStackSetExecutionRole
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html).
# A member administrator could create a role so named, or change the real one, and act as
# it: aws:PrincipalArn is the role's ARN, path included, whoever assumed it
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
# So the same policy denies creating or changing roles that match the exemption to anyone
# but those roles: AWS's "Prevent IAM principals from making certain changes, with
# exceptions for a specified admin role" example, with iam:CreateRole and the tag calls
# added (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html).
EXEMPT_ROLES = (
    "arn:aws:iam::*:role/stacksets-exec-*",
    "arn:aws:iam::*:role/AWSCloudFormationStackSetExecutionRole",
)
ROLE_CHANGES = (
    "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription",
)  # fmt: skip


def _policy(sid: str, condition: dict[str, Any] | None = None, **action: Any) -> dict[str, Any]:
    """A policy of one Deny statement on every resource; ``action`` is its Action or
    NotAction."""
    statement = {"Sid": sid, "Effect": "Deny", **action, "Resource": "*"}
    if condition is not None:
        statement["Condition"] = condition
    return {"Version": VERSION, "Statement": [statement]}


def deny_outside_regions(facts: ReviewFacts) -> dict[str, Any]:
    return _policy(
        "DenyOutsideWorkloadRegions",
        {"StringNotEquals": {"aws:RequestedRegion": sorted(facts.regions)}},
        NotAction=list(GLOBAL_ACTIONS),
    )


def deny_root_user(facts: ReviewFacts) -> dict[str, Any]:
    root = {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}
    return _policy("DenyRootUser", root, Action="*")


def deny_leave_organization(facts: ReviewFacts) -> dict[str, Any]:
    return _policy("DenyLeaveOrganization", Action="organizations:LeaveOrganization")


def _deny(sid: str, actions: tuple[str, ...], resource: str | list[str]) -> dict[str, Any]:
    """A Deny statement every principal but the baseline roles is subject to."""
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Action": list(actions),
        "Resource": resource,
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(EXEMPT_ROLES)}},
    }


def protect_security_services(facts: ReviewFacts) -> dict[str, Any]:
    return {
        "Version": VERSION,
        "Statement": [
            _deny("DenyBlindingDetectiveControls", DISABLING_ACTIONS, "*"),
            _deny("DenyChangingWellsecAlerting", ALERTING_ACTIONS, list(ALERTING_RESOURCES)),
            _deny("DenyChangingSubscriptions", SUBSCRIPTION_ACTIONS, "*"),
            _deny("ProtectBaselineRoles", ROLE_CHANGES, list(EXEMPT_ROLES)),
        ],
    }


@dataclass(frozen=True)
class ScpSpec:
    name: str
    title: str
    description: str
    document: Callable[[ReviewFacts], dict[str, Any]]
    notes: tuple[str, ...] = ()


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
            *spec.notes,
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
        "Denies switching off or blinding the detective controls and wellsec's alerting, "
        "except to the StackSet execution roles, which it protects from change.",
        protect_security_services,
        (
            "Once attached, only the StackSet execution roles (stacksets-exec-*, "
            "AWSCloudFormationStackSetExecutionRole) change these controls in those accounts: "
            "deploy later changes through a StackSet. Security Hub triage (finding updates, "
            "automation rules) then belongs in the delegated administrator account.",
            "A landing zone that manages these services with a role of its own (AWS Control "
            "Tower: AWSControlTowerExecution) needs that role in the exemption and in the "
            "protected roles alike; an exemption no statement protects is a bypass.",
        ),
    ),
}
