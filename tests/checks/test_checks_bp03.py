"""SEC01-BP03 checks through the runner: PASS, FAIL, UNKNOWN and NOT_APPLICABLE each."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.builders import (
    HOME,
    MEMBER,
    MGMT,
    SECURITY,
    OrgBuilder,
    account,
    mark_unreachable,
    run,
    set_unavailable,
)
from tests.checks.builders_security import (
    CIS_12_ARN,
    CIS_ARN,
    FSBP_ARN,
    PCI_ARN,
    Case,
    compliant,
    covered,
    judge,
    pack,
    region_of,
    secured,
    standard,
    verdicts,
)
from wellsec.checks.frameworks import catalog, standard_path
from wellsec.checks.runner import all_checks
from wellsec.evidence import Unavailable
from wellsec.findings import Status
from wellsec.review import PracticeStatus, aggregate
from wellsec.snapshot import Snapshot

BP = "SEC01-BP03"
OTHER = "us-east-1"  # the scanned region that is not HOME
P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE


def _standards(region: str, *arns_status: tuple[str, str]) -> Any:
    def change(snapshot: Snapshot) -> None:
        region_of(snapshot, MEMBER, region)["securityhub.standards"] = [
            standard(arn, region, status) for arn, status in arns_status
        ]

    return change


def _packs(region: str, *packs: dict[str, Any]) -> Any:
    def change(snapshot: Snapshot) -> None:
        region_of(snapshot, MEMBER, region)["config.conformance_pack_deployments"] = list(packs)

    return change


def _both(*changes: Any) -> Any:
    def change(snapshot: Snapshot) -> None:
        for each in changes:
            each(snapshot)

    return change


def _throttled(key: str, region: str | None = HOME, account_id: str = MEMBER) -> Any:
    def change(snapshot: Snapshot) -> None:
        set_unavailable(
            snapshot,
            key,
            account_id=account_id,
            region=region,
            reason=f"{key} throttled (test)",
            operation="svc:ReadIt",
            code="ThrottlingException",
        )

    return change


def _hub_off(region: str) -> Any:
    def change(snapshot: Snapshot) -> None:
        region_of(snapshot, MEMBER, region)["securityhub.hub"] = {"enabled": False}
        region_of(snapshot, MEMBER, region)["securityhub.standards"] = []

    return change


def _no_assessments(snapshot: Snapshot) -> None:
    for acct in snapshot.accounts:
        for evidence in acct.regions.values():
            evidence["auditmanager.assessments"] = {"status": "INACTIVE", "assessments": []}


CO = "control_objectives_validated"
FSBP = "securityhub_fsbp_enabled"
AUDIT = "audit_manager_assessment"
AM = "auditmanager.amazonaws.com"

CASES = [
    # --- control objectives -----------------------------------------------------------------
    Case("standards and pack", CO, P, says="pci-dss (PCI DSS) validated by Security Hub"),
    Case(
        "pack alone",
        CO,
        P,
        _standards(HOME, (CIS_ARN, "READY")),
        "pci-dss (PCI DSS) validated by conformance pack Operational-Best-Practices-for-PCI-DSS",
        region=HOME,
    ),
    Case(
        "organization pack",
        CO,
        P,
        _both(
            _standards(HOME, (CIS_ARN, "READY")),
            _packs(HOME, pack("OrgConformsPack-pci-dss-x1y2")),
        ),
        "conformance pack OrgConformsPack-pci-dss-x1y2",
        region=HOME,
    ),
    Case(
        "pack from SSM document",
        CO,
        P,
        _both(
            _standards(HOME, (CIS_ARN, "READY")),
            _packs(HOME, pack("payments", document="Operational-Best-Practices-for-PCI-DSS")),
        ),
        "conformance pack payments",
        region=HOME,
    ),
    Case(
        "CIS 1.2.0 global ARN, INCOMPLETE",
        CO,
        P,
        _standards(HOME, (CIS_12_ARN, "INCOMPLETE")),
        "cis (CIS AWS Foundations Benchmark) validated by Security Hub standard "
        "ruleset/cis-aws-foundations-benchmark/v/1.2.0 (INCOMPLETE)",
        region=HOME,
    ),
    Case(
        "alias",
        CO,
        P,
        says="pci (PCI DSS) validated",
        region=HOME,
        workload=compliant(compliance=["pci"]),
    ),
    Case(
        "CIS missing in one region",
        CO,
        F,
        _both(_standards(HOME, (PCI_ARN, "READY")), _packs(HOME)),
        f"cis (CIS AWS Foundations Benchmark) is not validated in {HOME}: no enabled Security "
        "Hub standard and no deployed conformance pack",
        region=HOME,
        workload=compliant(compliance=["cis"]),
    ),
    Case(
        "failed standard and pack",
        CO,
        F,
        _both(
            _standards(HOME, (PCI_ARN, "FAILED")),
            _packs(HOME, pack("Operational-Best-Practices-for-PCI-DSS", "CREATE_FAILED")),
        ),
        "standard standards/pci-dss/v/4.0.1 is FAILED; conformance pack "
        "Operational-Best-Practices-for-PCI-DSS is CREATE_FAILED",
        region=HOME,
        workload=compliant(compliance=["pci-dss"]),
    ),
    Case(
        "soc2 has no standard",
        CO,
        F,
        says="soc2 (SOC 2) is not validated in eu-west-1: Security Hub has no standard for it "
        "and no deployed conformance pack",
        region=HOME,
        workload=compliant(compliance=["soc2"]),
    ),
    Case(
        "standards unreadable, no pack",
        CO,
        U,
        _both(_throttled("securityhub.standards"), _packs(HOME)),
        "cis (CIS AWS Foundations Benchmark): svc:ReadIt unavailable (ThrottlingException): "
        "securityhub.standards throttled (test)",
        region=HOME,
        workload=compliant(compliance=["cis"]),
    ),
    Case(
        "pack state unreadable",
        CO,
        U,
        _both(
            _standards(HOME),
            _packs(
                HOME,
                pack(
                    "Operational-Best-Practices-for-PCI-DSS",
                    Unavailable("status denied (test)", "config:DescribeConformancePackStatus"),
                ),
            ),
        ),
        "config:DescribeConformancePackStatus unavailable: status denied (test)",
        region=HOME,
        workload=compliant(compliance=["pci-dss"]),
    ),
    Case(
        "framework wellsec does not know",
        CO,
        U,
        says="acme-internal: wellsec knows no Security Hub standard or conformance pack",
        region=HOME,
        workload=compliant(compliance=["acme-internal"]),
    ),
    Case(
        "nothing declared",
        CO,
        NA,
        says="no compliance framework is declared for the workload: declare them under "
        "compliance: in wellsec.yaml",
        workload=compliant(compliance=[]),
    ),
    # --- FSBP -------------------------------------------------------------------------------
    Case("FSBP ready", FSBP, P, says="FSBP is enabled (READY)"),
    Case("hub off", FSBP, F, _hub_off(HOME), f"Security Hub is not enabled in {HOME}", region=HOME),
    Case(
        "FSBP absent",
        FSBP,
        F,
        _standards(HOME, (CIS_ARN, "READY")),
        "FSBP is not enabled",
        region=HOME,
    ),
    Case(
        "FSBP failed",
        FSBP,
        F,
        _standards(HOME, (FSBP_ARN, "FAILED")),
        "FSBP is FAILED, not running",
        region=HOME,
    ),
    Case(
        "standards unreadable",
        FSBP,
        U,
        _throttled("securityhub.standards"),
        "svc:ReadIt unavailable (ThrottlingException): securityhub.standards throttled (test)",
        region=HOME,
    ),
    # --- Audit Manager (organization) -------------------------------------------------------
    Case(
        "assessment active",
        AUDIT,
        P,
        says=f"pci-dss: assessment 'Payments PCI DSS' is active in {SECURITY}/{HOME}",
        account=MGMT,
    ),
    Case(
        "no assessment",
        AUDIT,
        F,
        _no_assessments,
        "pci-dss (PCI DSS): no active Audit Manager assessment",
        account=MGMT,
    ),
    Case(
        "assessments unreadable",
        AUDIT,
        U,
        _both(_no_assessments, _throttled("auditmanager.assessments", OTHER, SECURITY)),
        "pci-dss: no active assessment seen: svc:ReadIt unavailable (ThrottlingException)",
        account=MGMT,
    ),
    Case(
        "unreachable account",
        AUDIT,
        U,
        _both(_no_assessments, lambda s: mark_unreachable(s, MEMBER, "AssumeRole denied")),
        f"account {MEMBER} could not be scanned: AssumeRole denied",
        account=MGMT,
    ),
    Case(
        "account list unreadable",
        AUDIT,
        U,
        _both(
            _no_assessments,
            lambda s: s.organization.update(scan_note="account list unavailable (test)"),
        ),
        "organizations:ListAccounts unavailable: account list unavailable (test)",
        account=MGMT,
    ),
    Case(
        "Audit Manager administrator not scanned",
        AUDIT,
        U,
        _both(
            _no_assessments,
            lambda s: s.organization["delegated_administrators"].append(
                {"account_id": "444444444444", "name": "audit", "services": [AM]}
            ),
        ),
        "Audit Manager administrator 444444444444 was not scanned",
        account=MGMT,
    ),
    Case(
        "no audited framework",
        AUDIT,
        NA,
        says="no declared compliance framework calls for audit evidence",
        account=MGMT,
        workload=compliant(compliance=["cis"]),
    ),
    Case(
        "nothing declared",
        AUDIT,
        NA,
        says="no compliance framework is declared for the workload",
        account=MGMT,
        workload=compliant(compliance=[]),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.check}-{c.name}")
def test_check_verdicts(case: Case) -> None:
    judge(case)


def test_tables_cover_every_bp03_check() -> None:
    mine = {c.id for c in all_checks() if c.best_practice == BP}
    assert mine == {CO, FSBP, AUDIT}
    for status in (P, F, U):
        assert covered(CASES, status) == mine, status
    assert covered(CASES, NA) == {CO, AUDIT}  # FSBP always applies


def test_each_framework_gets_its_own_finding_per_region() -> None:
    snapshot = secured(OrgBuilder.standard().build())
    _standards(HOME, (PCI_ARN, "READY"))(snapshot)
    _packs(HOME)(snapshot)
    found = verdicts(snapshot, CO, MEMBER, HOME)
    by_resource = {f.resource: f.status for f in found}
    assert by_resource == {
        f"arn:aws:::{MEMBER}/{HOME}/framework/cis": F,
        f"arn:aws:::{MEMBER}/{HOME}/framework/pci-dss": P,
    }
    assert statuses_of(verdicts(snapshot, CO, MEMBER, OTHER)) == {P}


def statuses_of(findings: list[Any]) -> set[Status]:
    return {f.status for f in findings}


def test_missing_evidence_is_unknown_not_pass() -> None:
    snapshot = OrgBuilder.standard().build()  # no Security Hub or Config evidence at all
    found = verdicts(snapshot, CO, MEMBER)
    assert statuses_of(found) == {U}
    assert all("was not collected" in f.message for f in found)
    assert statuses_of(verdicts(snapshot, FSBP, MEMBER)) == {U}


def test_informational_audit_finding_never_decides_the_practice() -> None:
    snapshot = secured(OrgBuilder.standard().build())
    _no_assessments(snapshot)
    findings = [f for f in run(snapshot, compliant()) if f.best_practice == BP]
    assert any(f.check == AUDIT and f.status is F for f in findings)
    automated = [f for f in findings if not f.check.startswith("attest.")]
    assert aggregate(automated) is PracticeStatus.MET


def test_unreachable_account_is_unknown_for_regional_checks() -> None:
    snapshot = secured(OrgBuilder.standard().build())
    mark_unreachable(snapshot, MEMBER, "cannot assume the role")
    for check in (CO, FSBP):
        (finding,) = verdicts(snapshot, check, MEMBER)
        assert finding.status is U
        assert "cannot assume the role" in finding.message
    assert statuses_of(verdicts(snapshot, CO, SECURITY)) == {P}


# --- the framework mapping ------------------------------------------------------------------


def test_mapping_knows_the_common_frameworks() -> None:
    frameworks = catalog().frameworks
    for key in ("cis", "pci-dss", "nist-800-53", "soc2", "iso-27001", "fsbp", "hipaa"):
        assert key in frameworks, key
    assert frameworks["pci-dss"].standards == ("standards/pci-dss",)
    assert frameworks["cis"].standards == ("standards/cis-aws-foundations-benchmark",)


def test_mapping_says_where_security_hub_has_no_standard() -> None:
    frameworks = catalog().frameworks
    for key in ("soc2", "iso-27001", "hipaa"):
        assert frameworks[key].standards == (), key
        assert frameworks[key].pack_contains, key  # a conformance pack is the way
        assert "No Security Hub standard" in frameworks[key].note, key
    assert frameworks["fsbp"].pack_contains == ()


def test_every_alias_names_a_framework() -> None:
    known = catalog()
    for alias, key in known.aliases.items():
        assert key in known.frameworks, alias
        assert known.get(alias) is known.frameworks[key]


@pytest.mark.parametrize(
    ("arn", "path"),
    [
        (CIS_12_ARN, "standards/cis-aws-foundations-benchmark"),
        (CIS_ARN.format(region=HOME), "standards/cis-aws-foundations-benchmark"),
        ("arn:aws:securityhub:us-east-1::standards/pci-dss/v/9.9.9", "standards/pci-dss"),
    ],
)
def test_standard_paths_ignore_region_and_version(arn: str, path: str) -> None:
    assert standard_path(arn) == path


def test_account_evidence_is_untouched_by_checks() -> None:
    snapshot = secured(OrgBuilder.standard().build())
    before = dict(account(snapshot, MEMBER).regions[HOME])
    run(snapshot, compliant())
    assert account(snapshot, MEMBER).regions[HOME] == before
