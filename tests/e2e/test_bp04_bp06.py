"""SEC01-BP04 and BP06 end to end: the demo organization's threat detection and automated
validation, read over HTTP from the emulator."""

from __future__ import annotations

import pytest
import yaml

from tests.e2e.conftest import Demo, Run

REGIONS = ("us-east-1", "eu-west-1")
NAMES = ("management", "security-tooling", "prod", "dev")

# (check, account name, region) -> status; every other (account, region) of a listed
# check has the status in DEFAULTS.
EXPECTED = {
    ("guardduty_enabled", "dev", "eu-west-1"): "FAIL",
    ("inspector_scans_used_resources", "prod", "us-east-1"): "FAIL",
    ("inspector_scans_used_resources", "dev", "us-east-1"): "PASS",
    ("config_recording_all_resources", "dev", "eu-west-1"): "FAIL",
    ("config_rules_evaluating", "dev", "eu-west-1"): "FAIL",
    ("ssm_manages_running_instances", "prod", "us-east-1"): "FAIL",
    ("ssm_manages_running_instances", "dev", "us-east-1"): "PASS",
    ("cloudformation_drift_checked", "prod", "us-east-1"): "PASS",
    ("cloudformation_drift_checked", "dev", "us-east-1"): "FAIL",
    ("ecr_image_scanning", "prod", "us-east-1"): "FAIL",
}
DEFAULTS = {
    "guardduty_enabled": "PASS",
    "inspector_scans_used_resources": "NOT_APPLICABLE",
    "config_recording_all_resources": "PASS",
    "config_rules_evaluating": "PASS",
    "ssm_manages_running_instances": "NOT_APPLICABLE",
    "cloudformation_drift_checked": "NOT_APPLICABLE",
    "ecr_image_scanning": "NOT_APPLICABLE",
}
ACCOUNT_EXPECTED = {
    ("shield_advanced_internet_facing", "prod"): "FAIL",
    ("shield_advanced_internet_facing", "dev"): "NOT_APPLICABLE",
    ("shield_advanced_internet_facing", "management"): "NOT_APPLICABLE",
    ("shield_advanced_internet_facing", "security-tooling"): "NOT_APPLICABLE",
    ("config_global_resources_recorded", "dev"): "FAIL",
    ("config_global_resources_recorded", "prod"): "PASS",
    ("config_global_resources_recorded", "management"): "PASS",
    ("config_global_resources_recorded", "security-tooling"): "PASS",
}
ORG_EXPECTED = {
    "guardduty_org_auto_enable": ["PASS", "PASS"],
    "config_org_aggregator": ["PASS"],
    "delivery_pipeline_in_use": ["PASS"],
}
MINE = {"SEC01-BP04", "SEC01-BP06"}


def _regional(run: Run, check: str, account: str, region: str) -> dict[str, object]:
    found = [f for f in run.findings(check, account) if f["region"] == region]
    assert len(found) == 1, (check, account, region, found)
    return found[0]


@pytest.fixture(scope="module")
def review(demo: Demo) -> Run:
    run = demo.review()
    assert run.exit_code == 0, run.stderr
    assert run.report is not None
    return run


def test_regional_verdicts(demo: Demo, review: Run) -> None:
    for check, default in DEFAULTS.items():
        for name in NAMES:
            for region in REGIONS:
                want = EXPECTED.get((check, name, region), default)
                got = _regional(review, check, demo.account(name), region)
                assert got["status"] == want, (check, name, region, got["message"])


def test_account_and_organization_verdicts(demo: Demo, review: Run) -> None:
    for (check, name), want in ACCOUNT_EXPECTED.items():
        assert review.status(check, demo.account(name)) == want, (check, name)
    for check, statuses in ORG_EXPECTED.items():
        assert sorted(f["status"] for f in review.findings(check)) == statuses, check


def test_messages_say_what_was_seen(demo: Demo, review: Run) -> None:
    prod, dev = demo.account("prod"), demo.account("dev")
    ssm = _regional(review, "ssm_manages_running_instances", prod, "us-east-1")
    assert "1/2 running instances (50%) managed by Systems Manager" in str(ssm["message"])
    inspector = _regional(review, "inspector_scans_used_resources", prod, "us-east-1")
    assert "ECR in use (1 repository) but Inspector ECR scanning is DISABLED" in str(
        inspector["message"]
    )
    shield = review.findings("shield_advanced_internet_facing", prod)[0]
    assert "internet-facing load balancer payments-public (us-east-1)" in shield["message"]
    drift = _regional(review, "cloudformation_drift_checked", dev, "us-east-1")
    assert drift["message"] == "drift never checked: dev-sandbox"
    checked = _regional(review, "cloudformation_drift_checked", prod, "us-east-1")
    assert "oldest check 10 days ago" in str(checked["message"])
    gd = _regional(review, "guardduty_enabled", prod, "us-east-1")
    assert "S3 protection on, EKS runtime monitoring on, malware protection on" in str(
        gd["message"]
    )
    auto = review.findings("guardduty_org_auto_enable")
    assert all("security-tooling" in f["message"] and "all accounts" in f["message"] for f in auto)
    globals_ = review.findings("config_global_resources_recorded", demo.account("security-tooling"))
    assert "recorded in 2 regions" in globals_[0]["message"]


