"""SEC01-BP06 checks through the runner: PASS, FAIL, UNKNOWN and NOT_APPLICABLE each."""

from __future__ import annotations

import json

import pytest

from tests.checks.builders import (
    HOME,
    MEMBER,
    MGMT,
    NOW,
    SECURITY,
    account,
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
    OTHER,
    Case,
    F,
    P,
    U,
    both,
    config_rule,
    covered,
    everywhere,
    healthy,
    healthy_with_management,
    judge,
    org_aggregator,
    protected,
    put,
    recorder,
    region_of,
    stack,
)
from wellsec.checks.runner import all_checks
from wellsec.evidence import Unavailable
from wellsec.findings import Status
from wellsec.review import PracticeStatus, evaluate
from wellsec.snapshot import Snapshot, from_dict
from wellsec.workload import Attestation, Workload

BP = "SEC01-BP06"
DENIED = unavailable("denied by an SCP", "config:DescribeConfigurationRecorders", "AccessDenied")
THROTTLED = unavailable("throttled past the retry limit", "ssm:DescribeInstanceInformation")
ECR_DENIED = unavailable("denied by an SCP", "ecr:GetRegistryScanningConfiguration", "AccessDenied")
ORGS_DENIED = unavailable("denied by an SCP", "organizations:ListAccounts", "AccessDenied")
BUILD_DENIED = unavailable("denied by an SCP", "codebuild:ListProjects", "AccessDenied")
ORG = {"account": MGMT, "region": None}
ONLY_EC2 = {
    "all_supported": False,
    "strategy": "INCLUSION_BY_RESOURCE_TYPES",
    "resource_types": ["AWS::EC2::Instance"],
}
EXCLUDING = {
    "all_supported": False,
    "strategy": "EXCLUSION_BY_RESOURCE_TYPES",
    "excluded_types": ["AWS::EC2::NetworkInterface", "AWS::EC2::Volume"],
}


def _no_aggregator(snapshot: Snapshot) -> None:
    everywhere("config.aggregators", [])(snapshot)


def _global_everywhere(snapshot: Snapshot) -> None:
    for region in (HOME, OTHER):
        region_of(snapshot, MEMBER, region)["config.recorders"] = [recorder(include_global=True)]


def _attested_ci() -> Workload:
    today = NOW.date()
    return workload(
        attestations=[Attestation(id="pipeline_security_testing", by="dev-lead", date=today)]
    )


