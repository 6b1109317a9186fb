"""A review of an organization with every gap ``wellsec fix`` has a remedy for.

The snapshot is the check tests' healthy organization (tests/checks/builders*.py) with
pieces of evidence broken, and the report comes from running the real checks over it:
the messages and resources the remedies select on are the checks' own.

Gaps: no Guardrails SCP and SCPs disabled on the root; no centralized root access;
Security Hub delegated to nobody. payments-prod (MEMBER): no security contact, no trail;
in the home region no Config recorder, no rules, no GuardDuty detector, Security Hub off,
no Health rule, no standard or pack, ECR not scanned; in the other region a stopped
recorder, a suspended detector, Security Hub without FSBP or auto-enabled controls.
The management account: no standards anywhere. No account aggregates Security Hub
findings. The security account is not GuardDuty administrator in the home region.
No attestation and no threat model is declared.
"""

from __future__ import annotations

from typing import Any

from tests.checks.builders import (
    HOME,
    MEMBER,
    MGMT,
    NOW,
    REGIONS,
    SECURITY,
    OrgBuilder,
    lens,
    set_evidence,
    workload,
)
from tests.checks.builders_detection import NOT_ADMIN, detector, inspector, protected, recorder
from tests.checks.builders_security import secured
from wellsec.render.json_report import review_to_dict
from wellsec.review import evaluate
from wellsec.snapshot import Snapshot

OTHER = next(r for r in REGIONS if r != HOME)
FRAMEWORKS = ["cis", "pci-dss", "soc2"]


def broken_snapshot() -> Snapshot:
    org = OrgBuilder.standard(scan_management=True).without_scp("Guardrails")
    org.scp_enabled = False
    org.features = []
    org.delegated = [
        {"account_id": SECURITY, "name": "security", "services": ["guardduty.amazonaws.com"]}
    ]
    snapshot = secured(protected(org.build()))

    def put(key: str, value: Any, account: str, region: str | None = None) -> None:
        set_evidence(snapshot, key, value, account_id=account, region=region)

    put("account.security_contact", None, MEMBER)
    put("cloudtrail.trails", [], MEMBER)
    put("logs.root_metric_alerting", {}, MEMBER)
    for key, value in {
        "config.recorders": [],
        "config.rules": [],
        "guardduty.detectors": [],
        "securityhub.hub": {"enabled": False},
        "securityhub.standards": [],
        "config.conformance_pack_deployments": [],
        "events.health_rules": [],
        "ecr.repositories": [{"name": "payments-api", "scan_on_push": False}],
        "inspector2.account_status": inspector(ecr="DISABLED"),
    }.items():
        put(key, value, MEMBER, HOME)
    for key, value in {
        "config.recorders": [recorder(recording=False)],
        "config.rules": [],
        "guardduty.detectors": [detector(status="SUSPENDED")],
        "securityhub.standards": [],
    }.items():
        put(key, value, MEMBER, OTHER)
    hub = dict(snapshot.account(MEMBER).regions[OTHER]["securityhub.hub"])  # type: ignore[union-attr]
    put("securityhub.hub", {**hub, "auto_enable_controls": False}, MEMBER, OTHER)
    for account in (MGMT, MEMBER, SECURITY):
        for region in REGIONS:
            put("securityhub.finding_aggregators", [], account, region)
    for region in REGIONS:
        put("securityhub.standards", [], MGMT, region)
    put("guardduty.organization_configuration", dict(NOT_ADMIN), SECURITY, HOME)
    return snapshot


def broken_report(snapshot: Snapshot | None = None) -> dict[str, Any]:
    """The JSON report of the broken organization's review."""
    wl = workload(
        owner="security@example.com", compliance=FRAMEWORKS, accounts=[MGMT, MEMBER, SECURITY]
    )
    review = evaluate(snapshot or broken_snapshot(), wl, lens(), now=NOW)
    return review_to_dict(review)
