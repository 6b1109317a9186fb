"""SEC01-BP01 checks: organization, OUs, SCP inheritance, delegation, baselines."""

from __future__ import annotations

import pytest

from tests.checks.builders import (
    GUARDRAILS,
    MEMBER,
    MGMT,
    OU_PROD,
    OU_SECURITY,
    OU_WORKLOADS,
    OUTSIDER,
    ROOT,
    SECURITY,
    OrgBuilder,
    call,
    only,
    run,
    set_evidence,
    set_unavailable,
    standalone_snapshot,
    workload,
)
from wellsec.evidence import Unavailable
from wellsec.findings import Status
from wellsec.snapshot import Snapshot

SCP_CHECKS = [
    "custom_scp_applied",
    "regions_restricted_by_scp",
    "scp_denies_root_actions",
    "scp_denies_leave_organization",
]
GD, SH = "guardduty.amazonaws.com", "securityhub.amazonaws.com"

# --- organization ---------------------------------------------------------------------------


def test_org_all_features_passes_with_the_org_id_and_arn(snapshot: Snapshot) -> None:
    (verdict,) = call("org_all_features", snapshot)
    assert verdict.status is Status.PASS
    assert "o-example123" in verdict.message
    assert verdict.resource.endswith(":organization/o-example123")


@pytest.mark.parametrize(
    "check_id", ["org_all_features", "org_scps_enabled", "security_services_delegated"]
)
def test_org_checks_fail_outside_an_organization(check_id: str) -> None:
    verdicts = call(check_id, standalone_snapshot())
    assert verdicts
    assert {v.status for v in verdicts} == {Status.FAIL}
    assert all("not in an organization" in v.message for v in verdicts)


def test_org_scps_enabled_judges_each_root_by_its_own_policy_types(snapshot: Snapshot) -> None:
    snapshot.organization["roots"][0]["policy_types"] = [
        {"type": "TAG_POLICY", "status": "ENABLED"},
        {"type": "SERVICE_CONTROL_POLICY", "status": "PENDING_DISABLE"},
    ]
    (verdict,) = call("org_scps_enabled", snapshot)
    assert (verdict.status, verdict.resource) == (Status.FAIL, ROOT)


def test_org_scps_enabled_is_unknown_when_the_organization_is_unreadable(
    snapshot: Snapshot,
) -> None:
    missing = set_unavailable(snapshot, "organization", reason="DescribeOrganization denied")
    (verdict,) = call("org_scps_enabled", snapshot)
    assert verdict.status is Status.UNKNOWN
    assert missing.reason in verdict.message


# --- SCP inheritance ------------------------------------------------------------------------


@pytest.mark.parametrize("check_id", SCP_CHECKS)
@pytest.mark.parametrize(
    ("target", "account_id", "expected"),
    [
        pytest.param(ROOT, MEMBER, Status.PASS, id="root-applies-to-nested-ou-account"),
        pytest.param(OU_WORKLOADS, MEMBER, Status.PASS, id="grandparent-ou-applies"),
        pytest.param(OU_PROD, MEMBER, Status.PASS, id="parent-ou-applies"),
        pytest.param(MEMBER, MEMBER, Status.PASS, id="attached-to-the-account"),
        pytest.param(OU_SECURITY, MEMBER, Status.FAIL, id="sibling-ou-does-not-apply"),
        pytest.param(OU_PROD, SECURITY, Status.FAIL, id="other-branch-does-not-apply"),
        pytest.param(SECURITY, MEMBER, Status.FAIL, id="another-account-does-not-apply"),
    ],
)
def test_scp_applies_through_the_root_and_every_ou_above_the_account(
    check_id: str, target: str, account_id: str, expected: Status
) -> None:
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.attach_scp("Guardrails", GUARDRAILS, target)
    (verdict,) = call(check_id, org.build(), account_id)
    assert verdict.status is expected, verdict.message


@pytest.mark.parametrize("check_id", SCP_CHECKS)
def test_scp_on_an_inner_ou_does_not_reach_accounts_of_the_outer_ou(check_id: str) -> None:
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.add_account(OUTSIDER, "shared-services", parent=OU_WORKLOADS)
    org.attach_scp("Guardrails", GUARDRAILS, OU_PROD)
    snap = org.build()
    assert call(check_id, snap, MEMBER)[0].status is Status.PASS
    assert call(check_id, snap, OUTSIDER)[0].status is Status.FAIL


@pytest.mark.parametrize("check_id", SCP_CHECKS)
def test_account_directly_under_the_root_gets_root_scps_only(check_id: str) -> None:
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.add_account(OUTSIDER, "sandbox")  # directly under the root
    org.attach_scp("Guardrails", GUARDRAILS, OU_WORKLOADS, OU_SECURITY)
    assert call(check_id, org.build(), OUTSIDER)[0].status is Status.FAIL
    org.attach_scp("RootGuardrails", GUARDRAILS, ROOT)
    assert call(check_id, org.build(), OUTSIDER)[0].status is Status.PASS


