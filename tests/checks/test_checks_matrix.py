"""Every registered check, through the runner: a PASS, a FAIL and an UNKNOWN case each.

The tables below name each check once; ``test_tables_cover_every_check`` fails when a
check is registered without a FAIL or an UNKNOWN case here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from tests.checks.builders import (
    DENY_LEAVE_ORG,
    DENY_OTHER_REGIONS,
    DENY_ROOT,
    GUARDRAILS,
    MEMBER,
    MGMT,
    NOW,
    SECURITY,
    OrgBuilder,
    account,
    context,
    credential_row,
    every_attestation,
    findings_of,
    iso,
    lens,
    log_group_arn,
    mark_unreachable,
    owned_alerting,
    run,
    set_evidence,
    set_unavailable,
    standalone_snapshot,
    workload,
)
from wellsec.checks.runner import all_checks, run_checks
from wellsec.evidence import Unavailable
from wellsec.findings import Scope, Status
from wellsec.snapshot import Snapshot, from_dict
from wellsec.workload import Workload

# This matrix covers SEC01-BP01 and BP02; each other practice has its own test module.
COVERED = {"SEC01-BP01", "SEC01-BP02"}
ALL_IDS = [c.id for c in all_checks() if c.best_practice in COVERED]
ACCOUNT_SCOPE_IDS = [
    c.id for c in all_checks() if c.scope is not Scope.ORG and c.best_practice in COVERED
]


SCOPES = {c.id: c.scope for c in all_checks()}


def _scope_account(check_id: str, account_id: str) -> str:
    """Organization findings carry the management account; account findings their own."""
    return MGMT if SCOPES[check_id] is Scope.ORG else account_id


# --- PASS -----------------------------------------------------------------------------------


@pytest.mark.parametrize("check_id", ALL_IDS)
def test_every_check_passes_on_the_healthy_organization(check_id: str, snapshot: Snapshot) -> None:
    mine = findings_of(run(snapshot), check_id)
    assert mine, f"{check_id} produced no finding"
    assert {f.status for f in mine} == {Status.PASS}, [f.message for f in mine]


def test_healthy_organization_with_every_attestation_has_no_failure(snapshot: Snapshot) -> None:
    findings = [
        f
        for f in run(snapshot, workload(attestations=every_attestation()))
        if f.best_practice in COVERED or f.check.startswith("attest.")
    ]
    assert [f for f in findings if f.status is not Status.PASS] == []
    # one per account-scope check and account; one per org check, except that
    # security_services_delegated judges GuardDuty and Security Hub apart; one per attestation
    org_checks = len(ALL_IDS) - len(ACCOUNT_SCOPE_IDS)
    attestations = sum(len(bp.attestations) for bp in lens().best_practices)
    assert len(findings) == 2 * len(ACCOUNT_SCOPE_IDS) + (org_checks + 1) + attestations


# --- FAIL -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailCase:
    check: str
    change: Callable[[Snapshot], Any]
    says: str
    account: str = MEMBER
    workload: Workload | None = None
    isolated: bool = True  # the change touches only ``account``: the other one still passes


def _org(snapshot: Snapshot) -> dict[str, Any]:
    value = snapshot.organization["organization"]
    assert isinstance(value, dict)
    return value


def _guardrails_without(statement: dict[str, Any]) -> Callable[[Snapshot], None]:
    def change(snapshot: Snapshot) -> None:
        for policy in snapshot.organization["scps"]:
            if policy["name"] == "Guardrails":
                policy["content"]["Statement"] = [s for s in GUARDRAILS if s is not statement]

    return change


def _evidence(key: str, value: Any, account_id: str = MEMBER) -> Callable[[Snapshot], None]:
    return lambda s: set_evidence(s, key, value, account_id=account_id)


def _no_mfa_and_no_central_root(snapshot: Snapshot) -> None:
    set_evidence(snapshot, "organizations_features", {"enabled": []})
    set_evidence(
        snapshot,
        "iam.account_summary",
        {"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0},
        account_id=MEMBER,
    )


def _opt_in(snapshot: Snapshot) -> None:
    account(snapshot, MEMBER).evidence["ec2.regions"].append(
        {"name": "me-central-1", "opt_in_status": "opted-in"}
    )


FAIL_CASES = [
    FailCase(
        "org_all_features",
        lambda s: _org(s).update(feature_set="CONSOLIDATED_BILLING"),
        "feature set is CONSOLIDATED_BILLING, not ALL",
    ),
    FailCase(
        "org_scps_enabled",
        lambda s: s.organization["roots"][0].update(policy_types=[]),
        "SCP policy type is not enabled on the root",
    ),
    FailCase(
        "custom_scp_applied",
        lambda s: s.organization.update(
            scps=[p for p in s.organization["scps"] if p["name"] != "Guardrails"]
        ),
        "only AWS-managed SCPs",
        isolated=False,
    ),
    FailCase(
        "management_account_not_workload",
        lambda s: None,
        "the management account is a workload account",
        workload=workload(accounts=[MGMT, MEMBER]),
    ),
    FailCase(
        "accounts_in_ous",
        lambda s: s.organization["tree"]["parents"].update({MEMBER: "r-root1"}),
        "sits directly under the root r-root1",
    ),
    FailCase(
        "security_services_delegated",
        lambda s: set_evidence(s, "delegated_administrators", []),
        "has no delegated administrator",
    ),
    FailCase(
        "landing_zone_or_stacksets",
        lambda s: set_evidence(s, "stack_sets", []),
        "no Control Tower landing zone and no active StackSets",
    ),
    FailCase(
        "centralized_root_access",
        lambda s: set_evidence(s, "organizations_features", {"enabled": ["RootSessions"]}),
        "centralized root access is not enabled",
    ),
    FailCase(
        "cloudtrail_multi_region_logging",
        lambda s: account(s, MEMBER).evidence["cloudtrail.trails"][0].update(multi_region=False),
        "no multi-region trail is logging management events",
    ),
    FailCase(
        "no_unapproved_opt_in_regions",
        _opt_in,
        "opt-in regions enabled outside the workload's: me-central-1",
    ),
    FailCase(
        "regions_restricted_by_scp",
        _guardrails_without(DENY_OTHER_REGIONS),
        "no SCP restricts the regions in use",
        isolated=False,
    ),
    FailCase(
        "root_hardware_mfa",
        _evidence("iam.root_virtual_mfa", {"assigned": True, "serials": ["arn:mfa/root"]}),
        "root MFA is a virtual device",
    ),
    FailCase("root_mfa_enabled", _no_mfa_and_no_central_root, "root user has no MFA"),
    FailCase(
        "root_no_access_keys",
        _evidence("iam.account_summary", {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 1}),
        "root user has access keys",
    ),
    FailCase(
        "root_not_recently_used",
        _evidence("iam.root_credentials", credential_row(iso(NOW.replace(day=26)))),
        "root password used 3 days ago (2026-11-26); limit 90",
    ),
    FailCase(
        "root_usage_alerting",
        _evidence("logs.root_metric_alerting", {log_group_arn(MEMBER): owned_alerting(MEMBER, [])}),
        "no EventBridge rule or metric-filter alarm with a subscriber alerts on root use",
    ),
    FailCase(
        "scp_denies_leave_organization",
        _guardrails_without(DENY_LEAVE_ORG),
        "no SCP denies leaving the organization",
        isolated=False,
    ),
    FailCase(
        "scp_denies_root_actions",
        _guardrails_without(DENY_ROOT),
        "no SCP denies root-user actions",
        isolated=False,
    ),
    FailCase(
        "security_contact_registered",
        _evidence("account.security_contact", None),
        "no security alternate contact",
    ),
]


@pytest.mark.parametrize("case", FAIL_CASES, ids=lambda c: c.check)
def test_every_check_fails_when_its_evidence_says_so(case: FailCase, snapshot: Snapshot) -> None:
    case.change(snapshot)
    findings = run(snapshot, case.workload)
    mine = findings_of(findings, case.check, _scope_account(case.check, case.account))
    assert mine
    assert {f.status for f in mine} == {Status.FAIL}, [f.message for f in mine]
    assert any(case.says in f.message for f in mine), [f.message for f in mine]
    if case.isolated and _scope_account(case.check, case.account) != MGMT:
        assert {f.status for f in findings_of(findings, case.check, SECURITY)} == {Status.PASS}


# --- UNKNOWN --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnknownCase:
    check: str
    keys: tuple[str, ...]  # made Unavailable; the first one's reason must show
    account_key: bool  # the keys are the account's evidence (else the organization's)
    extra: Callable[[Snapshot], Any] = lambda s: None


UNKNOWN_CASES = [
    UnknownCase("org_all_features", ("organization",), False),
    UnknownCase("org_scps_enabled", ("roots",), False),
    UnknownCase("custom_scp_applied", ("scps",), False),
    UnknownCase("management_account_not_workload", ("organization",), False),
    UnknownCase("accounts_in_ous", ("tree",), False),
    UnknownCase("security_services_delegated", ("delegated_administrators",), False),
    UnknownCase(
        "landing_zone_or_stacksets",
        ("landing_zones",),
        False,
        extra=lambda s: set_evidence(s, "stack_sets", []),
    ),
    UnknownCase("centralized_root_access", ("organizations_features",), False),
    UnknownCase("cloudtrail_multi_region_logging", ("cloudtrail.trails",), True),
    UnknownCase("no_unapproved_opt_in_regions", ("ec2.regions",), True),
    UnknownCase("regions_restricted_by_scp", ("tree",), False),
    UnknownCase("root_hardware_mfa", ("iam.root_virtual_mfa",), True),
    UnknownCase("root_mfa_enabled", ("iam.account_summary",), True),
    UnknownCase("root_no_access_keys", ("iam.account_summary", "iam.root_credentials"), True),
    UnknownCase("root_not_recently_used", ("iam.root_credentials",), True),
    UnknownCase("root_usage_alerting", ("logs.root_metric_alerting",), True),
    UnknownCase("scp_denies_leave_organization", ("scps",), False),
    UnknownCase("scp_denies_root_actions", ("scps",), False),
    UnknownCase("security_contact_registered", ("account.security_contact",), True),
]


@pytest.mark.parametrize("case", UNKNOWN_CASES, ids=lambda c: c.check)
def test_every_check_is_unknown_with_the_reason_when_evidence_is_unavailable(
    case: UnknownCase, snapshot: Snapshot
) -> None:
    made: list[Unavailable] = []
    for key in case.keys:
        made.append(
            set_unavailable(
                snapshot,
                key,
                account_id=MEMBER if case.account_key else None,
                reason=f"{key} read was throttled (test)",
                operation="svc:ReadIt",
                code="ThrottlingException",
            )
        )
    case.extra(snapshot)
    mine = findings_of(run(snapshot), case.check, _scope_account(case.check, MEMBER))
    assert mine
    assert {f.status for f in mine} == {Status.UNKNOWN}, [f.message for f in mine]
    for finding in mine:
        assert made[0].reason in finding.message
        assert "svc:ReadIt unavailable (ThrottlingException)" in finding.message


@pytest.mark.parametrize(
    ("check_id", "key", "account_id"),
    [
        ("org_all_features", "organization", None),
        ("security_services_delegated", "delegated_administrators", None),
        ("root_mfa_enabled", "iam.account_summary", MEMBER),
        ("cloudtrail_multi_region_logging", "cloudtrail.trails", MEMBER),
    ],
)
def test_evidence_never_collected_is_unknown_too(
    check_id: str, key: str, account_id: str | None, snapshot: Snapshot
) -> None:
    if account_id is None:
        del snapshot.organization[key]
    else:
        del account(snapshot, account_id).evidence[key]
    mine = findings_of(run(snapshot), check_id, _scope_account(check_id, MEMBER))
    assert mine
    assert {f.status for f in mine} == {Status.UNKNOWN}
    assert all(f"evidence {key!r} was not collected" in f.message for f in mine)


def test_tables_cover_every_check() -> None:
    assert sorted(c.check for c in FAIL_CASES) == sorted(ALL_IDS)
    assert sorted(c.check for c in UNKNOWN_CASES) == sorted(ALL_IDS)


# --- whole snapshot -------------------------------------------------------------------------


def test_unreachable_account_makes_every_account_check_unknown_with_the_reason(
    snapshot: Snapshot,
) -> None:
    reason = "cannot assume OrganizationAccountAccessRole in 222222222222: AccessDenied"
    mark_unreachable(snapshot, MEMBER, reason)
    findings = run(snapshot)
    for check_id in ACCOUNT_SCOPE_IDS:
        unreachable = findings_of(findings, check_id, MEMBER)
        assert len(unreachable) == 1, check_id
        assert unreachable[0].status is Status.UNKNOWN
        assert unreachable[0].message == f"account could not be scanned: {reason}"
        assert unreachable[0].resource == f"arn:aws:::{MEMBER}"
        # the reachable account is judged on its own evidence
        assert only_status(findings, check_id, SECURITY) is Status.PASS
    # organization checks do not depend on the member being reachable
    org_ids = set(ALL_IDS) - set(ACCOUNT_SCOPE_IDS)
    assert {f.status for f in findings if f.check in org_ids} == {Status.PASS}


def only_status(findings: list[Any], check_id: str, account_id: str) -> Status:
    (finding,) = findings_of(findings, check_id, account_id)
    return finding.status


def test_findings_are_the_same_after_a_snapshot_round_trip(snapshot: Snapshot) -> None:
    set_unavailable(snapshot, "iam.root_credentials", account_id=MEMBER)
    set_unavailable(snapshot, "events.root_rules", account_id=SECURITY, region="us-east-1")
    set_unavailable(snapshot, "delegated_administrators")
    again = from_dict(json.loads(json.dumps(snapshot.to_dict())))
    assert run(again) == run(snapshot)


def test_org_findings_are_filed_under_the_caller_when_not_in_an_organization() -> None:
    findings = run(standalone_snapshot(MEMBER), workload(accounts=[MEMBER]))
    assert {f.account for f in findings if f.check == "org_all_features"} == {MEMBER}
    assert only_status(findings, "org_all_features", MEMBER) is Status.FAIL


def test_checks_outside_the_lens_do_not_run(snapshot: Snapshot) -> None:
    only_bp01 = replace(
        lens(), best_practices=tuple(bp for bp in lens().best_practices if bp.id == "SEC01-BP01")
    )
    findings = run_checks(context(snapshot), only_bp01)
    assert {f.best_practice for f in findings} == {"SEC01-BP01"}
    assert "root_mfa_enabled" not in {f.check for f in findings}


def test_management_account_is_scanned_only_on_request() -> None:
    assert [a.id for a in OrgBuilder.standard().build().accounts] == [MEMBER, SECURITY]
    snap = OrgBuilder.standard(scan_management=True).build()
    assert snap.management_account_id == MGMT
    assert [(a.id, a.role.value) for a in snap.accounts] == [
        (MGMT, "management"),
        (MEMBER, "member"),
        (SECURITY, "member"),
    ]