def test_practices_are_partly_automated_and_not_met(review: Run) -> None:
    for bp in MINE:
        practice = review.practice(bp)
        assert practice["status"] == "NOT_MET", bp
        assert practice["assessment"] == "partly automated", bp
    mine = [f for f in review.report["findings"] if f["best_practice"] in MINE]  # type: ignore[index]
    assert not [f for f in mine if f["status"] == "UNKNOWN"]


def test_improvement_plan_cites_the_failing_findings(review: Run) -> None:
    assert review.report is not None
    plan = {p["best_practice"]: p for p in review.report["improvement_plan"]}
    for bp in MINE:
        cited = {f["check"] for f in plan[bp]["findings"]}
        failing = {
            f["check"]
            for f in review.report["findings"]
            if f["best_practice"] == bp and f["status"] == "FAIL"
        }
        assert failing and cited == failing, bp
    assert {"guardduty_enabled", "shield_advanced_internet_facing"} <= {
        f["check"] for f in plan["SEC01-BP04"]["findings"]
    }
    assert {"ssm_manages_running_instances", "ecr_image_scanning"} <= {
        f["check"] for f in plan["SEC01-BP06"]["findings"]
    }


def test_one_request_per_account_region_and_operation(demo: Demo) -> None:
    demo.emulator.reset_counters()
    assert demo.review().exit_code == 0
    counts = demo.emulator.requests_by_operation()
    accounts, regions = len(NAMES), len(REGIONS)
    regional = (
        "guardduty:ListDetectors",
        "inspector2:BatchGetAccountStatus",
        "elasticloadbalancing:DescribeLoadBalancers",
        "ec2:DescribeInstances",
        "ecr:DescribeRepositories",
        "ecr:GetRegistryScanningConfiguration",
        "lambda:ListFunctions",
        "config:DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorderStatus",
        "config:DescribeConfigurationAggregators",
        "ssm:DescribeInstanceInformation",
        "cloudformation:DescribeStacks",
        "codepipeline:ListPipelines",
        "codebuild:ListProjects",
    )
    for operation in regional:
        assert counts.get(operation) == accounts * regions, operation
    # one detector per region where GuardDuty is on (7 of 8)
    assert counts["guardduty:GetDetector"] == accounts * regions - 1
    assert counts["guardduty:DescribeOrganizationConfiguration"] == accounts * regions - 1
    for operation in ("shield:GetSubscriptionState", "cloudfront:ListDistributions"):
        assert counts.get(operation) == accounts, operation


def test_denied_reads_make_exactly_their_checks_unknown(demo: Demo) -> None:
    prod = demo.account("prod")
    demo.emulator.deny("guardduty:DescribeOrganizationConfiguration")
    demo.emulator.deny("elasticloadbalancing:DescribeLoadBalancers", account_id=prod)
    demo.emulator.deny("ssm:DescribeInstanceInformation", account_id=prod, region="us-east-1")
    run = demo.review()
    assert run.exit_code in (0, 4), run.stderr  # 4: done, but incomplete
    auto = run.findings("guardduty_org_auto_enable")
    assert {f["status"] for f in auto} == {"UNKNOWN"}
    assert all("AccessDenied" in f["message"] for f in auto)
    shield = run.findings("shield_advanced_internet_facing", prod)[0]
    assert shield["status"] == "UNKNOWN"
    assert "cannot tell whether the account is internet-facing" in shield["message"]
    ssm = _regional(run, "ssm_manages_running_instances", prod, "us-east-1")
    assert ssm["status"] == "UNKNOWN"
    assert "ssm:DescribeInstanceInformation unavailable" in str(ssm["message"])
    # Unaffected: GuardDuty itself, and the dev account's instances.
    assert _regional(run, "guardduty_enabled", prod, "us-east-1")["status"] == "PASS"
    dev_ssm = _regional(run, "ssm_manages_running_instances", demo.account("dev"), "us-east-1")
    assert dev_ssm["status"] == "PASS"
    assert run.report is not None and run.report["complete"] is False


def test_declared_not_internet_facing_needs_no_shield(demo: Demo) -> None:
    data = yaml.safe_load(demo.config.read_text())
    data["internet_facing"] = False
    config = demo.tmp / "not-internet-facing.yaml"
    config.write_text(yaml.safe_dump(data))
    run = demo.cli("review", "--config", str(config), "--endpoint-url", demo.emulator.endpoint_url)
    assert run.exit_code == 0
    shield = run.findings("shield_advanced_internet_facing", demo.account("prod"))[0]
    assert shield["status"] == "NOT_APPLICABLE"
    assert shield["message"] == "the workload is declared not internet-facing"
