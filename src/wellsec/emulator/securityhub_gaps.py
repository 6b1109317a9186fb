"""Gap-layer answers for Security Hub, AWS Config compliance, Audit Manager and Trusted Advisor
operations moto lacks (BP03, BP05, BP08).

moto keeps whether Security Hub is enabled (per account and region) and answers DescribeHub;
these answers add what it does not model, from scenario data stored in the gap state:

- per account and region (:class:`RegionSecurity`): enabled standards, automation rules,
  AutoEnableControls, Config conformance packs and remediation configurations, Audit
  Manager status and assessments;
- per account (:class:`AccountSecurity`): the Support plan and the finding aggregator.

Security Hub answers ``InvalidAccessException`` wherever moto's hub is off, as AWS does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Answerer, Reply, RequestInfo, Rewriter, error_reply, json_reply

NAMESPACE = "security"
BUSINESS_PLANS = frozenset({"BUSINESS", "ENTERPRISE_ON_RAMP", "ENTERPRISE"})


@dataclass(frozen=True)
class Standard:
    arn: str  # as GetEnabledStandards reports it; REGION is replaced by the region
    status: str = "READY"


@dataclass(frozen=True)
class AutomationRule:
    name: str
    enabled: bool = True
    description: str = ""


@dataclass(frozen=True)
class ConformancePack:
    name: str
    state: str = "CREATE_COMPLETE"
    document: str | None = None  # the SSM document holding the template, if any
    reason: str = ""


@dataclass(frozen=True)
class Remediation:
    rule: str  # the AWS Config rule (moto holds the rule itself)
    target: str  # SSM automation document
    automatic: bool = True
    resource_type: str = ""


@dataclass(frozen=True)
class Assessment:
    name: str
    compliance_type: str
    status: str = "ACTIVE"


@dataclass(frozen=True)
class RegionSecurity:
    """What one account has in one region."""

    standards: tuple[Standard, ...] = ()
    automation_rules: tuple[AutomationRule, ...] = ()
    auto_enable_controls: bool = True
    conformance_packs: tuple[ConformancePack, ...] = ()
    remediations: tuple[Remediation, ...] = ()
    audit_manager: str = "INACTIVE"  # GetAccountStatus: ACTIVE | INACTIVE | PENDING_ACTIVATION
    assessments: tuple[Assessment, ...] = ()


@dataclass(frozen=True)
class Aggregator:
    region: str  # the aggregation (home) region
    linking_mode: str = "ALL_REGIONS"
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountSecurity:
    """What one account has whatever the region."""

    support_plan: str | None = None  # None: Basic support (no Trusted Advisor API)
    aggregator: Aggregator | None = None


def set_region(state: GapState, account_id: str, region: str, value: RegionSecurity) -> None:
    state.put(NAMESPACE, f"{account_id}/{region}", value)


def region_security(state: GapState, account_id: str, region: str) -> RegionSecurity:
    found = state.get(NAMESPACE, f"{account_id}/{region}")
    return found if isinstance(found, RegionSecurity) else RegionSecurity()


def set_account(state: GapState, account_id: str, value: AccountSecurity) -> None:
    state.put(NAMESPACE, account_id, value)


def account_security(state: GapState, account_id: str) -> AccountSecurity:
    found = state.get(NAMESPACE, account_id)
    return found if isinstance(found, AccountSecurity) else AccountSecurity()


def _id(*parts: str) -> str:
    """A stable identifier for the same scenario object across requests."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:12]


def _epoch(when: datetime) -> float:
    return when.astimezone(UTC).timestamp()


# -- Security Hub -------------------------------------------------------------------------


def _hub_enabled(info: RequestInfo) -> bool:
    from moto.securityhub.models import securityhub_backends

    return bool(securityhub_backends[info.account_id][info.region].enabled)


def not_subscribed(info: RequestInfo) -> Reply:
    return error_reply(
        info,
        "InvalidAccessException",
        f"Account {info.account_id} is not subscribed to AWS Security Hub",
        401,
    )


