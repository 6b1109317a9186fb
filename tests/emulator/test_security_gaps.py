"""The Security Hub, Config compliance, Audit Manager and Trusted Advisor answers over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wellsec.emulator import DemoOrg, Emulator, build_demo_org
from wellsec.emulator.securityhub_gaps import (
    AccountSecurity,
    account_security,
    set_account,
)

NOW = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})
FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS_12 = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:
        yield em
        em.reset()  # moto's state is process-wide: leave it empty


@pytest.fixture(scope="module")
def org(emulator: Emulator) -> DemoOrg:
    return build_demo_org(emulator, now=NOW)


@pytest.fixture(autouse=True)
def _no_faults(emulator: Emulator) -> Iterator[None]:
    yield
    emulator.clear_faults()


def client(
    emulator: Emulator, org: DemoOrg, name: str, service: str, region: str = "us-east-1"
) -> Any:
    """A boto3 client acting in the demo account called ``name``."""
    base = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    session = base
    if name != "management":
        creds = base.client(
            "sts", endpoint_url=emulator.endpoint_url, config=NO_RETRIES
        ).assume_role(
            RoleArn=f"arn:aws:iam::{org.accounts[name]}:role/OrganizationAccountAccessRole",
            RoleSessionName="test",
        )["Credentials"]
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=region,
        )
    factory: Any = session.client
    return factory(service, endpoint_url=emulator.endpoint_url, config=NO_RETRIES)


def error_code(call: Any) -> str:
    with pytest.raises(ClientError) as err:
        call()
    return str(err.value.response["Error"]["Code"])


# -- Security Hub -------------------------------------------------------------------------


def test_describe_hub_reports_the_scenario_auto_enable_setting(
    emulator: Emulator, org: DemoOrg
) -> None:
    dev = client(emulator, org, "dev", "securityhub")
    hub = dev.describe_hub()
    assert hub["HubArn"] == f"arn:aws:securityhub:us-east-1:{org.accounts['dev']}:hub/default"
    assert hub["AutoEnableControls"] is False
    assert client(emulator, org, "prod", "securityhub").describe_hub()["AutoEnableControls"]


def test_security_hub_off_is_invalid_access(emulator: Emulator, org: DemoOrg) -> None:
    dev = client(emulator, org, "dev", "securityhub", "eu-west-1")
    for call in (
        dev.describe_hub,
        dev.get_enabled_standards,
        dev.list_automation_rules,
        dev.list_finding_aggregators,
    ):
        assert error_code(call) == "InvalidAccessException"


def test_enabled_standards(emulator: Emulator, org: DemoOrg) -> None:
    prod = client(emulator, org, "prod", "securityhub")
    subs = prod.get_enabled_standards()["StandardsSubscriptions"]
    assert {(s["StandardsArn"], s["StandardsStatus"]) for s in subs} == {
        (FSBP, "READY"),
        (CIS_12, "READY"),
    }
    cis = next(s for s in subs if s["StandardsArn"] == CIS_12)
    assert cis["StandardsSubscriptionArn"] == (
        f"arn:aws:securityhub:us-east-1:{org.accounts['prod']}:subscription/"
        "cis-aws-foundations-benchmark/v/1.2.0"
    )
    only = prod.get_enabled_standards(StandardsSubscriptionArns=[cis["StandardsSubscriptionArn"]])
    assert [s["StandardsArn"] for s in only["StandardsSubscriptions"]] == [CIS_12]
    eu = client(emulator, org, "prod", "securityhub", "eu-west-1").get_enabled_standards()
    assert [s["StandardsArn"] for s in eu["StandardsSubscriptions"]] == [
        FSBP.replace("us-east-1", "eu-west-1")
    ]
    mgmt = client(emulator, org, "management", "securityhub").get_enabled_standards()
    assert mgmt["StandardsSubscriptions"] == []


def test_automation_rules(emulator: Emulator, org: DemoOrg) -> None:
    tooling = client(emulator, org, "security-tooling", "securityhub")
    (rule,) = tooling.list_automation_rules()["AutomationRulesMetadata"]
    assert rule["RuleName"] == "suppress-informational-dev"
    assert rule["RuleStatus"] == "ENABLED"
    assert rule["RuleArn"].startswith(
        f"arn:aws:securityhub:us-east-1:{org.accounts['security-tooling']}:automation-rule/"
    )
    prod = client(emulator, org, "prod", "securityhub")
    assert prod.list_automation_rules()["AutomationRulesMetadata"] == []


def test_finding_aggregator_is_listed_from_any_region(emulator: Emulator, org: DemoOrg) -> None:
    tooling = client(emulator, org, "security-tooling", "securityhub", "eu-west-1")
    (item,) = tooling.list_finding_aggregators()["FindingAggregators"]
    arn = item["FindingAggregatorArn"]
    assert arn.startswith(
        f"arn:aws:securityhub:us-east-1:{org.accounts['security-tooling']}:finding-aggregator/"
    )
    home = client(emulator, org, "security-tooling", "securityhub")
    found = home.get_finding_aggregator(FindingAggregatorArn=arn)
    assert found["FindingAggregationRegion"] == "us-east-1"
    assert found["RegionLinkingMode"] == "ALL_REGIONS"
    prod = client(emulator, org, "prod", "securityhub")
    assert prod.list_finding_aggregators()["FindingAggregators"] == []
    missing = arn.replace(org.accounts["security-tooling"], org.accounts["prod"])
    assert (
        error_code(lambda: prod.get_finding_aggregator(FindingAggregatorArn=missing))
        == "ResourceNotFoundException"
    )


# -- AWS Config ---------------------------------------------------------------------------


def test_conformance_packs_and_their_status(emulator: Emulator, org: DemoOrg) -> None:
    config = client(emulator, org, "prod", "config", "eu-west-1")
    (pack,) = config.describe_conformance_packs()["ConformancePackDetails"]
    assert pack["ConformancePackName"] == "Operational-Best-Practices-for-PCI-DSS"
    assert pack["ConformancePackArn"].startswith(
        f"arn:aws:config:eu-west-1:{org.accounts['prod']}:conformance-pack/"
        "Operational-Best-Practices-for-PCI-DSS/conformance-pack-"
    )
    (status,) = config.describe_conformance_pack_status()["ConformancePackStatusDetails"]
    assert status["ConformancePackState"] == "CREATE_COMPLETE"
    assert status["ConformancePackId"] == pack["ConformancePackId"]


def test_failed_conformance_pack(emulator: Emulator, org: DemoOrg) -> None:
    config = client(emulator, org, "dev", "config")
    (pack,) = config.describe_conformance_packs(ConformancePackNames=["pci-dss-dev"])[
        "ConformancePackDetails"
    ]
    assert pack["TemplateSSMDocumentDetails"]["DocumentName"] == (
        "Operational-Best-Practices-for-PCI-DSS"
    )
    (status,) = config.describe_conformance_pack_status()["ConformancePackStatusDetails"]
    assert status["ConformancePackState"] == "CREATE_FAILED"
    assert status["ConformancePackStatusReason"] == "NoAvailableConfigurationRecorder"
    assert (
        error_code(lambda: config.describe_conformance_packs(ConformancePackNames=["nope"]))
        == "NoSuchConformancePackException"
    )
    mgmt = client(emulator, org, "management", "config")
    assert mgmt.describe_conformance_packs()["ConformancePackDetails"] == []


def test_remediation_configurations(emulator: Emulator, org: DemoOrg) -> None:
    config = client(emulator, org, "prod", "config")
    names = [r["ConfigRuleName"] for r in config.describe_config_rules()["ConfigRules"]]
    assert "restricted-ssh" in names  # the rule itself is moto's
    (found,) = config.describe_remediation_configurations(ConfigRuleNames=["restricted-ssh"])[
        "RemediationConfigurations"
    ]
    assert found["TargetId"] == "AWS-DisablePublicAccessForSecurityGroup"
    assert found["Automatic"] is True
    other = config.describe_remediation_configurations(ConfigRuleNames=["something-else"])
    assert other["RemediationConfigurations"] == []


# -- Audit Manager, Trusted Advisor, Health routing ---------------------------------------


def test_audit_manager(emulator: Emulator, org: DemoOrg) -> None:
    tooling = client(emulator, org, "security-tooling", "auditmanager")
    assert tooling.get_account_status()["status"] == "ACTIVE"
    (item,) = tooling.list_assessments()["assessmentMetadata"]
    assert (item["name"], item["complianceType"], item["status"]) == (
        "Payments PCI DSS v4.0",
        "PCI DSS",
        "ACTIVE",
    )
    assert tooling.list_assessments(status="INACTIVE")["assessmentMetadata"] == []
    prod = client(emulator, org, "prod", "auditmanager")
    assert prod.get_account_status()["status"] == "INACTIVE"
    assert error_code(prod.list_assessments) == "AccessDeniedException"


def test_trusted_advisor_needs_a_support_plan(emulator: Emulator, org: DemoOrg) -> None:
    support = client(emulator, org, "dev", "support")
    checks = support.describe_trusted_advisor_checks(language="en")["checks"]
    assert any(c["category"] == "security" for c in checks)
    dev = org.accounts["dev"]
    before = account_security(emulator.state, dev)
    set_account(emulator.state, dev, AccountSecurity())  # Basic support
    try:
        code = error_code(lambda: support.describe_trusted_advisor_checks(language="en"))
        assert code == "SubscriptionRequiredException"
    finally:
        set_account(emulator.state, dev, before)


def test_health_events_routing(emulator: Emulator, org: DemoOrg) -> None:
    for name in ("management", "prod", "security-tooling", "dev"):
        for region in ("us-east-1", "eu-west-1"):
            events = client(emulator, org, name, "events", region)
            rules = [
                r["Name"]
                for r in events.list_rules()["Rules"]
                if "aws.health" in (r.get("EventPattern") or "")
            ]
            routed = name == "management" or (name, region) == ("prod", "eu-west-1")
            expected = ["aws-health-notifications"] if routed else []
            assert rules == expected, (name, region)
            for rule in rules:
                assert events.list_targets_by_rule(Rule=rule)["Targets"]


def test_injected_denial_reaches_the_gap_answers(emulator: Emulator, org: DemoOrg) -> None:
    prod = client(emulator, org, "prod", "securityhub")
    emulator.deny("securityhub:GetEnabledStandards", account_id=org.accounts["prod"])
    assert error_code(prod.get_enabled_standards) == "AccessDeniedException"
    support = client(emulator, org, "management", "support")
    emulator.deny("support:DescribeTrustedAdvisorChecks")
    code = error_code(lambda: support.describe_trusted_advisor_checks(language="en"))
    assert code == "AccessDeniedException"
