"""Demo scenario: Security Hub, compliance frameworks, Health routing, Trusted Advisor,
automation and findings response (BP03, BP05, BP08).

What moto models is created with boto3 as an administrator would (Security Hub
subscriptions, EventBridge rules, SNS topics, Config rules); the rest is scenario data
for :mod:`wellsec.emulator.securityhub_gaps`. The gaps, per account:

============== =================================================================
management     Security Hub without standards; Health routed; a GuardDuty findings
               rule that lost its target; no automated response
security-tooling FSBP and CIS 1.4 everywhere; the cross-region finding aggregator;
               a Security Hub automation rule; Audit Manager with a PCI assessment;
               no Health routing
prod           FSBP everywhere, CIS 1.2.0 in us-east-1 only, the PCI DSS conformance
               pack everywhere; Health routed in eu-west-1 only; automatic Config
               remediation
dev            Security Hub off in eu-west-1; in us-east-1 no standard, new controls
               not auto-enabled, a PCI pack whose deployment failed; no Health routing
============== =================================================================

The organization has Enterprise On-Ramp support, so Trusted Advisor is reachable
everywhere (a Basic-support account would make its check UNKNOWN).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from wellsec.emulator.securityhub_gaps import (
    AccountSecurity,
    Aggregator,
    Assessment,
    AutomationRule,
    ConformancePack,
    RegionSecurity,
    Remediation,
    Standard,
    set_account,
    set_region,
)
from wellsec.emulator.sessions import HOME_REGION, session_for

if TYPE_CHECKING:
    import boto3

    from wellsec.emulator.server import Emulator

REGIONS = ("us-east-1", "eu-west-1")
FSBP = Standard(
    "arn:aws:securityhub:REGION::standards/aws-foundational-security-best-practices/v/1.0.0"
)
CIS_14 = Standard("arn:aws:securityhub:REGION::standards/cis-aws-foundations-benchmark/v/1.4.0")
CIS_12 = Standard("arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0")
PCI_PACK = ConformancePack("Operational-Best-Practices-for-PCI-DSS")
HEALTH_PATTERN = json.dumps({"source": ["aws.health"]})
GUARDDUTY_PATTERN = json.dumps({"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]})
REMEDIATED_RULE = "restricted-ssh"

HUB_OFF = {("dev", "eu-west-1")}
REGIONAL: dict[tuple[str, str], RegionSecurity] = {
    ("security-tooling", "us-east-1"): RegionSecurity(
        standards=(FSBP, CIS_14),
        automation_rules=(AutomationRule("suppress-informational-dev", description="noise"),),
        audit_manager="ACTIVE",
        assessments=(Assessment("Payments PCI DSS v4.0", "PCI DSS"),),
    ),
    ("security-tooling", "eu-west-1"): RegionSecurity(standards=(FSBP, CIS_14)),
    ("prod", "us-east-1"): RegionSecurity(
        standards=(FSBP, CIS_12),
        conformance_packs=(PCI_PACK,),
        remediations=(
            Remediation(
                REMEDIATED_RULE,
                "AWS-DisablePublicAccessForSecurityGroup",
                resource_type="AWS::EC2::SecurityGroup",
            ),
        ),
    ),
    ("prod", "eu-west-1"): RegionSecurity(standards=(FSBP,), conformance_packs=(PCI_PACK,)),
    ("dev", "us-east-1"): RegionSecurity(
        auto_enable_controls=False,
        conformance_packs=(
            ConformancePack(
                "pci-dss-dev",
                state="CREATE_FAILED",
                document="Operational-Best-Practices-for-PCI-DSS",
                reason="NoAvailableConfigurationRecorder",
            ),
        ),
    ),
}
# Where an EventBridge rule routes AWS Health events (prod forgot its us-east-1 events).
HEALTH_ROUTED = {("management", "us-east-1"), ("management", "eu-west-1"), ("prod", "eu-west-1")}


def _client(session: boto3.Session, url: str, service: str, region: str) -> Any:
    factory: Any = session.client
    return factory(service, endpoint_url=url, region_name=region)


def _enable_security_hub(session: boto3.Session, url: str, region: str) -> None:
    # Standards are scenario data: moto does not model them.
    _client(session, url, "securityhub", region).enable_security_hub(EnableDefaultStandards=False)


def _topic(session: boto3.Session, url: str, region: str, account_id: str) -> str:
    sns = _client(session, url, "sns", region)
    topic = str(sns.create_topic(Name="security-notifications")["TopicArn"])
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=f"secops+{account_id}@example.com")
    return topic


def _rule(
    session: boto3.Session, url: str, region: str, name: str, pattern: str, target: str | None
) -> None:
    events = _client(session, url, "events", region)
    events.put_rule(Name=name, EventPattern=pattern, State="ENABLED")
    if target is not None:
        events.put_targets(Rule=name, Targets=[{"Id": "notify", "Arn": target}])


def _config_rule(session: boto3.Session, url: str, region: str) -> None:
    _client(session, url, "config", region).put_config_rule(
        ConfigRule={
            "ConfigRuleName": REMEDIATED_RULE,
            "Description": "Security groups do not allow unrestricted SSH",
            "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"},
            "Scope": {"ComplianceResourceTypes": ["AWS::EC2::SecurityGroup"]},
        }
    )


def build(emulator: Emulator, accounts: dict[str, str], ous: dict[str, str], now: datetime) -> None:
    """Add this part of the demo organization (accounts by name: management,
    security-tooling, prod, dev)."""
    url = emulator.endpoint_url
    for name, account_id in accounts.items():
        session = session_for(url, None if name == "management" else account_id)
        set_account(emulator.state, account_id, AccountSecurity(support_plan="ENTERPRISE_ON_RAMP"))
        for region in REGIONS:
            if (name, region) not in HUB_OFF:
                _enable_security_hub(session, url, region)
            set_region(
                emulator.state, account_id, region, REGIONAL.get((name, region), RegionSecurity())
            )
            if (name, region) in HEALTH_ROUTED:
                topic = _topic(session, url, region, account_id)
                _rule(session, url, region, "aws-health-notifications", HEALTH_PATTERN, topic)
        if name == "management":  # the target was removed: findings go nowhere
            _rule(session, url, HOME_REGION, "guardduty-findings", GUARDDUTY_PATTERN, None)
        if name == "prod":
            _config_rule(session, url, HOME_REGION)
    set_account(
        emulator.state,
        accounts["security-tooling"],
        AccountSecurity(support_plan="ENTERPRISE_ON_RAMP", aggregator=Aggregator(HOME_REGION)),
    )
