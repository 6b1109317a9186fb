"""Collectors: Security Hub (hub, standards, finding aggregation, automation rules), AWS Config
conformance packs and Audit Manager assessments (BP03, BP05, BP08).

Security Hub answers ``InvalidAccessException`` when the account is not subscribed in the
region: that is a fact (Security Hub is off there), recorded as such, not a failed read.
"""

from __future__ import annotations

from typing import Any

from wellsec.aws.calls import Reader
from wellsec.aws.endpoints import offered_in
from wellsec.collect.registry import Item, collectors, each
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence import shapes_region as r
from wellsec.snapshot import Evidence

SECURITYHUB = "securityhub"
# "Account ... is not subscribed to AWS Security Hub": the hub is off in this region.
NOT_SUBSCRIBED = "InvalidAccessException"
_AUDIT_MANAGER_PAGES = 20  # ListAssessments has no botocore paginator; 20 pages of 1000 suffice


def _describe_hub(reader: Reader, region: str) -> Any:
    # One request per account and region, whichever collector asks first.
    return reader.call(SECURITYHUB, region, "DescribeHub", expected={NOT_SUBSCRIBED: None})


def _hub_off(reader: Reader, region: str) -> bool:
    """True when Security Hub says it is not enabled here: the hub's other reads would
    only be refused, so they are not sent. A hub that could not be read is not off."""
    return _describe_hub(reader, region) is None


def _hub_list(reader: Reader, region: str, operation: str, result: str) -> Any:
    """A list the hub holds: empty, and not asked for, where Security Hub is off (or
    found off meanwhile: no hub, nothing in it)."""
    if _hub_off(reader, region):
        return []
    return reader.paginate(SECURITYHUB, region, operation, result, expected={NOT_SUBSCRIBED: []})


@collectors.register(keys=(keys.SECURITYHUB_HUB,), actions=("securityhub:DescribeHub",))
def security_hub(reader: Reader, region: str) -> Evidence:
    reply = _describe_hub(reader, region)
    if reply is None:
        return keys.SECURITYHUB_HUB.of({"enabled": False})
    if is_unavailable(reply):
        return keys.SECURITYHUB_HUB.of(reply)
    auto = reply.get("AutoEnableControls")
    return keys.SECURITYHUB_HUB.of(
        {
            "enabled": True,
            "arn": reply.get("HubArn"),
            "subscribed_at": reply.get("SubscribedAt"),
            "auto_enable_controls": auto if isinstance(auto, bool) else None,
            "control_finding_generator": reply.get("ControlFindingGenerator"),
        }
    )


@collectors.register(
    keys=(keys.SECURITYHUB_STANDARDS,),
    actions=("securityhub:GetEnabledStandards", "securityhub:DescribeHub"),
)
def security_hub_standards(reader: Reader, region: str) -> Evidence:
    listed = _hub_list(reader, region, "GetEnabledStandards", "StandardsSubscriptions")
    return keys.SECURITYHUB_STANDARDS.of(each(listed, _standard))


def _standard(subscription: Item) -> r.Standard:
    return {
        "arn": subscription.get("StandardsArn", ""),
        "subscription_arn": subscription.get("StandardsSubscriptionArn", ""),
        "status": subscription.get("StandardsStatus", ""),
    }


@collectors.register(
    keys=(keys.SECURITYHUB_AUTOMATION_RULES,),
    actions=("securityhub:ListAutomationRules", "securityhub:DescribeHub"),
)
def security_hub_automation_rules(reader: Reader, region: str) -> Evidence:
    # Existence is what matters: the first page (up to 100 rules) is enough.
    listed = _hub_list(reader, region, "ListAutomationRules", "AutomationRulesMetadata")
    return keys.SECURITYHUB_AUTOMATION_RULES.of(each(listed, _automation_rule))


def _automation_rule(rule: Item) -> r.AutomationRule:
    return {
        "name": rule.get("RuleName", ""),
        "arn": rule.get("RuleArn", ""),
        "enabled": rule.get("RuleStatus") == "ENABLED",
    }


@collectors.register(
    keys=(keys.SECURITYHUB_FINDING_AGGREGATORS,),
    actions=(
        "securityhub:ListFindingAggregators",
        "securityhub:GetFindingAggregator",
        "securityhub:DescribeHub",
    ),
)
def security_hub_aggregators(reader: Reader, region: str) -> Evidence:
    """The account's cross-region finding aggregator, seen from this region.

    ListFindingAggregators answers from any region where the hub is on; the details are
    read in the aggregator's own (aggregation) region, which need not be a scanned one.
    """
    listed = _hub_list(reader, region, "ListFindingAggregators", "FindingAggregators")
    if is_unavailable(listed):
        return keys.SECURITYHUB_FINDING_AGGREGATORS.of(listed)
    found: list[r.FindingAggregator] = []
    for item in listed:
        arn = str(item.get("FindingAggregatorArn", ""))
        parts = arn.split(":")
        home = parts[3] if len(parts) > 3 and parts[3] else region
        found.append(
            {"arn": arn, "aggregation_region": home, "config": _aggregator(reader, home, arn)}
        )
    return keys.SECURITYHUB_FINDING_AGGREGATORS.of(found)


