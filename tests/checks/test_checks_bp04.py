"""SEC01-BP04 checks through the runner: PASS, FAIL, UNKNOWN and NOT_APPLICABLE each."""

from __future__ import annotations

import pytest

from tests.checks.builders import (
    HOME,
    MEMBER,
    MGMT,
    NOW,
    OUTSIDER,
    SECURITY,
    every_attestation,
    lens,
    mark_unreachable,
    run,
    standalone_snapshot,
    unavailable,
    workload,
)
from tests.checks.builders_detection import (
    NA,
    NOT_ADMIN,
    OTHER,
    Case,
    F,
    P,
    U,
    both,
    covered,
    detector,
    healthy,
    inspector,
    judge,
    org_config,
    protected,
    put,
)
from wellsec.checks.runner import all_checks
from wellsec.findings import Status
from wellsec.review import PracticeStatus, evaluate
from wellsec.snapshot import Snapshot

BP = "SEC01-BP04"
DENIED = unavailable("GuardDuty read denied by an SCP", "guardduty:ListDetectors", "AccessDenied")
THROTTLED = unavailable("throttled past the retry limit", "inspector2:BatchGetAccountStatus")


def _org_config(value: object) -> object:
    """The security account's GuardDuty organization configuration in every region."""
    return both(
        put("guardduty.organization_configuration", value, SECURITY, HOME),
        put("guardduty.organization_configuration", value, SECURITY, OTHER),
    )


def _no_delegation(snapshot: Snapshot) -> None:
    snapshot.organization["delegated_administrators"] = []


def _delegate_outsider(snapshot: Snapshot) -> None:
    snapshot.organization["delegated_administrators"] = [
        {"account_id": OUTSIDER, "name": "outsider", "services": ["guardduty.amazonaws.com"]}
    ]


EKS_ADDON = {"RUNTIME_MONITORING": "ENABLED", "RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT": "ENABLED"}
ORG = {"account": MGMT, "region": None}
ACCOUNT = {"region": None}