def rewrite_describe_hub(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """moto always reports AutoEnableControls true: report the scenario's setting."""
    # catalogue: securityhub:DescribeHub
    hub = json.loads(body or b"{}")
    hub["AutoEnableControls"] = region_security(
        state, info.account_id, info.region
    ).auto_enable_controls
    return json.dumps(hub).encode("utf-8")


def get_enabled_standards(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    # catalogue: securityhub:GetEnabledStandards
    if not _hub_enabled(info):
        return not_subscribed(info)
    wanted = info.json_body().get("StandardsSubscriptionArns")
    subscriptions = []
    for standard in region_security(state, info.account_id, info.region).standards:
        arn = standard.arn.replace("REGION", info.region)
        path = arn.split(":", 5)[-1].removeprefix("ruleset/").removeprefix("standards/")
        sub = f"arn:aws:securityhub:{info.region}:{info.account_id}:subscription/{path}"
        if isinstance(wanted, list) and wanted and sub not in wanted:
            continue
        subscriptions.append(
            {
                "StandardsSubscriptionArn": sub,
                "StandardsArn": arn,
                "StandardsInput": {},
                "StandardsStatus": standard.status,
                "StandardsControlsUpdatable": "READY_FOR_UPDATES",
            }
        )
    return json_reply({"StandardsSubscriptions": subscriptions})


def list_automation_rules(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    # catalogue: securityhub:ListAutomationRules
    if not _hub_enabled(info):
        return not_subscribed(info)
    created = _epoch(state.created)
    rules = [
        {
            "RuleArn": f"arn:aws:securityhub:{info.region}:{info.account_id}:automation-rule/"
            + _id(info.account_id, info.region, rule.name),
            "RuleStatus": "ENABLED" if rule.enabled else "DISABLED",
            "RuleOrder": order,
            "RuleName": rule.name,
            "Description": rule.description or rule.name,
            "IsTerminal": False,
            "CreatedAt": created,
            "UpdatedAt": created,
            "CreatedBy": f"arn:aws:iam::{info.account_id}:role/security-admin",
        }
        for order, rule in enumerate(
            region_security(state, info.account_id, info.region).automation_rules, start=1
        )
    ]
    return json_reply({"AutomationRulesMetadata": rules})


def _aggregator_arn(account_id: str, aggregator: Aggregator) -> str:
    return f"arn:aws:securityhub:{aggregator.region}:{account_id}:finding-aggregator/" + _id(
        account_id, aggregator.region
    )


def list_finding_aggregators(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    """The account's aggregator, seen from any region where its hub is on."""
    # catalogue: securityhub:ListFindingAggregators
    if not _hub_enabled(info):
        return not_subscribed(info)
    aggregator = account_security(state, info.account_id).aggregator
    found = [] if aggregator is None else [_aggregator_arn(info.account_id, aggregator)]
    return json_reply({"FindingAggregators": [{"FindingAggregatorArn": a} for a in found]})


def get_finding_aggregator(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    """The account's aggregator (an account has at most one, so the ARN is not compared)."""
    # catalogue: securityhub:GetFindingAggregator
    if not _hub_enabled(info):
        return not_subscribed(info)
    aggregator = account_security(state, info.account_id).aggregator
    if aggregator is None:
        return error_reply(
            info, "ResourceNotFoundException", "The finding aggregator does not exist.", 404
        )
    body: dict[str, Any] = {
        "FindingAggregatorArn": _aggregator_arn(info.account_id, aggregator),
        "FindingAggregationRegion": aggregator.region,
        "RegionLinkingMode": aggregator.linking_mode,
    }
    if aggregator.regions:
        body["Regions"] = list(aggregator.regions)
    return json_reply(body)


# -- AWS Config ---------------------------------------------------------------------------


def _pack_arn(info: RequestInfo, pack: ConformancePack) -> str:
    pack_id = "conformance-pack-" + _id(info.account_id, info.region, pack.name)
    return f"arn:aws:config:{info.region}:{info.account_id}:conformance-pack/{pack.name}/{pack_id}"


def _packs(info: RequestInfo, state: GapState) -> tuple[list[ConformancePack], Reply | None]:
    """The region's packs, filtered by ConformancePackNames (unknown names are an error)."""
    packs = list(region_security(state, info.account_id, info.region).conformance_packs)
    wanted = info.json_body().get("ConformancePackNames")
    if not isinstance(wanted, list) or not wanted:
        return packs, None
    missing = sorted(set(wanted) - {p.name for p in packs})
    if missing:
        return [], error_reply(
            info,
            "NoSuchConformancePackException",
            f"Conformance pack {missing[0]} does not exist.",
        )
    return [p for p in packs if p.name in wanted], None


def _pack_details(
    info: RequestInfo,
    state: GapState,
    key: str,
    details_of: Callable[[ConformancePack, str], dict[str, Any]],
) -> Reply:
    """The region's packs (see :func:`_packs`) under ``key``: each pack's name, id, ARN
    and update time, then what ``details_of(pack, arn)`` adds."""
    packs, error = _packs(info, state)
    if error is not None:
        return error
    details = []
    for pack in packs:
        arn = _pack_arn(info, pack)
        item: dict[str, Any] = {
            "ConformancePackName": pack.name,
            "ConformancePackId": arn.rsplit("/", 1)[-1],
            "ConformancePackArn": arn,
            "LastUpdateRequestedTime": _epoch(state.created),
        }
        details.append(item | details_of(pack, arn))
    return json_reply({key: details})


def describe_conformance_packs(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    # catalogue: config:DescribeConformancePacks
    def details(pack: ConformancePack, arn: str) -> dict[str, Any]:
        item: dict[str, Any] = {
            "DeliveryS3Bucket": f"awsconfigconforms-{info.account_id}",
            "ConformancePackInputParameters": [],
        }
        if pack.document:
            item["TemplateSSMDocumentDetails"] = {"DocumentName": pack.document}
        return item

    return _pack_details(info, state, "ConformancePackDetails", details)


def describe_conformance_pack_status(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    # catalogue: config:DescribeConformancePackStatus
    def details(pack: ConformancePack, arn: str) -> dict[str, Any]:
        item: dict[str, Any] = {
            "ConformancePackState": pack.state,
            "StackArn": f"arn:aws:cloudformation:{info.region}:{info.account_id}:stack/"
            f"awsconfigconforms-{pack.name}/{_id(arn)}",
        }
        if pack.state.endswith("_COMPLETE"):
            item["LastUpdateCompletedTime"] = _epoch(state.created)
        if pack.reason:
            item["ConformancePackStatusReason"] = pack.reason
        return item

    return _pack_details(info, state, "ConformancePackStatusDetails", details)


def describe_remediation_configurations(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    # catalogue: config:DescribeRemediationConfigurations
    wanted = info.json_body().get("ConfigRuleNames")
    names = set(wanted) if isinstance(wanted, list) else set()
    found = [
        {
            "ConfigRuleName": r.rule,
            "TargetType": "SSM_DOCUMENT",
            "TargetId": r.target,
            "TargetVersion": "1",
            "Parameters": {},
            "ResourceType": r.resource_type,
            "Automatic": r.automatic,
            "MaximumAutomaticAttempts": 5,
            "RetryAttemptSeconds": 60,
            "Arn": f"arn:aws:config:{info.region}:{info.account_id}:remediation-configuration/"
            f"{r.rule}/{_id(info.account_id, info.region, r.rule)}",
        }
        for r in region_security(state, info.account_id, info.region).remediations
        if r.rule in names
    ]
    return json_reply({"RemediationConfigurations": found})


# -- Audit Manager and Trusted Advisor ----------------------------------------------------


def audit_manager_status(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    # catalogue: auditmanager:GetAccountStatus
    return json_reply(
        {"status": region_security(state, info.account_id, info.region).audit_manager}
    )


def list_assessments(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    # catalogue: auditmanager:ListAssessments
    here = region_security(state, info.account_id, info.region)
    if here.audit_manager != "ACTIVE":
        return error_reply(
            info,
            "AccessDeniedException",
            "Please complete AWS Audit Manager setup from home page to enable this action "
            "in this account.",
            403,
        )
    wanted = info.param("status")
    created = _epoch(state.created)
    items = [
        {
            "name": a.name,
            "id": _id(info.account_id, info.region, a.name),
            "complianceType": a.compliance_type,
            "status": a.status,
            "roles": [],
            "delegations": [],
            "creationTime": created,
            "lastUpdated": created,
        }
        for a in here.assessments
        if not wanted or a.status == wanted
    ]
    return json_reply({"assessmentMetadata": items})


def describe_trusted_advisor_checks(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    """moto's Trusted Advisor checks, for accounts whose support plan opens the API.

    Below Business support AWS answers HTTP 400 ``SubscriptionRequiredException`` (JSON
    protocol), per the operation's documentation in botocore's support/2013-04-15 model
    and https://docs.aws.amazon.com/awssupport/latest/user/about-support-api.html.
    """
    # catalogue: support:DescribeTrustedAdvisorChecks
    if account_security(state, info.account_id).support_plan not in BUSINESS_PLANS:
        return error_reply(
            info,
            "SubscriptionRequiredException",
            "AWS Premium Support Subscription is required to use this service.",
        )
    from moto.support.models import support_backends

    checks = support_backends[info.account_id]["us-east-1"].describe_trusted_advisor_checks()
    return json_reply({"checks": checks})


REWRITERS: dict[str, Rewriter] = {"securityhub:DescribeHub": rewrite_describe_hub}
ANSWERERS: dict[str, Answerer] = {
    "securityhub:GetEnabledStandards": get_enabled_standards,
    "securityhub:ListAutomationRules": list_automation_rules,
    "securityhub:ListFindingAggregators": list_finding_aggregators,
    "securityhub:GetFindingAggregator": get_finding_aggregator,
    "config:DescribeConformancePacks": describe_conformance_packs,
    "config:DescribeConformancePackStatus": describe_conformance_pack_status,
    "config:DescribeRemediationConfigurations": describe_remediation_configurations,
    "auditmanager:GetAccountStatus": audit_manager_status,
    "auditmanager:ListAssessments": list_assessments,
    "support:DescribeTrustedAdvisorChecks": describe_trusted_advisor_checks,
}