@pytest.mark.parametrize("check_id", [*SCP_CHECKS, "accounts_in_ous"])
def test_management_account_is_not_applicable(
    check_id: str, snapshot_with_management: Snapshot
) -> None:
    finding = only(run(snapshot_with_management), check_id, MGMT)
    assert finding.status is Status.NOT_APPLICABLE
    assert "management account" in finding.message


@pytest.mark.parametrize("check_id", [*SCP_CHECKS, "accounts_in_ous"])
def test_standalone_account_fails_organization_guardrails(check_id: str) -> None:
    (verdict,) = call(check_id, standalone_snapshot(MEMBER), MEMBER)
    assert verdict.status is Status.FAIL
    assert "not in an organization" in verdict.message


# --- custom_scp_applied ---------------------------------------------------------------------


def test_custom_scp_applied_names_the_custom_policies(org: OrgBuilder) -> None:
    org.attach_scp("DenyRegions", [], OU_PROD)
    (verdict,) = call("custom_scp_applied", org.build(), MEMBER)
    assert verdict.status is Status.PASS
    assert verdict.message == "custom SCPs in effect: DenyRegions, Guardrails"


@pytest.mark.parametrize(
    ("policy_id", "managed"),
    [
        pytest.param("p-FullAWSAccess", True, id="full-access"),
        pytest.param("p-FullAWSAccess", False, id="full-access-id-without-flag"),
        pytest.param("p-awsmanaged123", True, id="other-aws-managed"),
    ],
)
def test_aws_managed_policies_are_not_custom(policy_id: str, managed: bool) -> None:
    org = OrgBuilder().add_account(MEMBER, "payments-prod")
    org.attach_scp("Managed", [], ROOT, policy_id=policy_id, managed=managed)
    (verdict,) = call("custom_scp_applied", org.build(), MEMBER)
    assert verdict.status is Status.FAIL


def test_custom_scp_applied_is_unknown_when_the_tree_is_unreadable(snapshot: Snapshot) -> None:
    missing = set_unavailable(snapshot, "tree", reason="ListOrganizationalUnitsForParent denied")
    (verdict,) = call("custom_scp_applied", snapshot, MEMBER)
    assert verdict.status is Status.UNKNOWN
    assert missing.reason in verdict.message


# --- management_account_not_workload --------------------------------------------------------


@pytest.mark.parametrize(
    ("accounts", "ous", "scan_management", "expected"),
    [
        pytest.param([MEMBER, SECURITY], [], False, Status.PASS, id="declared-members-only"),
        pytest.param([MGMT, MEMBER], [], True, Status.FAIL, id="management-declared"),
        pytest.param([], ["Workloads"], False, Status.PASS, id="ous-without-management"),
        pytest.param([], ["Workloads"], True, Status.FAIL, id="ous-and-management-scanned"),
        pytest.param([], [], True, Status.NOT_APPLICABLE, id="nothing-declared"),
    ],
)
def test_management_account_not_workload(
    accounts: list[str], ous: list[str], scan_management: bool, expected: Status
) -> None:
    snap = OrgBuilder.standard(scan_management=scan_management).build()
    (verdict,) = call(
        "management_account_not_workload", snap, wl=workload(accounts=accounts, ous=ous)
    )
    assert verdict.status is expected, verdict.message
    assert verdict.resource == f"arn:aws:::{MGMT}"


def test_management_account_not_workload_not_applicable_says_why() -> None:
    snap = OrgBuilder.standard(scan_management=True).build()
    finding = only(run(snap, workload(accounts=[])), "management_account_not_workload")
    assert finding.status is Status.NOT_APPLICABLE
    assert "declares no accounts or OUs" in finding.message


def test_management_account_not_workload_fails_for_a_standalone_account() -> None:
    (verdict,) = call(
        "management_account_not_workload", standalone_snapshot(), wl=workload(accounts=[])
    )
    assert verdict.status is Status.FAIL
    assert "not in an organization" in verdict.message


def test_management_account_selected_through_a_declared_ou_is_a_workload_account() -> None:
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.add_ou("ou-root-shared", "Shared")
    org.add_account(MGMT, "management", parent="ou-root-shared")  # scanned: in a declared OU
    snap = org.build()
    wl = workload(accounts=[MEMBER], ous=["Shared"])
    assert MGMT in {a.id for a in snap.accounts}
    (verdict,) = call("management_account_not_workload", snap, wl=wl)
    assert verdict.status is Status.FAIL


# --- accounts_in_ous ------------------------------------------------------------------------


def test_accounts_in_ous_names_the_nearest_ou(snapshot: Snapshot) -> None:
    (verdict,) = call("accounts_in_ous", snapshot, MEMBER)
    assert verdict.status is Status.PASS
    assert verdict.message == f"in OU Prod ({OU_PROD})"


def test_accounts_in_ous_is_unknown_for_an_account_missing_from_the_tree(
    snapshot: Snapshot,
) -> None:
    del snapshot.organization["tree"]["parents"][MEMBER]
    (verdict,) = call("accounts_in_ous", snapshot, MEMBER)
    assert verdict.status is Status.UNKNOWN
    assert "not found in the organization tree" in verdict.message


