"""The remedy table routes each failing finding to the right artifact and claims only what
the artifact closes."""

from __future__ import annotations

from typing import Any

import yaml

from tests.checks.builders import (
    HOME,
    MEMBER,
    MGMT,
    OU_PROD,
    OU_SECURITY,
    OU_WORKLOADS,
    ROOT,
    SECURITY,
    credential_row,
    set_evidence,
)
from tests.checks.builders_detection import OTHER
from tests.fix.broken_org import broken_report, broken_snapshot
from tests.fix.conftest import OPTIONS
from wellsec.checks.frameworks import catalog
from wellsec.checks.runner import all_checks
from wellsec.fix import Artifact, FixOptions, FixPlan, Outcome, ReviewFacts, build_plan, facts
from wellsec.fix.plan import place
from wellsec.fix.remedies import REMEDIES
from wellsec.fix.scp import targets


def artifact(plan: FixPlan, name: str) -> Artifact:
    return next(a for a in plan.artifacts if a.name == name)


def places(a: Artifact, check: str) -> set[tuple[str | None, str | None]]:
    return {(e.account, e.region) for e in a.effects if e.check == check}


def test_the_table_names_registered_checks_once_each_remedy() -> None:
    known = {c.id for c in all_checks()}
    names = [r.name for r in REMEDIES]
    assert len(names) == len(set(names))
    for remedy in REMEDIES:
        for check in remedy.checks:
            assert check in known or check.startswith("attest."), (remedy.name, check)


def test_every_remedy_answers_the_broken_organization(plan: FixPlan) -> None:
    assert [a.name for a in plan.artifacts] == [
        r.name for r in sorted(REMEDIES, key=lambda r: (r.order, r.name))
    ]


def test_a_missing_recorder_gets_a_template_and_a_stopped_one_a_start(plan: FixPlan) -> None:
    recorder = artifact(plan, "config-recorder")
    assert places(recorder, "config_recording_all_resources") == {(MEMBER, HOME)}
    assert places(recorder, "config_global_resources_recorded") == {(MEMBER, None)}
    start = artifact(plan, "config-start-recorders")
    assert [(c.operation, c.account, c.region, dict(c.params)) for c in start.script] == [
        ("StartConfigurationRecorder", MEMBER, OTHER, {"ConfigurationRecorderName": "default"})
    ]


def test_a_missing_detector_gets_a_template_and_a_suspended_one_is_resumed(plan: FixPlan) -> None:
    assert places(artifact(plan, "guardduty-detector"), "guardduty_enabled") == {(MEMBER, HOME)}
    resume = artifact(plan, "guardduty-resume").script
    assert [(c.account, c.region, dict(c.params)) for c in resume] == [
        (MEMBER, OTHER, {"DetectorId": "d-1", "Enable": True})
    ]


def test_security_hub_off_on_or_without_auto_enable(plan: FixPlan) -> None:
    hub = artifact(plan, "securityhub-hub")
    for check in ("securityhub_enabled", "securityhub_fsbp_enabled"):
        assert places(hub, check) == {(MEMBER, HOME)}
    # not applicable while the hub is off; the hub the template enables adopts new controls
    assert places(hub, "securityhub_auto_enable_controls") == {(MEMBER, HOME)}
    fsbp = artifact(plan, "securityhub-fsbp")
    assert places(fsbp, "securityhub_fsbp_enabled") == {
        (MGMT, HOME),
        (MGMT, OTHER),
        (MEMBER, OTHER),
    }
    command = artifact(plan, "securityhub-auto-enable-controls").script
    assert [(c.operation, c.account, c.region) for c in command] == [
        ("UpdateSecurityHubConfiguration", MEMBER, OTHER)
    ]


def test_conformance_packs_only_for_frameworks_that_have_one(plan: FixPlan) -> None:
    packs = artifact(plan, "conformance-packs")
    paths = sorted(path for path, _ in packs.files)
    assert paths == [
        "templates/conformance-pack-cis.yaml",
        "templates/conformance-pack-pci-dss.yaml",
    ]
    claimed = {e.resource.rsplit("/", 1)[-1] for e in packs.closes if e.resource}
    assert claimed == {"cis", "pci-dss"}  # soc2 has no AWS sample pack
    for path, text in packs.files:
        key = path.removeprefix("templates/conformance-pack-").removesuffix(".yaml")
        name = text.split("ConformancePackName: ", 1)[1].split("\n", 1)[0]
        assert catalog().frameworks[key].matches_pack({"name": name}), name


def test_scps_target_the_ous_and_accounts_that_failed(plan: FixPlan) -> None:
    for name in (
        "scp-deny-outside-regions",
        "scp-deny-root-user",
        "scp-protect-detective-controls",
    ):
        scp = artifact(plan, name)
        assert {e.account for e in scp.closes} == {MEMBER, SECURITY}
        body = yaml.safe_load(dict(scp.files)[f"templates/{name}.yaml"])
        # each OU holds only failing accounts: the OUs carry the policy
        assert body["Resources"]["Policy"]["Properties"]["TargetIds"] == [OU_SECURITY, OU_WORKLOADS]
        assert scp.where == ("OU Security (ou-root-security)", "OU Workloads (ou-root-workloads)")
        assert [(c.operation, c.account) for c in scp.deploy] == [("CreateStack", MGMT)]


