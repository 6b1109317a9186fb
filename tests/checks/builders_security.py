"""Evidence for the SEC01-BP03, BP05 and BP08 checks, shaped as the collectors write it.

``secured(snapshot)`` gives every scanned account of a builders snapshot the evidence on
which those checks pass: Security Hub on in every region with FSBP, CIS and PCI DSS, a PCI
conformance pack, an aggregator in the home region, Health and findings routing, automatic
Config remediation, Business support and an Audit Manager assessment (security account).
Tests then break one piece and look at what the checks say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.checks.builders import (
    HOME,
    MEMBER,
    NOW,
    REGIONS,
    SECURITY,
    OrgBuilder,
    account,
    findings_of,
    run,
    workload,
)
from wellsec.findings import Finding, Status
from wellsec.snapshot import Snapshot
from wellsec.workload import Workload

FSBP_ARN = (
    "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"
)
CIS_ARN = "arn:aws:securityhub:{region}::standards/cis-aws-foundations-benchmark/v/1.4.0"
CIS_12_ARN = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
PCI_ARN = "arn:aws:securityhub:{region}::standards/pci-dss/v/4.0.1"
FRAMEWORKS = ["cis", "pci-dss"]


def compliant(**changes: Any) -> Workload:
    """The builders workload, declaring CIS and PCI DSS unless ``compliance`` says otherwise."""
    return workload(**{"compliance": list(FRAMEWORKS), **changes})


def standard(arn: str, region: str, status: str = "READY") -> dict[str, Any]:
    resolved = arn.format(region=region)
    path = resolved.split("::", 1)[1].removeprefix("ruleset/").removeprefix("standards/")
    return {
        "arn": resolved,
        "subscription_arn": f"arn:aws:securityhub:{region}:{MEMBER}:subscription/{path}",
        "status": status,
    }


def pack(name: str, state: Any = "CREATE_COMPLETE", document: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "arn": f"arn:aws:config:{HOME}:{MEMBER}:conformance-pack/{name}/conformance-pack-x1",
        "document": document,
        "state": state,
        "reason": None,
    }


def aggregator(
    owner: str, mode: str = "ALL_REGIONS", regions: list[str] | None = None, home: str = HOME
) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:securityhub:{home}:{owner}:finding-aggregator/agg-1",
        "aggregation_region": home,
        "config": {"aggregation_region": home, "linking_mode": mode, "regions": regions or []},
    }


def rule(
    name: str, sources: list[str], *, enabled: bool = True, targets: Any = None
) -> dict[str, Any]:
    return {
        "name": name,
        "arn": f"arn:aws:events:{HOME}:{MEMBER}:rule/{name}",
        "enabled": enabled,
        "sources": sources,
        "targets": [f"arn:aws:sns:{HOME}:{MEMBER}:security"] if targets is None else targets,
    }


def remediation(rule_name: str = "restricted-ssh", automatic: bool = True) -> dict[str, Any]:
    return {
        "rule": rule_name,
        "target": "AWS-DisablePublicAccessForSecurityGroup",
        "automatic": automatic,
        "resource_type": "AWS::EC2::SecurityGroup",
    }


def assessment(name: str = "Payments PCI DSS", compliance_type: str = "PCI DSS") -> dict[str, Any]:
    return {"name": name, "compliance_type": compliance_type, "status": "ACTIVE"}


def region_evidence(account_id: str, region: str) -> dict[str, Any]:
    audit: dict[str, Any] = {"status": "INACTIVE", "assessments": []}
    if account_id == SECURITY and region == HOME:
        audit = {"status": "ACTIVE", "assessments": [assessment()]}
    return {
        "securityhub.hub": {
            "enabled": True,
            "arn": f"arn:aws:securityhub:{region}:{account_id}:hub/default",
            "subscribed_at": (NOW - dt.timedelta(days=300)).isoformat(),
            "auto_enable_controls": True,
            "control_finding_generator": "SECURITY_CONTROL",
        },
        "securityhub.standards": [
            standard(FSBP_ARN, region),
            standard(CIS_ARN, region),
            standard(PCI_ARN, region),
        ],
        "securityhub.automation_rules": [],
        "securityhub.finding_aggregators": [aggregator(account_id)],
        "config.conformance_pack_deployments": [pack("Operational-Best-Practices-for-PCI-DSS")],
        "config.remediation_configurations": [remediation()],
        "auditmanager.assessments": audit,
        "events.health_rules": [rule("aws-health", ["aws.health"])],
        "events.findings_rules": [rule("findings-responder", ["aws.guardduty"])],
    }


def secured(snapshot: Snapshot) -> Snapshot:
    """Add the passing BP03/BP05/BP08 evidence to every scanned account of ``snapshot``."""
    for acct in snapshot.accounts:
        acct.evidence["support.trusted_advisor"] = {
            "subscription": True,
            "checks": 115,
            "security_checks": ["IAM Use", "MFA on Root Account", "Security Groups"],
        }
        for region in REGIONS:
            acct.regions.setdefault(region, {}).update(region_evidence(acct.id, region))
    return snapshot


def region_of(snapshot: Snapshot, account_id: str, region: str) -> dict[str, Any]:
    return account(snapshot, account_id).regions[region]


def verdicts(
    snapshot: Snapshot,
    check_id: str,
    account_id: str | None = MEMBER,
    region: str | None = None,
    wl: Workload | None = None,
) -> list[Finding]:
    """The findings of one check, for one account (and region), through the runner."""
    found = findings_of(run(snapshot, wl or compliant()), check_id, account_id)
    return [f for f in found if region is None or f.region == region]


def statuses(findings: list[Finding]) -> set[Status]:
    return {f.status for f in findings}


@dataclass(frozen=True)
class Case:
    """One expected verdict: change the secured organization, run every check, look at one.

    Every finding of ``check`` for ``account`` (and ``region``) must have ``status``, and
    one message must contain ``says``.
    """

    name: str
    check: str
    status: Status
    change: Callable[[Snapshot], Any] = lambda s: None
    says: str = ""
    account: str = MEMBER
    region: str | None = None
    workload: Workload | None = None


def judge(case: Case) -> list[Finding]:
    snapshot = secured(OrgBuilder.standard().build())
    case.change(snapshot)
    found = verdicts(snapshot, case.check, case.account, case.region, case.workload)
    assert found, f"{case.check} produced no finding"
    assert statuses(found) == {case.status}, [f.message for f in found]
    assert any(case.says in f.message for f in found), [f.message for f in found]
    return found


def covered(cases: list[Case], status: Status) -> set[str]:
    return {c.check for c in cases if c.status is status}