CASES = [
    # config_recording_all_resources
    Case("rec-all", "config_recording_all_resources", P,
         says="recorder default records all supported resource types, including global"),
    Case("rec-none", "config_recording_all_resources", F, put("config.recorders", []),
         says=f"AWS Config has no configuration recorder in {HOME}"),
    Case("rec-service-linked-only", "config_recording_all_resources", F,
         put("config.recorders", [recorder(service_principal="securityhub.amazonaws.com")]),
         says="has no configuration recorder"),
    Case("rec-stopped", "config_recording_all_resources", F,
         put("config.recorders", [recorder(recording=False, last_status="FAILURE")]),
         says="recorder default is not recording (last status FAILURE)"),
    Case("rec-some-types", "config_recording_all_resources", F,
         put("config.recorders", [recorder(**ONLY_EC2)]),
         says="records only 1 resource type (AWS::EC2::Instance)"),
    Case("rec-exclusions", "config_recording_all_resources", F,
         put("config.recorders", [recorder(**EXCLUDING)]),
         says="excludes 2 resource types (AWS::EC2::NetworkInterface, AWS::EC2::Volume)"),
    Case("rec-legacy-all", "config_recording_all_resources", P,
         put("config.recorders", [recorder(strategy=None)]), says="records all supported"),
    Case("rec-unread", "config_recording_all_resources", U, put("config.recorders", DENIED),
         says="config:DescribeConfigurationRecorders unavailable (AccessDenied)"),
    Case("rec-status-unread", "config_recording_all_resources", U,
         put("config.recorders", [recorder(recording=DENIED)]),
         says="recorder default status: config:DescribeConfigurationRecorders unavailable"),
    # config_global_resources_recorded
    Case("global-once", "config_global_resources_recorded", P, region=None,
         says=f"global resource types are recorded in {HOME} only"),
    Case("global-twice", "config_global_resources_recorded", P, _global_everywhere, region=None,
         says="recorded in 2 regions (eu-west-1, us-east-1); one region is enough"),
    Case("global-none", "config_global_resources_recorded", F,
         put("config.recorders", [recorder()]), region=None,
         says="no recording region includes global resource types (IAM)"),
    Case("global-not-recording", "config_global_resources_recorded", F,
         put("config.recorders", [recorder(include_global=True, recording=False)]), region=None,
         says="no recording region includes global resource types"),
    Case("global-iam-listed", "config_global_resources_recorded", P,
         put("config.recorders", [recorder(**{**ONLY_EC2, "resource_types": ["AWS::IAM::Role"]})]),
         region=None, says=f"recorded in {HOME} only"),
    Case("global-unread", "config_global_resources_recorded", U,
         put("config.recorders", DENIED), region=None,
         says="no region is known to record global resource types: config:Describe"),
    # config_rules_evaluating
    Case("rules-active", "config_rules_evaluating", P, says="1 active rule evaluating resources"),
    Case("rules-packs", "config_rules_evaluating", P,
         put("config.rules", [config_rule(), config_rule(
             "pack-rule", created_by="config-conforms.amazonaws.com")]),
         says="2 active rules, 1 from conformance packs evaluating resources"),
    Case("rules-none", "config_rules_evaluating", F, put("config.rules", []),
         says=f"no active Config rule in {HOME}"),
    Case("rules-inactive", "config_rules_evaluating", F,
         put("config.rules", [config_rule(state="DELETING")]),
         says="no active Config rule in eu-west-1 (1 rule, state DELETING)"),
    Case("rules-no-recorder", "config_rules_evaluating", F,
         put("config.recorders", [recorder(recording=False)]),
         says="1 active rule, but no recorder is recording: rules cannot evaluate"),
    Case("rules-unread", "config_rules_evaluating", U, put("config.rules", DENIED),
         says="AccessDenied"),
    Case("rules-recorder-unread", "config_rules_evaluating", U, put("config.recorders", DENIED),
         says="1 active rule, but whether a recorder feeds them: config:Describe"),
    # config_org_aggregator
    Case("agg-org", "config_org_aggregator", P,
         says=f"organization aggregator organization in security ({SECURITY}, {HOME}) covers "
         "all regions", **ORG),
    Case("agg-regions", "config_org_aggregator", P,
         put("config.aggregators", [org_aggregator(False, [HOME, OTHER])], SECURITY),
         says=f"covers {HOME}, {OTHER}", **ORG),
    Case("agg-partial", "config_org_aggregator", F,
         put("config.aggregators", [org_aggregator(False, [HOME])], SECURITY),
         says=f"organization aggregators miss scanned regions: organization in security "
         f"({SECURITY}, {HOME}) misses {OTHER}", **ORG),
    Case("agg-account-only", "config_org_aggregator", F,
         both(_no_aggregator, put("config.aggregators", [
             {**org_aggregator(), "organization": False}], SECURITY)),
         build=healthy_with_management,
         says="no AWS Config aggregator collects the organization", **ORG),
    Case("agg-none", "config_org_aggregator", F, _no_aggregator, build=healthy_with_management,
         says="no AWS Config aggregator collects the organization", **ORG),
    Case("agg-management-unscanned", "config_org_aggregator", U, _no_aggregator,
         says=f"may hold an organization aggregator were not scanned: {MGMT}", **ORG),
    Case("agg-unread", "config_org_aggregator", U,
         both(_no_aggregator, put("config.aggregators", DENIED, SECURITY, OTHER)),
         build=healthy_with_management,
         says="no organization aggregator found: config:Describe", **ORG),
    # ssm_manages_running_instances
    Case("ssm-all", "ssm_manages_running_instances", P,
         says="2/2 running instances (100%) managed by Systems Manager"),
    Case("ssm-half", "ssm_manages_running_instances", F,
         put("ssm.instance_information", [{"id": "i-0aaa", "ping_status": "Online"},
                                          {"id": "i-0bbb", "ping_status": "ConnectionLost"}]),
         says="1/2 running instances (50%) managed by Systems Manager, below the required 100%; "
         "not managed: i-0bbb (ConnectionLost)"),
    Case("ssm-none", "ssm_manages_running_instances", F, put("ssm.instance_information", []),
         says="0/2 running instances (0%)"),
    Case("ssm-idle", "ssm_manages_running_instances", NA, region=OTHER,
         says=f"no EC2 instance runs in {OTHER}"),
    Case("ssm-unread", "ssm_manages_running_instances", U,
         put("ssm.instance_information", THROTTLED),
         says="2 running instances: ssm:DescribeInstanceInformation unavailable"),
    Case("ssm-instances-unread", "ssm_manages_running_instances", U,
         put("ec2.running_instances", DENIED, region=OTHER), region=OTHER, says="AccessDenied"),
    # cloudformation_drift_checked
    Case("drift-recent", "cloudformation_drift_checked", P,
         says="drift checked within 180 days for 1 stack (oldest check 5 days ago), none drifted"),
    Case("drift-never", "cloudformation_drift_checked", F,
         put("cloudformation.stacks", [stack(), stack("payments-app", None)]),
         says="drift never checked: payments-app"),
    Case("drift-stale", "cloudformation_drift_checked", F,
         put("cloudformation.stacks", [stack(age_days=200)]),
         says="last checked more than 180 days ago: payments-network (200 days ago)"),
    Case("drift-cadence", "cloudformation_drift_checked", F,
         workload=workload(review_cadence_days=3), says="more than 3 days ago"),
    Case("drift-drifted", "cloudformation_drift_checked", F,
         put("cloudformation.stacks", [stack(drift_status="DRIFTED")]),
         says="drifted from their templates: payments-network"),
    Case("drift-no-stacks", "cloudformation_drift_checked", NA, region=OTHER,
         says=f"no CloudFormation stack in {OTHER}"),
    Case("drift-only-failed", "cloudformation_drift_checked", NA,
         put("cloudformation.stacks", [stack(status="ROLLBACK_COMPLETE", age_days=None)]),
         says="no CloudFormation stack"),
    Case("drift-unread", "cloudformation_drift_checked", U,
         put("cloudformation.stacks", DENIED), says="AccessDenied"),
    # ecr_image_scanning
    Case("ecr-repo", "ecr_image_scanning", P,
         says="1 repository scanned on push (repository scan-on-push settings)"),
    Case("ecr-registry", "ecr_image_scanning", P,
         both(put("ecr.repositories", [{"name": "payments-api", "scan_on_push": False}]),
              put("ecr.registry_scanning", {"scan_type": "ENHANCED", "rules": [
                  {"frequency": "CONTINUOUS_SCAN", "filters": ["payments-*"]}]})),
         says="1 repository scanned on push (registry ENHANCED scanning rules)"),
    Case("ecr-off", "ecr_image_scanning", F,
         put("ecr.repositories", [{"name": "payments-api", "scan_on_push": False}]),
         says="1 repository without scan on push or a matching registry scanning rule: "
         "payments-api"),
    Case("ecr-rule-misses", "ecr_image_scanning", F,
         put("ecr.registry_scanning", {"scan_type": "BASIC", "rules": [
             {"frequency": "SCAN_ON_PUSH", "filters": ["prod-*"]}]}),
         says="without scan on push or a matching registry scanning rule: payments-api"),
    Case("ecr-manual-rule", "ecr_image_scanning", F,
         put("ecr.registry_scanning", {"scan_type": "BASIC", "rules": [
             {"frequency": "MANUAL", "filters": ["*"]}]}),
         says="payments-api"),
    Case("ecr-enhanced-no-rule", "ecr_image_scanning", F,
         put("ecr.registry_scanning", {"scan_type": "ENHANCED", "rules": []}),
         says="payments-api"),
    Case("ecr-no-repos", "ecr_image_scanning", NA, region=OTHER,
         says=f"no ECR repository in {OTHER}"),
    Case("ecr-repos-unread", "ecr_image_scanning", U, put("ecr.repositories", DENIED),
         says="AccessDenied"),
    Case("ecr-registry-unread", "ecr_image_scanning", U,
         put("ecr.registry_scanning", ECR_DENIED),
         says="1 repository: ecr:GetRegistryScanningConfiguration unavailable"),
    # delivery_pipeline_in_use
    Case("pipe-codepipeline", "delivery_pipeline_in_use", P,
         says=f"pipeline payments-deploy (payments-prod, {HOME})", **ORG),
    Case("pipe-codebuild", "delivery_pipeline_in_use", P,
         both(everywhere("codepipeline.pipelines", []),
              put("codebuild.projects", ["payments-build"], SECURITY, OTHER)),
         says=f"project payments-build (security, {OTHER})", **ORG),
    Case("pipe-none", "delivery_pipeline_in_use", F, everywhere("codepipeline.pipelines", []),
         says="no CodePipeline pipeline or CodeBuild project in any account of the workload",
         **ORG),
    Case("pipe-external-ci", "delivery_pipeline_in_use", NA,
         everywhere("codepipeline.pipelines", []), workload=_attested_ci(),
         says="an external CI is covered by the attestation pipeline_security_testing", **ORG),
    Case("pipe-unread", "delivery_pipeline_in_use", U,
         both(everywhere("codepipeline.pipelines", []),
              put("codebuild.projects", BUILD_DENIED, SECURITY)),
         says="no pipeline found: codebuild:ListProjects unavailable (AccessDenied)", **ORG),
    Case("pipe-scope-unknown", "delivery_pipeline_in_use", U,
         both(everywhere("codepipeline.pipelines", []),
              lambda s: s.organization.update(accounts=ORGS_DENIED)),
         says="no pipeline found: organizations:ListAccounts unavailable", **ORG),
    Case("pipe-found-scope-unknown", "delivery_pipeline_in_use", P,
         lambda s: s.organization.update(accounts=ORGS_DENIED), says="payments-deploy", **ORG),
    Case("pipe-unreachable", "delivery_pipeline_in_use", U,
         both(everywhere("codepipeline.pipelines", []),
              lambda s: mark_unreachable(s, SECURITY, "AccessDenied on AssumeRole")),
         says=f"account {SECURITY} could not be scanned: AccessDenied on AssumeRole", **ORG),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bp06_verdicts(case: Case) -> None:
    judge(case)


def test_bp06_unknowns_carry_the_reason() -> None:
    for case in (c for c in CASES if c.status is U):
        for finding in judge(case):
            assert "unavailable" in finding.message, (case.name, finding.message)


BP06_CHECKS = {
    "config_recording_all_resources",
    "config_global_resources_recorded",
    "config_rules_evaluating",
    "config_org_aggregator",
    "ssm_manages_running_instances",
    "cloudformation_drift_checked",
    "ecr_image_scanning",
    "delivery_pipeline_in_use",
}


def test_tables_cover_every_bp06_check() -> None:
    assert {c.id for c in all_checks() if c.best_practice == BP} == BP06_CHECKS
    for status in (P, F, U):
        assert covered(CASES, status) == BP06_CHECKS, status
    assert covered(CASES, NA) == {
        "ssm_manages_running_instances",
        "cloudformation_drift_checked",
        "ecr_image_scanning",
        "delivery_pipeline_in_use",
    }


def test_org_aggregator_is_not_applicable_outside_an_organization() -> None:
    findings = run(protected(standalone_snapshot(MEMBER)), workload(accounts=[MEMBER]))
    (finding,) = [f for f in findings if f.check == "config_org_aggregator"]
    assert finding.status is Status.NOT_APPLICABLE


def test_global_types_are_not_applicable_without_an_enabled_region() -> None:
    snapshot = healthy()
    account(snapshot, SECURITY).regions = {}  # every workload region is opt-in and disabled
    (finding,) = [
        f
        for f in run(snapshot)
        if f.check == "config_global_resources_recorded" and f.account == SECURITY
    ]
    assert finding.status is Status.NOT_APPLICABLE


def test_ssm_threshold_is_every_instance() -> None:
    snapshot = healthy()
    instances = [{"id": f"i-{n}"} for n in range(100)]
    region_of(snapshot, MEMBER)["ec2.running_instances"] = instances
    region_of(snapshot, MEMBER)["ssm.instance_information"] = [
        {"id": i["id"], "ping_status": "Online"} for i in instances[:99]
    ]
    (finding,) = [
        f
        for f in run(snapshot)
        if f.check == "ssm_manages_running_instances" and f.account == MEMBER and f.region == HOME
    ]
    assert finding.status is Status.FAIL
    assert finding.message.startswith("99/100 running instances (99%)")


def test_findings_survive_a_snapshot_round_trip() -> None:
    snapshot = healthy()
    region_of(snapshot, MEMBER)["config.recorders"] = [recorder(recording=DENIED)]
    region_of(snapshot, SECURITY, OTHER)["ssm.instance_information"] = THROTTLED
    again = from_dict(json.loads(json.dumps(snapshot.to_dict())))
    recording = region_of(again, MEMBER)["config.recorders"][0]["recording"]
    assert isinstance(recording, Unavailable)
    assert run(again) == run(snapshot)


def test_protected_organization_meets_bp06() -> None:
    review = evaluate(healthy(), workload(attestations=every_attestation()), lens(), now=NOW)
    result = next(r for r in review.practices if r.practice.id == BP)
    assert result.status is PracticeStatus.MET
    assert result.assessment == "partly automated"
