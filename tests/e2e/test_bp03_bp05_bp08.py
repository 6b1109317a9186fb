"""SEC01-BP03, BP05 and BP08 end to end: `wellsec review` of the emulated demo organization.

The demo's security services (see ``wellsec.emulator.scenario_security``) and its workload
(``compliance: [cis, pci-dss]``) give a known verdict per check, account and region.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Demo, Run
from wellsec.emulator.securityhub_gaps import AccountSecurity, account_security, set_account

US, EU = "us-east-1", "eu-west-1"
ACCOUNTS = ("management", "security-tooling", "prod", "dev")

# (check, account name, region) -> status, for the regional checks with one finding each.
REGIONAL = {
    **{("securityhub_enabled", a, r): "PASS" for a in ACCOUNTS for r in (US, EU)},
    ("securityhub_enabled", "dev", EU): "FAIL",
    **{("securityhub_fsbp_enabled", a, r): "FAIL" for a in ACCOUNTS for r in (US, EU)},
    **{
        ("securityhub_fsbp_enabled", a, r): "PASS"
        for a in ("security-tooling", "prod")
        for r in (US, EU)
    },
    **{("securityhub_auto_enable_controls", a, r): "PASS" for a in ACCOUNTS for r in (US, EU)},
    ("securityhub_auto_enable_controls", "dev", US): "FAIL",
    ("securityhub_auto_enable_controls", "dev", EU): "NOT_APPLICABLE",
    **{("health_events_routed", a, r): "FAIL" for a in ACCOUNTS for r in (US, EU)},
    ("health_events_routed", "management", US): "PASS",
    ("health_events_routed", "management", EU): "PASS",
    ("health_events_routed", "prod", EU): "PASS",
}
# (account name, region) -> framework -> status of control_objectives_validated.
FRAMEWORKS = {
    **{(a, r): {"cis": "FAIL", "pci-dss": "FAIL"} for a in ACCOUNTS for r in (US, EU)},
    **{("security-tooling", r): {"cis": "PASS", "pci-dss": "FAIL"} for r in (US, EU)},
    ("prod", US): {"cis": "PASS", "pci-dss": "PASS"},  # CIS 1.2.0 only here
    ("prod", EU): {"cis": "FAIL", "pci-dss": "PASS"},
}
ACCOUNT_WIDE = {
    ("securityhub_cross_region_aggregation", "security-tooling"): "PASS",
    ("securityhub_cross_region_aggregation", "management"): "FAIL",
    ("securityhub_cross_region_aggregation", "prod"): "FAIL",
    ("securityhub_cross_region_aggregation", "dev"): "FAIL",
    **{("trusted_advisor_security_checks", a): "PASS" for a in ACCOUNTS},
    ("automated_response_configured", "security-tooling"): "PASS",
    ("automated_response_configured", "prod"): "PASS",
    ("automated_response_configured", "management"): "FAIL",
    ("automated_response_configured", "dev"): "FAIL",
}
MY_CHECKS = {
    "control_objectives_validated",
    "securityhub_fsbp_enabled",
    "audit_manager_assessment",
    "securityhub_enabled",
    "securityhub_cross_region_aggregation",
    "health_events_routed",
    "trusted_advisor_security_checks",
    "automated_response_configured",
    "securityhub_auto_enable_controls",
}


@pytest.fixture(scope="module")
def run(demo: Demo) -> Run:
    result = demo.review()
    assert result.report is not None, result.stderr
    return result


def _at(run: Run, check: str, account: str, region: str | None) -> list[dict[str, Any]]:
    return [f for f in run.findings(check, account) if f["region"] == region]


@pytest.mark.parametrize(("check", "name", "region"), sorted(REGIONAL))
def test_regional_verdicts(run: Run, demo: Demo, check: str, name: str, region: str) -> None:
    found = _at(run, check, demo.account(name), region)
    assert len(found) == 1, found
    assert found[0]["status"] == REGIONAL[(check, name, region)], found[0]["message"]


@pytest.mark.parametrize(("name", "region"), sorted(FRAMEWORKS))
def test_declared_frameworks_per_account_and_region(
    run: Run, demo: Demo, name: str, region: str
) -> None:
    found = _at(run, "control_objectives_validated", demo.account(name), region)
    by_framework = {f["resource"].rsplit("/", 1)[-1]: f["status"] for f in found}
    assert by_framework == FRAMEWORKS[(name, region)], [f["message"] for f in found]


@pytest.mark.parametrize(("check", "name"), sorted(ACCOUNT_WIDE))
def test_account_verdicts(run: Run, demo: Demo, check: str, name: str) -> None:
    assert run.status(check, demo.account(name)) == ACCOUNT_WIDE[(check, name)]


def test_messages_say_what_was_seen(run: Run, demo: Demo) -> None:
    prod, dev = demo.account("prod"), demo.account("dev")
    (cis_eu,) = [
        f
        for f in _at(run, "control_objectives_validated", prod, EU)
        if f["resource"].endswith("/cis")
    ]
    assert "no enabled Security Hub standard and no deployed conformance pack" in cis_eu["message"]
    (pci_dev,) = [
        f
        for f in _at(run, "control_objectives_validated", dev, US)
        if f["resource"].endswith("/pci-dss")
    ]
    assert "conformance pack pci-dss-dev is CREATE_FAILED" in pci_dev["message"]
    (response,) = run.findings("automated_response_configured", prod)
    assert "Config rule restricted-ssh in us-east-1" in response["message"]
    (mgmt_response,) = run.findings("automated_response_configured", demo.account("management"))
    assert "guardduty-findings has no target" in mgmt_response["message"]
    (aggregated,) = run.findings(
        "securityhub_cross_region_aggregation", demo.account("security-tooling")
    )
    assert "aggregated in us-east-1 (ALL_REGIONS)" in aggregated["message"]


def test_audit_manager_is_informational_and_passes(run: Run) -> None:
    (finding,) = run.findings("audit_manager_assessment")
    assert finding["status"] == "PASS"
    assert finding["severity"] == "informational"
    assert "Payments PCI DSS v4.0" in finding["message"]


def test_no_unknown_among_my_checks(run: Run) -> None:
    assert run.report is not None
    unknown = [
        f for f in run.report["findings"] if f["check"] in MY_CHECKS and f["status"] == "UNKNOWN"
    ]
    assert unknown == []


@pytest.mark.parametrize("bp", ["SEC01-BP03", "SEC01-BP05", "SEC01-BP08"])
def test_practices_are_partly_automated_and_not_met(run: Run, bp: str) -> None:
    practice = run.practice(bp)
    assert practice["assessment"] == "partly automated"
    assert practice["status"] == "NOT_MET"


def test_improvement_plan_cites_the_failing_findings(run: Run) -> None:
    assert run.report is not None
    plan = {p["best_practice"]: p for p in run.report["improvement_plan"]}
    cited = {
        bp: {f["check"] for f in plan[bp]["findings"]}
        for bp in ("SEC01-BP03", "SEC01-BP05", "SEC01-BP08")
    }
    assert {"control_objectives_validated", "securityhub_fsbp_enabled"} <= cited["SEC01-BP03"]
    assert {
        "securityhub_enabled",
        "securityhub_cross_region_aggregation",
        "health_events_routed",
    } <= cited["SEC01-BP05"]
    assert {"automated_response_configured", "securityhub_auto_enable_controls"} <= cited[
        "SEC01-BP08"
    ]
    for entry in plan.values():
        assert all(f["status"] in {"FAIL", "UNKNOWN"} for f in entry["findings"])


def test_basic_support_is_a_known_state_with_the_reason(demo: Demo) -> None:
    # SubscriptionRequiredException says what plan the account has: not missing evidence.
    dev = demo.account("dev")
    before = account_security(demo.emulator.state, dev)
    set_account(demo.emulator.state, dev, AccountSecurity())  # Basic support
    try:
        run = demo.review()
    finally:
        set_account(demo.emulator.state, dev, before)
    assert run.report is not None
    (finding,) = run.findings("trusted_advisor_security_checks", dev)
    assert finding["status"] == "NOT_APPLICABLE"
    assert "SubscriptionRequiredException" in finding["message"]
    assert "Business, Enterprise On-Ramp or Enterprise Support" in finding["message"]
    assert "Security Hub" in finding["message"]
    assert run.status("trusted_advisor_security_checks", demo.account("prod")) == "PASS"
    assert not [f for f in run.report["findings"] if f["status"] == "UNKNOWN"]


def test_denied_security_hub_is_unknown_never_pass(demo: Demo) -> None:
    prod = demo.account("prod")
    demo.emulator.deny("securityhub:DescribeHub", account_id=prod)
    demo.emulator.deny("securityhub:GetEnabledStandards", account_id=prod, region=US)
    run = demo.review()
    assert run.report is not None
    for check in ("securityhub_enabled", "securityhub_auto_enable_controls"):
        for region in (US, EU):
            (finding,) = _at(run, check, prod, region)
            assert finding["status"] == "UNKNOWN", finding
            assert "AccessDenied" in finding["message"]
    (fsbp_us,) = _at(run, "securityhub_fsbp_enabled", prod, US)
    assert fsbp_us["status"] == "UNKNOWN"
    (fsbp_eu,) = _at(run, "securityhub_fsbp_enabled", prod, EU)
    assert fsbp_eu["status"] == "PASS"  # the standards list is still readable there
    by_framework = {
        f["resource"].rsplit("/", 1)[-1]: f["status"]
        for f in _at(run, "control_objectives_validated", prod, US)
    }
    assert by_framework == {"cis": "UNKNOWN", "pci-dss": "PASS"}  # the PCI pack still shows
