"""`wellsec review` end to end over HTTP against the emulated demo organization."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import DONE, Demo

# The demo organization's known state: (check, account name) -> status.
EXPECTED = {
    ("root_mfa_enabled", "management"): "PASS",
    ("root_mfa_enabled", "security-tooling"): "PASS",
    ("root_mfa_enabled", "prod"): "PASS",
    ("root_mfa_enabled", "dev"): "FAIL",
    ("root_hardware_mfa", "management"): "PASS",
    ("root_hardware_mfa", "security-tooling"): "FAIL",
    ("root_no_access_keys", "prod"): "FAIL",
    ("root_no_access_keys", "dev"): "PASS",
    ("root_not_recently_used", "management"): "FAIL",
    ("root_not_recently_used", "prod"): "FAIL",
    ("root_not_recently_used", "security-tooling"): "PASS",
    ("root_not_recently_used", "dev"): "PASS",
    ("security_contact_registered", "prod"): "FAIL",
    ("security_contact_registered", "dev"): "PASS",
    ("cloudtrail_multi_region_logging", "dev"): "FAIL",
    ("cloudtrail_multi_region_logging", "prod"): "PASS",
    ("root_usage_alerting", "management"): "PASS",
    ("root_usage_alerting", "security-tooling"): "PASS",
    ("root_usage_alerting", "prod"): "PASS",
    ("root_usage_alerting", "dev"): "FAIL",
    ("no_unapproved_opt_in_regions", "dev"): "FAIL",
    ("no_unapproved_opt_in_regions", "prod"): "PASS",
    ("accounts_in_ous", "dev"): "FAIL",
    ("accounts_in_ous", "prod"): "PASS",
    ("accounts_in_ous", "management"): "NOT_APPLICABLE",
    ("custom_scp_applied", "dev"): "FAIL",
    ("custom_scp_applied", "security-tooling"): "PASS",
    ("regions_restricted_by_scp", "prod"): "PASS",
    ("regions_restricted_by_scp", "security-tooling"): "FAIL",
    ("scp_denies_root_actions", "prod"): "PASS",
    ("scp_denies_root_actions", "dev"): "FAIL",
    ("scp_denies_leave_organization", "security-tooling"): "PASS",
    ("scp_denies_leave_organization", "dev"): "FAIL",
}
ORG_EXPECTED = {
    "org_all_features": ["PASS"],
    "org_scps_enabled": ["PASS"],
    "centralized_root_access": ["FAIL"],
    "landing_zone_or_stacksets": ["PASS"],
    "security_services_delegated": ["FAIL", "PASS"],
}


def test_review_finds_exactly_the_known_gaps(demo: Demo) -> None:
    run = demo.review("--regions", "us-east-1,eu-west-1")
    assert run.exit_code in DONE, run.stderr
    assert run.report is not None
    for (check, name), status in EXPECTED.items():
        assert run.status(check, demo.account(name)) == status, (check, name)
    for check, statuses in ORG_EXPECTED.items():
        assert sorted(f["status"] for f in run.findings(check)) == statuses, check
    assert run.practice("SEC01-BP01")["status"] == "NOT_MET"
    assert run.practice("SEC01-BP02")["status"] == "NOT_MET"
    assert run.practice("SEC01-BP03")["status"] == "NOT_MET"  # CIS not validated everywhere
    assert run.practice("SEC01-BP07")["status"] == "NOT_MET"  # incomplete threat model
    assert run.practice("SEC01-BP05")["status"] == "NOT_MET"  # Security Hub off in dev
    assert run.report["question"]["risk"] == "HIGH"
    # BP01/BP02 evidence is all readable in the demo: none of their findings is UNKNOWN.
    bp0102 = [
        f for f in run.report["findings"] if f["best_practice"] in {"SEC01-BP01", "SEC01-BP02"}
    ]
    assert bp0102 and all(f["status"] != "UNKNOWN" for f in bp0102)


def test_json_report_contract(demo: Demo) -> None:
    run = demo.review()
    report = run.report
    assert report is not None
    assert report["schema"] == "wellsec.review/1"
    assert report["lens"] == {"id": "sec01", "version": "2022", "name": "wellsec SEC 1 (2022)"}
    assert report["question"]["id"] == "securely-operate"
    assert report["question"]["risk"] in {"HIGH", "MEDIUM", "NONE", "UNANSWERED", "NOT_APPLICABLE"}
    assert [bp["id"] for bp in report["best_practices"]] == [f"SEC01-BP0{i}" for i in range(1, 9)]
    for bp in report["best_practices"]:
        assert set(bp) >= {"id", "choice_id", "title", "status", "risk_if_missing", "accounts"}
        assert set(bp["accounts"]) == set(demo.org.accounts.values())
    for finding in report["findings"]:
        assert set(finding) >= {
            "check",
            "best_practice",
            "status",
            "account",
            "region",
            "resource",
            "message",
        }
    plan = report["improvement_plan"]
    ranks = {"HIGH": 0, "MEDIUM": 1, "LOW": 2}
    assert [ranks[p["risk_if_missing"]] for p in plan] == sorted(
        ranks[p["risk_if_missing"]] for p in plan
    )
    bp02 = next(p for p in plan if p["best_practice"] == "SEC01-BP02")
    assert bp02["items"] and bp02["items"][0]["resources"]
    assert all(f["status"] in {"FAIL", "UNKNOWN"} for f in bp02["findings"])
    assert any(f["check"] == "root_mfa_enabled" for f in bp02["findings"])
    scan = report["scan"]
    assert sorted(a["id"] for a in scan["accounts"]) == sorted(demo.org.accounts.values())
    assert all(a["status"] == "SCANNED" for a in scan["accounts"])
    assert scan["regions"] == ["us-east-1", "eu-west-1"]
    assert scan["api_calls"] > 0
    assert scan["duration_seconds"] > 0


@pytest.mark.parametrize(("level", "code"), [("high", 1), ("medium", 1)])
def test_fail_on_gates_on_risk(demo: Demo, level: str, code: int) -> None:
    assert demo.review("--fail-on", level).exit_code == code


def test_access_denied_makes_exactly_the_dependent_checks_unknown(demo: Demo) -> None:
    prod = demo.account("prod")
    demo.emulator.deny("iam:GetAccountSummary", account_id=prod)
    demo.emulator.deny("organizations:ListPolicies")
    run = demo.review()
    assert run.exit_code == 4  # done, but incomplete
    assert run.report is not None
    mfa = run.findings("root_mfa_enabled", prod)[0]
    assert mfa["status"] == "UNKNOWN"
    assert "AccessDenied" in mfa["message"]
    assert run.status("root_hardware_mfa", prod) == "UNKNOWN"
    # The credential report still shows prod's active root key: FAIL, never PASS.
    assert run.status("root_no_access_keys", prod) == "FAIL"
    # Other accounts are unaffected.
    assert run.status("root_mfa_enabled", demo.account("management")) == "PASS"
    for check in ("custom_scp_applied", "regions_restricted_by_scp", "scp_denies_root_actions"):
        for name in ("prod", "dev", "security-tooling"):
            assert run.status(check, demo.account(name)) == "UNKNOWN", (check, name)
    assert run.report["complete"] is False
    assert "incomplete" in run.stderr
    assert not any(
        f["status"] == "PASS" and "unavailable" in f["message"] for f in run.report["findings"]
    )


def test_unreachable_account_is_named_and_the_scan_finishes(demo: Demo) -> None:
    dev = demo.account("dev")
    demo.emulator.block_assume_role(dev)
    run = demo.review()
    assert run.exit_code == 4
    assert run.report is not None
    entry = next(a for a in run.report["scan"]["accounts"] if a["id"] == dev)
    assert entry["status"] == "UNREACHABLE"
    assert "OrganizationAccountAccessRole" in entry["reason"]
    dev_findings = [f for f in run.report["findings"] if f["account"] == dev]
    assert dev_findings and all(f["status"] == "UNKNOWN" for f in dev_findings)
    assert run.status("root_mfa_enabled", demo.account("prod")) == "PASS"
    assert any(dev in note for note in run.report["notes"])


def test_scan_then_evaluate_offline_gives_the_same_review(demo: Demo) -> None:
    snap = demo.tmp / "snap.json"
    scanned = demo.cli(
        "scan",
        "--config",
        str(demo.config),
        "--endpoint-url",
        demo.emulator.endpoint_url,
        "-o",
        str(snap),
        json_out=False,
    )
    assert scanned.exit_code in DONE, scanned.stderr
    demo.emulator.reset_counters()
    offline = demo.cli("evaluate", str(snap), "--config", str(demo.config))
    assert offline.exit_code in DONE
    assert demo.emulator.request_count == 0  # evaluate never calls AWS
    online = demo.review("--no-store")  # offline evaluate consults no review history either
    assert offline.report is not None and online.report is not None
    key = ("check", "account", "region", "status", "resource")
    assert sorted(tuple(f[k] or "" for k in key) for f in offline.report["findings"]) == sorted(
        tuple(f[k] or "" for k in key) for f in online.report["findings"]
    )


def test_scan_is_read_only_and_within_the_generated_policy(demo: Demo) -> None:
    policy = demo.cli("iam-policy", json_out=False)
    assert policy.exit_code == 0
    allowed = set(json.loads(policy.stdout)["Statement"][0]["Action"])
    demo.emulator.reset_counters()
    assert demo.review().exit_code in DONE
    seen = demo.emulator.operations_seen()
    assert seen, "the scan sent no request"
    assert seen <= allowed, seen - allowed
    reads = ("Describe", "Get", "List", "BatchGet", "GenerateCredentialReport", "AssumeRole")
    for operation in seen:
        assert operation.split(":", 1)[1].startswith(reads), operation


def test_text_and_markdown_reports(demo: Demo) -> None:
    run = demo.cli(
        "review",
        "--config",
        str(demo.config),
        "--endpoint-url",
        demo.emulator.endpoint_url,
        json_out=False,
    )
    assert run.exit_code in DONE
    assert "Risk:" in run.stdout and "SEC01-BP02" in run.stdout and "Improvement plan" in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 100
    md = demo.cli(
        "review",
        "--config",
        str(demo.config),
        "--endpoint-url",
        demo.emulator.endpoint_url,
        "-f",
        "markdown",
        json_out=False,
    )
    assert md.stdout.startswith("# SEC 1")
    assert "| SEC01-BP01 |" in md.stdout