def test_an_ou_with_a_passing_account_is_never_an_scp_target(review_facts: ReviewFacts) -> None:
    from dataclasses import replace

    bystander = "555555555555"
    wider = replace(review_facts, parents=(*review_facts.parents, (bystander, OU_PROD)))
    assert targets(wider, {MEMBER}) == [MEMBER]
    assert targets(wider, {MEMBER, SECURITY}) == [OU_SECURITY, MEMBER]
    assert targets(wider, {MEMBER, bystander}) == [OU_WORKLOADS]
    assert targets(replace(review_facts, ou_parents=()), {MEMBER, SECURITY}) == [MEMBER, SECURITY]


def _instances(a: Artifact) -> list[dict[str, Any]]:
    return [dict(c.params) for c in a.deploy if c.operation == "CreateStackInstances"]


def test_stack_sets_reach_only_failing_accounts_and_the_management_account_gets_stacks(
    plan: FixPlan,
) -> None:
    health = artifact(plan, "health-event-routing")
    assert places(health, "health_events_routed") == {(MEMBER, HOME)}
    [instances] = _instances(health)
    assert instances["DeploymentTargets"] == {
        "Accounts": [MEMBER],
        "AccountFilterType": "INTERSECTION",
        "OrganizationalUnitIds": ["ou-wkld-prod"],
    }
    assert instances["Regions"] == [HOME]
    fsbp = artifact(plan, "securityhub-fsbp")
    stacks = [(c.account, c.region) for c in fsbp.deploy if c.operation == "CreateStack"]
    assert stacks == [(MGMT, HOME), (MGMT, OTHER)]
    assert all(
        MGMT not in i["DeploymentTargets"]["Accounts"]
        for a in plan.artifacts
        for i in _instances(a)
    )


def test_without_the_snapshot_stack_sets_target_the_root(report: dict[str, Any]) -> None:
    plan = build_plan(facts(report, None), OPTIONS)
    targets = [i["DeploymentTargets"] for a in plan.artifacts for i in _instances(a)]
    assert targets and all(t["OrganizationalUnitIds"] == [ROOT] for t in targets)
    names = {a.name for a in plan.artifacts}
    assert "guardduty-organization" not in names  # needs the administrator's detector ids


def test_centralized_root_access_makes_root_mfa_moot_only_without_root_credentials(
    plan: FixPlan,
) -> None:
    central = artifact(plan, "centralized-root-access")
    assert [c.operation for c in central.script] == [
        "EnableAWSServiceAccess",
        "EnableOrganizationsRootCredentialsManagement",
        "EnableOrganizationsRootSessions",
    ]
    # Enabling the feature deletes no root password: only a member root that has no
    # credentials already needs no MFA afterwards.
    snapshot = broken_snapshot()
    no_mfa = {"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0}
    for account, password in ((MEMBER, "false"), (SECURITY, "true"), (MGMT, "false")):
        set_evidence(snapshot, "iam.account_summary", no_mfa, account_id=account)
        row = credential_row(password_enabled=password)
        set_evidence(snapshot, "iam.root_credentials", row, account_id=account)
    review_facts = facts(broken_report(snapshot), snapshot)
    failing = {r.account for r in review_facts.failing("root_mfa_enabled")}
    assert failing == {MEMBER, SECURITY, MGMT}
    central = artifact(build_plan(review_facts, OPTIONS), "centralized-root-access")
    moot = {(e.check, e.account) for e in central.effects if e.outcome is Outcome.NOT_APPLICABLE}
    assert moot == {("root_mfa_enabled", MEMBER), ("root_hardware_mfa", MEMBER)}


def test_claims_and_leftovers_partition_the_failing_findings(
    plan: FixPlan, review_facts: ReviewFacts
) -> None:
    closes = [e for a in plan.artifacts for e in a.closes]
    left = {(u.check, p) for u in plan.unremedied for p in u.places}
    for row in review_facts.findings:
        covered = any(e.covers(row.check, row.account, row.region, row.resource) for e in closes)
        if row.status.value == "FAIL":
            assert covered != ((row.check, place(review_facts, row)) in left), row
    for effect in closes:
        assert any(
            effect.covers(r.check, r.account, r.region, r.resource) for r in review_facts.findings
        ), effect


def test_without_an_alert_address_alerting_is_left_to_people(review_facts: ReviewFacts) -> None:
    from dataclasses import replace

    no_owner = replace(review_facts, owner="the payments team")
    plan = build_plan(no_owner, FixOptions())
    names = {a.name for a in plan.artifacts}
    assert not names & {"root-activity-alerting", "health-event-routing", "security-contacts"}
    advice = {u.check: u.remediation for u in plan.unremedied}
    assert "--alert-email" in advice["health_events_routed"]
    assert "--contact-phone" in advice["security_contact_registered"]


def test_the_public_api_is_what_the_cli_uses() -> None:
    import wellsec.fix

    assert sorted(wellsec.fix.__all__) == sorted(
        [
            "Artifact", "ArtifactKind", "AwsCommand", "Effect", "FixError", "FixOptions",
            "FixPlan", "Outcome", "ReviewFacts", "Unremedied", "build_plan", "facts",
            "load_report", "plan_files", "write_plan",
        ]
    )  # fmt: skip
    assert all(hasattr(wellsec.fix, name) for name in wellsec.fix.__all__)