def _aggregator(reader: Reader, region: str, arn: str) -> r.AggregatorConfig | Unavailable:
    reply = reader.call(SECURITYHUB, region, "GetFindingAggregator", FindingAggregatorArn=arn)
    if is_unavailable(reply):
        return reply
    return {
        "aggregation_region": reply.get("FindingAggregationRegion") or region,
        "linking_mode": reply.get("RegionLinkingMode", ""),
        "regions": list(reply.get("Regions") or []),
    }


@collectors.register(
    keys=(keys.CONFIG_CONFORMANCE_PACK_DEPLOYMENTS,),
    actions=("config:DescribeConformancePacks", "config:DescribeConformancePackStatus"),
)
def conformance_packs(reader: Reader, region: str) -> Evidence:
    """Conformance packs in the region and whether each is deployed (its stack's state).

    AWS Config off in the region simply lists no pack.
    """
    packs = reader.paginate("config", region, "DescribeConformancePacks", "ConformancePackDetails")
    if is_unavailable(packs):
        return keys.CONFIG_CONFORMANCE_PACK_DEPLOYMENTS.of(packs)
    states: Any = {}
    if packs:
        statuses = reader.paginate(
            "config", region, "DescribeConformancePackStatus", "ConformancePackStatusDetails"
        )
        states = (
            statuses
            if is_unavailable(statuses)
            else {s.get("ConformancePackName"): s for s in statuses}
        )
    out: list[r.ConformancePack] = []
    for pack in packs:
        name = pack.get("ConformancePackName", "")
        status = states if is_unavailable(states) else states.get(name) or {}
        out.append(
            {
                "name": name,
                "arn": pack.get("ConformancePackArn", ""),
                "document": (pack.get("TemplateSSMDocumentDetails") or {}).get("DocumentName"),
                # the pack's CloudFormation stack state, or why it could not be read
                "state": status
                if is_unavailable(status)
                else status.get("ConformancePackState", "UNKNOWN"),
                "reason": None
                if is_unavailable(status)
                else status.get("ConformancePackStatusReason"),
            }
        )
    return keys.CONFIG_CONFORMANCE_PACK_DEPLOYMENTS.of(out)


NOT_OFFERED = "NOT_OFFERED"  # ours, not AWS's: the service has no endpoint in the region


@collectors.register(
    keys=(keys.AUDITMANAGER_ASSESSMENTS,),
    actions=("auditmanager:GetAccountStatus", "auditmanager:ListAssessments"),
)
def audit_manager(reader: Reader, region: str) -> Evidence:
    # Audit Manager is offered in a few regions only (botocore's endpoint data;
    # https://docs.aws.amazon.com/audit-manager/latest/userguide/what-is.html): elsewhere
    # there is nothing to set up, a fact rather than unreadable evidence.
    if not offered_in("auditmanager", region):
        return keys.AUDITMANAGER_ASSESSMENTS.of({"status": NOT_OFFERED, "assessments": []})
    status = reader.call("auditmanager", region, "GetAccountStatus")
    if is_unavailable(status):
        return keys.AUDITMANAGER_ASSESSMENTS.of(status)
    state = str(status.get("status") or "INACTIVE")
    if state != "ACTIVE":  # Audit Manager not set up here: a fact, no assessment
        return keys.AUDITMANAGER_ASSESSMENTS.of({"status": state, "assessments": []})
    found: list[r.Assessment] = []
    token: str | None = None
    for _ in range(_AUDIT_MANAGER_PAGES):
        params: dict[str, Any] = {"maxResults": 1000}
        if token:
            params["nextToken"] = token
        page = reader.call("auditmanager", region, "ListAssessments", **params)
        if is_unavailable(page):
            return keys.AUDITMANAGER_ASSESSMENTS.of(page)
        found += [
            {
                "name": a.get("name", ""),
                "compliance_type": a.get("complianceType", ""),
                "status": a.get("status", ""),
            }
            for a in page.get("assessmentMetadata", [])
        ]
        token = page.get("nextToken")
        if not token:
            break
    return keys.AUDITMANAGER_ASSESSMENTS.of({"status": state, "assessments": found})