# --- security_services_delegated ------------------------------------------------------------


def _delegated(org: OrgBuilder, *admins: tuple[str, list[str]]) -> Snapshot:
    org.delegated.clear()
    for account_id, services in admins:
        org.delegate(account_id, *services)
    return org.build()


def test_security_services_delegated_reports_each_service(org: OrgBuilder) -> None:
    verdicts = call("security_services_delegated", _delegated(org, (SECURITY, [GD])))
    by_service = {v.resource: v for v in verdicts}
    assert by_service[GD].status is Status.PASS
    assert by_service[GD].message == f"GuardDuty is administered from {SECURITY}"
    assert by_service[SH].status is Status.FAIL
    assert by_service[SH].message == "Security Hub has no delegated administrator"


def test_delegation_to_the_management_account_fails(org: OrgBuilder) -> None:
    verdicts = call("security_services_delegated", _delegated(org, (MGMT, [GD, SH])))
    assert [v.status for v in verdicts] == [Status.FAIL, Status.FAIL]
    assert all("delegated to the management account" in v.message for v in verdicts)


def test_one_non_management_administrator_is_enough(org: OrgBuilder) -> None:
    snap = _delegated(org, (MGMT, [GD]), (SECURITY, [GD, SH]))
    verdicts = call("security_services_delegated", snap)
    assert [v.status for v in verdicts] == [Status.PASS, Status.PASS]


def test_security_services_delegated_is_unknown_per_service(snapshot: Snapshot) -> None:
    missing = set_unavailable(snapshot, "delegated_administrators", reason="ListDelegated denied")
    verdicts = call("security_services_delegated", snapshot)
    assert [(v.resource, v.status) for v in verdicts] == [
        (GD, Status.UNKNOWN),
        (SH, Status.UNKNOWN),
    ]
    assert all(missing.reason in v.message for v in verdicts)


# --- landing_zone_or_stacksets --------------------------------------------------------------


ZONE = "arn:aws:controltower:eu-west-1:111111111111:landingzone/LZ1"


def test_a_landing_zone_governing_ous_passes_even_without_stack_sets(snapshot: Snapshot) -> None:
    set_evidence(snapshot, "stack_sets", [])
    zone = {"arn": ZONE, "enrolled_ous": ["ou-wkld-prod"], "governed_regions": ["eu-west-1"]}
    set_evidence(snapshot, "landing_zones", [zone])
    (verdict,) = call("landing_zone_or_stacksets", snapshot)
    assert verdict.status is Status.PASS
    assert verdict.message == f"Control Tower landing zone {ZONE} governs OUs ou-wkld-prod"


def test_a_landing_zone_governing_no_ou_is_no_baseline(snapshot: Snapshot) -> None:
    set_evidence(snapshot, "stack_sets", [])
    zone = {"arn": ZONE, "enrolled_ous": [], "governed_regions": ["eu-west-1"]}
    set_evidence(snapshot, "landing_zones", [zone])
    (verdict,) = call("landing_zone_or_stacksets", snapshot)
    assert verdict.status is Status.FAIL
    assert "governs no OU" in verdict.message


def test_a_landing_zone_without_its_enrolment_read_is_unknown(snapshot: Snapshot) -> None:
    set_evidence(snapshot, "stack_sets", [])
    set_evidence(snapshot, "landing_zones", [{"arn": ZONE}])  # an older snapshot
    (verdict,) = call("landing_zone_or_stacksets", snapshot)
    assert verdict.status is Status.UNKNOWN


def test_an_unread_stack_set_region_is_unknown_when_nothing_was_found(snapshot: Snapshot) -> None:
    set_evidence(snapshot, "stack_sets", [])
    set_evidence(snapshot, "landing_zones", [])
    refused = Unavailable("explicit deny", "cloudformation:ListStackSets", "AccessDenied")
    regions = {"call_as": "SELF", "read": ["eu-west-1"], "unread": {"ap-south-1": refused}}
    set_evidence(snapshot, "stack_set_regions", regions)
    (verdict,) = call("landing_zone_or_stacksets", snapshot)
    assert verdict.status is Status.UNKNOWN and "explicit deny" in verdict.message


def test_stack_sets_pass_when_landing_zones_are_unreadable(snapshot: Snapshot) -> None:
    set_unavailable(snapshot, "landing_zones", operation="controltower:ListLandingZones")
    set_evidence(snapshot, "stack_sets", [{"name": "b"}, {"name": "a"}])
    (verdict,) = call("landing_zone_or_stacksets", snapshot)
    assert verdict.status is Status.PASS
    assert verdict.message == "StackSets baseline: a, b"


def test_landing_zone_or_stacksets_unknown_when_stack_sets_unreadable(snapshot: Snapshot) -> None:
    set_evidence(snapshot, "landing_zones", [])
    missing = set_unavailable(snapshot, "stack_sets", reason="ListStackSets denied")
    (verdict,) = call("landing_zone_or_stacksets", snapshot)
    assert verdict.status is Status.UNKNOWN
    assert missing.reason in verdict.message
