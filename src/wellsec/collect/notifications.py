"""Collectors: AWS Health and security-finding event routing, Trusted Advisor reachability,
AWS Config remediation (BP05, BP08).
"""

from __future__ import annotations

import json
from typing import Any

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import is_unavailable, keys, unavailable_for
from wellsec.evidence import shapes_region as r
from wellsec.snapshot import Evidence

HEALTH_SOURCES = frozenset({"aws.health"})
# Services whose events are security findings an automated response can act on.
FINDING_SOURCES = frozenset(
    {
        "aws.securityhub",
        "aws.guardduty",
        "aws.config",
        "aws.inspector2",
        "aws.macie",
        "aws.access-analyzer",
        "aws.detective",
    }
)
# The Support API (and with it Trusted Advisor) has one endpoint, in us-east-1.
SUPPORT_REGION = "us-east-1"
_REMEDIATION_BATCH = 25  # DescribeRemediationConfigurations takes at most 25 rule names


def pattern_sources(pattern_text: str, wanted: frozenset[str]) -> list[str]:
    """The sources in ``wanted`` that an EventBridge event pattern selects.

    Handles ``"source": ["aws.health"]`` and prefix matches (``[{"prefix": "aws."}]``).
    """
    try:
        pattern = json.loads(pattern_text)
    except (json.JSONDecodeError, TypeError):
        return []
    sources = pattern.get("source") if isinstance(pattern, dict) else None
    if not isinstance(sources, list):
        return []
    found: set[str] = set()
    for item in sources:
        if isinstance(item, str) and item in wanted:
            found.add(item)
        elif isinstance(item, dict) and isinstance(item.get("prefix"), str):
            found.update(s for s in wanted if s.startswith(item["prefix"]))
    return sorted(found)


def _rule(reader: Reader, region: str, rule: dict[str, Any], sources: list[str]) -> r.SourceRule:
    targets = reader.paginate("events", region, "ListTargetsByRule", "Targets", Rule=rule["Name"])
    return {
        "name": rule["Name"],
        "arn": rule.get("Arn"),
        "enabled": str(rule.get("State", "")).startswith("ENABLED"),
        "sources": sources,
        "targets": targets if is_unavailable(targets) else [t.get("Arn") for t in targets],
    }


@collectors.register(
    keys=(keys.EVENTS_HEALTH_RULES, keys.EVENTS_FINDINGS_RULES),
    actions=("events:ListRules", "events:ListTargetsByRule"),
)
def event_routing_rules(reader: Reader, region: str) -> Evidence:
    """EventBridge rules on the default bus that route AWS Health events or security findings."""
    rules = reader.paginate("events", region, "ListRules", "Rules")
    if is_unavailable(rules):
        return unavailable_for(rules, keys.EVENTS_HEALTH_RULES, keys.EVENTS_FINDINGS_RULES)
    health: list[r.SourceRule] = []
    findings: list[r.SourceRule] = []
    for rule in rules:
        text = rule.get("EventPattern") or ""
        if sources := pattern_sources(text, HEALTH_SOURCES):
            health.append(_rule(reader, region, rule, sources))
        if sources := pattern_sources(text, FINDING_SOURCES):
            findings.append(_rule(reader, region, rule, sources))
    return {**keys.EVENTS_HEALTH_RULES.of(health), **keys.EVENTS_FINDINGS_RULES.of(findings)}


@collectors.register(
    keys=(keys.SUPPORT_TRUSTED_ADVISOR,), actions=("support:DescribeTrustedAdvisorChecks",)
)
def trusted_advisor(reader: Reader, region: str) -> Evidence:
    """Trusted Advisor's checks, as the Support API lists them.

    ``SubscriptionRequiredException`` means the account has neither Business, Enterprise
    On-Ramp nor Enterprise Support: the API (and Trusted Advisor's full checks) is closed.
    That is a fact about the account (``subscription: False``), not missing evidence. The
    botocore model (support/2013-04-15) lists only InternalServerError and
    ThrottlingException for this operation; the subscription error is in its documentation
    and https://docs.aws.amazon.com/awssupport/latest/user/about-support-api.html.
    """
    reply = reader.call(
        "support",
        SUPPORT_REGION,
        "DescribeTrustedAdvisorChecks",
        expected={"SubscriptionRequiredException": None},
        language="en",
    )
    if reply is None:
        return keys.SUPPORT_TRUSTED_ADVISOR.of({"subscription": False})
    if is_unavailable(reply):
        return keys.SUPPORT_TRUSTED_ADVISOR.of(reply)
    checks = reply.get("checks", [])
    security = sorted(c.get("name", "") for c in checks if c.get("category") == "security")
    return keys.SUPPORT_TRUSTED_ADVISOR.of(
        {
            "subscription": True,
            "checks": len(checks),
            "security_checks": security,
        }
    )


@collectors.register(
    keys=(keys.CONFIG_REMEDIATION_CONFIGURATIONS,),
    actions=("config:DescribeConfigRules", "config:DescribeRemediationConfigurations"),
)
def config_remediation(reader: Reader, region: str) -> Evidence:
    """Remediation actions attached to the region's AWS Config rules (none without rules)."""
    rules = reader.paginate("config", region, "DescribeConfigRules", "ConfigRules")
    if is_unavailable(rules):
        return keys.CONFIG_REMEDIATION_CONFIGURATIONS.of(rules)
    names = [str(r["ConfigRuleName"]) for r in rules if r.get("ConfigRuleName")]
    found: list[r.Remediation] = []
    for start in range(0, len(names), _REMEDIATION_BATCH):
        reply = reader.call(
            "config",
            region,
            "DescribeRemediationConfigurations",
            ConfigRuleNames=names[start : start + _REMEDIATION_BATCH],
        )
        if is_unavailable(reply):
            return keys.CONFIG_REMEDIATION_CONFIGURATIONS.of(reply)
        found += [
            {
                "rule": r.get("ConfigRuleName", ""),
                "target": r.get("TargetId", ""),
                "automatic": bool(r.get("Automatic")),
                "resource_type": r.get("ResourceType"),
            }
            for r in reply.get("RemediationConfigurations", [])
        ]
    return keys.CONFIG_REMEDIATION_CONFIGURATIONS.of(found)