CASES = [
    # guardduty_enabled
    Case("gd-on", "guardduty_enabled", P,
         says="detector d-1 is enabled; S3 protection on, EKS runtime monitoring not reported, "
         "malware protection on"),
    Case("gd-eks-runtime", "guardduty_enabled", P,
         put("guardduty.detectors", [detector(**EKS_ADDON)]),
         says="EKS runtime monitoring on"),
    Case("gd-none", "guardduty_enabled", F, put("guardduty.detectors", []),
         says=f"GuardDuty is not enabled in {HOME}: no detector"),
    Case("gd-suspended", "guardduty_enabled", F, put("guardduty.detectors", [detector("DISABLED")]),
         says="detector d-1 is DISABLED (suspended)"),
    Case("gd-denied", "guardduty_enabled", U, put("guardduty.detectors", DENIED),
         says="guardduty:ListDetectors unavailable (AccessDenied): GuardDuty read denied"),
    Case("gd-detail-denied", "guardduty_enabled", U,
         put("guardduty.detectors", [detector(DENIED)]),
         says="detector d-1 exists but is unreadable: guardduty:ListDetectors unavailable"),
    # guardduty_org_auto_enable
    Case("org-all", "guardduty_org_auto_enable", P,
         says=f"security ({SECURITY}) auto-enables GuardDuty for all accounts in {HOME}", **ORG),
    Case("org-new", "guardduty_org_auto_enable", P, _org_config(org_config("NEW")),
         says="for new accounts", **ORG),
    Case("org-legacy-flag", "guardduty_org_auto_enable", P, _org_config(org_config(None, True)),
         says="for new accounts", **ORG),
    Case("org-off", "guardduty_org_auto_enable", F, _org_config(org_config("NONE", False)),
         says=f"administers GuardDuty in {OTHER} but auto-enable is off", **ORG),
    Case("org-not-designated", "guardduty_org_auto_enable", F, _org_config(dict(NOT_ADMIN)),
         says="is not the GuardDuty administrator in", **ORG),
    Case("org-no-detector", "guardduty_org_auto_enable", F, _org_config(None),
         says=f"has no GuardDuty detector in {HOME}", **ORG),
    Case("org-nobody", "guardduty_org_auto_enable", F,
         both(_no_delegation, _org_config(dict(NOT_ADMIN))),
         says="no GuardDuty administrator manages the organization in", **ORG),
    Case("org-denied", "guardduty_org_auto_enable", U, _org_config(DENIED),
         says="GuardDuty administrator security (333333333333): guardduty:ListDetectors", **ORG),
    Case("org-other-unread", "guardduty_org_auto_enable", U,
         both(_org_config(dict(NOT_ADMIN)),
              put("guardduty.organization_configuration", DENIED, MEMBER, HOME),
              put("guardduty.organization_configuration", DENIED, MEMBER, OTHER)),
         says="GuardDuty administrator not found: guardduty:ListDetectors unavailable", **ORG),
    Case("org-admin-unscanned", "guardduty_org_auto_enable", U,
         both(_delegate_outsider, _org_config(dict(NOT_ADMIN))),
         says=f"the GuardDuty delegated administrator {OUTSIDER} was not scanned", **ORG),
    Case("org-delegation-unread", "guardduty_org_auto_enable", U,
         both(_org_config(dict(NOT_ADMIN)),
              lambda s: s.organization.update(delegated_administrators=DENIED)),
         says="GuardDuty delegated administrator unknown: guardduty:ListDetectors", **ORG),
    Case("org-unreadable", "guardduty_org_auto_enable", U,
         lambda s: s.organization.update(organization=DENIED), says="AccessDenied", **ORG),
    # inspector_scans_used_resources
    Case("insp-all", "inspector_scans_used_resources", P,
         says="Inspector scans EC2 (2 running instances), ECR (1 repository), Lambda (1 function)"),
    Case("insp-ecr-off", "inspector_scans_used_resources", F,
         put("inspector2.account_status", inspector(ecr="DISABLED")),
         says="ECR in use (1 repository) but Inspector ECR scanning is DISABLED"),
    Case("insp-never-enabled", "inspector_scans_used_resources", F,
         put("inspector2.account_status", inspector("DISABLED", "DISABLED", "DISABLED")),
         says="EC2 in use (2 running instances) but Inspector EC2 scanning is DISABLED"),
    Case("insp-partly-used", "inspector_scans_used_resources", P,
         both(put("lambda.functions", []), put("inspector2.account_status",
                                               inspector(lam="DISABLED"))),
         says="; not used here: Lambda"),
    Case("insp-nothing-used", "inspector_scans_used_resources", NA, region=OTHER,
         says="no running EC2 instance, ECR repository or Lambda function"),
    Case("insp-status-unread", "inspector_scans_used_resources", U,
         put("inspector2.account_status", THROTTLED),
         says="throttled past the retry limit"),
    Case("insp-use-unread", "inspector_scans_used_resources", U,
         both(put("ec2.running_instances", DENIED, region=OTHER),
              put("inspector2.account_status", inspector(ec2="DISABLED"), region=OTHER)),
         region=OTHER, says="cannot tell whether Inspector covers what runs here"),
    Case("insp-enabled-use-unread", "inspector_scans_used_resources", P,
         put("ec2.running_instances", DENIED), says="Inspector scans EC2, ECR (1 repository)"),
    # shield_advanced_internet_facing
    Case("shield-on", "shield_advanced_internet_facing", P,
         says=f"subscription is active; the account is internet-facing: internet-facing load "
         f"balancer payments-public ({HOME})", **ACCOUNT),
    Case("shield-off", "shield_advanced_internet_facing", F,
         put("shield.subscription", {"state": "INACTIVE"}, region=None),
         says="no Shield Advanced subscription, yet the account is internet-facing", **ACCOUNT),
    Case("shield-cloudfront", "shield_advanced_internet_facing", F,
         both(put("shield.subscription", {"state": "INACTIVE"}, SECURITY, None),
              put("cloudfront.distributions", [{"id": "E1", "domain": "d1.cloudfront.net",
                                                "enabled": True}], SECURITY, None)),
         account=SECURITY, region=None, says="CloudFront distribution E1"),
    Case("shield-not-exposed", "shield_advanced_internet_facing", NA,
         put("shield.subscription", {"state": "INACTIVE"}, SECURITY, None),
         account=SECURITY, region=None,
         says="no CloudFront distribution or internet-facing load balancer here"),
    Case("shield-declared-off", "shield_advanced_internet_facing", NA,
         workload=workload(internet_facing=False),
         says="declared not internet-facing", **ACCOUNT),
    Case("shield-declared-on", "shield_advanced_internet_facing", F,
         put("shield.subscription", {"state": "INACTIVE"}, SECURITY, None),
         account=SECURITY, region=None, workload=workload(internet_facing=True),
         says="the workload is declared internet-facing"),
    Case("shield-unread", "shield_advanced_internet_facing", U,
         put("shield.subscription", DENIED, region=None),
         says="Shield Advanced needed (the account is internet-facing", **ACCOUNT),
    Case("shield-exposure-unread", "shield_advanced_internet_facing", U,
         both(put("shield.subscription", {"state": "INACTIVE"}, SECURITY, None),
              put("cloudfront.distributions", THROTTLED, SECURITY, None)),
         account=SECURITY, region=None,
         says="cannot tell whether the account is internet-facing"),
    Case("shield-active-anyway", "shield_advanced_internet_facing", P,
         put("elbv2.internet_facing", DENIED, SECURITY), account=SECURITY, region=None,
         says="Shield Advanced subscription is active"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bp04_verdicts(case: Case) -> None:
    judge(case)


def test_bp04_unknowns_carry_the_reason() -> None:
    for case in (c for c in CASES if c.status is U):
        for finding in judge(case):
            assert "unavailable" in finding.message, (case.name, finding.message)


def test_tables_cover_every_bp04_check() -> None:
    ids = {c.id for c in all_checks() if c.best_practice == BP}
    assert ids == {
        "guardduty_enabled",
        "guardduty_org_auto_enable",
        "inspector_scans_used_resources",
        "shield_advanced_internet_facing",
    }
    for status in (P, F, U):
        assert covered(CASES, status) == ids, status
    assert covered(CASES, NA) == {
        "inspector_scans_used_resources",
        "shield_advanced_internet_facing",
    }


def test_org_auto_enable_is_not_applicable_outside_an_organization() -> None:
    findings = run(protected(standalone_snapshot(MEMBER)), workload(accounts=[MEMBER]))
    (finding,) = [f for f in findings if f.check == "guardduty_org_auto_enable"]
    assert finding.status is Status.NOT_APPLICABLE
    assert finding.message == "not in an organization"


def test_guardduty_is_judged_in_every_account_and_region() -> None:
    findings = [f for f in run(healthy()) if f.check == "guardduty_enabled"]
    assert sorted((f.account, f.region) for f in findings) == sorted(
        (a, r) for a in (MEMBER, SECURITY) for r in (HOME, OTHER)
    )


def test_unreachable_account_leaves_org_auto_enable_to_the_others() -> None:
    snapshot = healthy()
    mark_unreachable(snapshot, MEMBER, "cannot assume the scan role: AccessDenied")
    statuses = {f.status for f in run(snapshot) if f.check == "guardduty_org_auto_enable"}
    assert statuses == {Status.PASS}


def test_protected_organization_meets_bp04() -> None:
    review = evaluate(healthy(), workload(attestations=every_attestation()), lens(), now=NOW)
    result = next(r for r in review.practices if r.practice.id == BP)
    assert result.status is PracticeStatus.MET
    assert result.assessment == "partly automated"
