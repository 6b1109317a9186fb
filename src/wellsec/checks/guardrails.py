"""SEC01-BP02 Secure AWS account: contacts, centralized root access, region and SCP guardrails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from wellsec.checks.actions import ORG_STRUCTURE, SCP_ACTIONS
from wellsec.checks.policies import (
    denies_action,
    deny_statements,
    effective_scps,
    targets_root_principal,
)
from wellsec.checks.region_scps import RegionRule, account_region_rules, partition_regions
from wellsec.checks.registry import CheckContext, CheckFn, Verdict, checks
from wellsec.checks.verdicts import (
    account_resource,
    failed,
    member,
    need,
    not_applicable,
    organization,
    passed,
)
from wellsec.evidence import keys
from wellsec.findings import Scope, Severity
from wellsec.snapshot import AccountSnapshot

BP = "SEC01-BP02"


@checks.register(
    id="security_contact_registered",
    title="A security alternate contact is registered",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=(keys.ACCOUNT_SECURITY_CONTACT,),
    iam_actions=("account:GetAlternateContact",),
    remediation="Set the account's SECURITY alternate contact to a monitored team address.",
)
def security_contact_registered(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = account_resource(account)
    contact = need(account.get(keys.ACCOUNT_SECURITY_CONTACT), resource)
    if contact is None:
        yield failed(resource, "no security alternate contact")
    elif not contact.get("has_email"):
        yield failed(resource, "security alternate contact has no email address")
    else:
        yield passed(resource, "security alternate contact is registered")


@checks.register(
    id="centralized_root_access",
    title="Centralized root access is enabled for the organization",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.MEDIUM,
    evidence=(keys.ORGANIZATION, keys.ORGANIZATIONS_FEATURES),
    iam_actions=(*ORG_STRUCTURE, "iam:ListOrganizationsFeatures"),
    remediation="Enable centralized root access (RootCredentialsManagement and "
    "RootSessions) in IAM, then remove member accounts' root credentials.",
)
def centralized_root_access(ctx: CheckContext) -> Iterator[Verdict]:
    resource = f"arn:aws:iam::{ctx.snapshot.caller_account}:root"
    outside = "not in an organization: root access cannot be centralized"
    organization(ctx, not_applicable(resource, outside))
    features = need(ctx.snapshot.org_get(keys.ORGANIZATIONS_FEATURES), resource)
    enabled = features.get("enabled", [])
    if features.get("off"):
        # IAM's own answer that the features are off (trusted access, feature set).
        yield failed(resource, f"centralized root access is off: {features['off']}")
    elif "RootCredentialsManagement" in enabled:
        extra = "" if "RootSessions" in enabled else " (RootSessions is off)"
        yield passed(resource, "root credentials management is enabled" + extra)
    else:
        yield failed(resource, "centralized root access is not enabled")


def _scp_guardrail(*, id: str, title: str, remediation: str) -> Callable[[CheckFn], CheckFn]:
    """Register an SCP guardrail check: each reads an account's SCP path the same way."""
    return checks.register(
        id=id,
        title=title,
        best_practice=BP,
        scope=Scope.ACCOUNT,
        severity=Severity.MEDIUM,
        evidence=(keys.ORGANIZATION, keys.TREE, keys.SCPS),
        iam_actions=ORG_STRUCTURE + SCP_ACTIONS,
        remediation=remediation,
    )


def _within_scps(ctx: CheckContext, account: AccountSnapshot) -> None:
    """Stop for an account no SCP reaches (or whose place is unknown)."""
    member(
        ctx,
        account,
        standalone="not in an organization: no SCP can apply",
        management="SCPs do not apply to the management account",
    )


def _scp_check(
    ctx: CheckContext,
    account: AccountSnapshot,
    match: Callable[[dict[str, Any]], str | None],
    missing: str,
) -> Iterator[Verdict]:
    """Shared shape of the SCP guardrail checks: find a Deny statement that ``match`` accepts."""
    _within_scps(ctx, account)
    resource = account_resource(account)
    for policy in need(effective_scps(ctx.snapshot, account.id), resource):
        for stmt in deny_statements(policy):
            found = match(stmt)
            if found is not None:
                yield passed(resource, f"SCP {policy.get('name') or policy['id']} {found}")
                return
    yield failed(resource, missing)


@_scp_guardrail(
    id="regions_restricted_by_scp",
    title="An SCP denies regions outside the workload's, and allows the workload's",
    remediation="Attach an SCP that denies every action (exempting only global services "
    "with NotAction) when aws:RequestedRegion is not one of the workload's regions.",
)
def regions_restricted_by_scp(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    _within_scps(ctx, account)
    resource = account_resource(account)
    rules = need(account_region_rules(ctx.snapshot, account.id), resource)
    yield region_guardrail_verdict(resource, rules, list(ctx.workload.regions))


def region_guardrail_verdict(
    resource: str, rules: list[RegionRule], workload: list[str]
) -> Verdict:
    """Do the region rules on an account's SCP path allow every workload region, deny every
    other region, and deny every action but global services' there?"""
    if not rules:
        return failed(resource, "no SCP restricts the regions in use")
    blocked = {r: rule for r in workload for rule in rules if rule.denies(r)}
    if blocked:
        where = ", ".join(f"{r} (SCP {blocked[r].label})" for r in sorted(blocked))
        return failed(resource, f"an SCP denies the workload's regions: {where}")
    guards = [rule for rule in rules if rule.allow_list and rule.coverage_problem() is None]
    if not guards:
        problems = "; ".join(f"SCP {rule.label} {rule.coverage_problem()}" for rule in rules)
        return failed(
            resource,
            "no SCP denies every action but global services' outside the approved regions: "
            + (problems or "its region conditions deny only listed regions"),
        )
    names = ", ".join(dict.fromkeys(f"SCP {rule.label}" for rule in guards))
    if not workload:
        allowed = sorted({v for rule in guards for v in rule.allowed_values()})
        return passed(
            resource,
            f"{names} allows only {', '.join(allowed)} (wellsec.yaml declares no regions "
            "to compare them with)",
        )
    named = {v.lower() for g in guards for v in g.allowed_values() if not set(v) & set("*?")}
    universe = set(partition_regions()) | named
    open_ = sorted(r for r in universe - set(workload) if not any(g.denies(r) for g in guards))
    if open_:
        return failed(
            resource, f"{names} allows regions outside the workload's: {', '.join(open_)}"
        )
    return passed(
        resource, f"{names} allows only the workload's regions {', '.join(sorted(workload))}"
    )


@_scp_guardrail(
    id="scp_denies_root_actions",
    title="An SCP denies actions by the root user of member accounts",
    remediation="Attach an SCP that denies all actions when aws:PrincipalArn is "
    "arn:aws:iam::*:root.",
)
def scp_denies_root_actions(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    def match(stmt: dict[str, Any]) -> str | None:
        return "denies the root user" if targets_root_principal(stmt) else None

    yield from _scp_check(ctx, account, match, "no SCP denies root-user actions")


@_scp_guardrail(
    id="scp_denies_leave_organization",
    title="An SCP denies leaving the organization",
    remediation="Attach an SCP that denies organizations:LeaveOrganization.",
)
def scp_denies_leave_organization(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    def match(stmt: dict[str, Any]) -> str | None:
        unconditional = not stmt.get("Condition")
        if unconditional and denies_action(stmt, "organizations:LeaveOrganization"):
            return "denies organizations:LeaveOrganization"
        return None

    yield from _scp_check(ctx, account, match, "no SCP denies leaving the organization")


@checks.register(
    id="no_unapproved_opt_in_regions",
    title="No opt-in region is enabled outside the workload's regions",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=(keys.EC2_REGIONS,),
    iam_actions=("ec2:DescribeRegions",),
    remediation="Disable opt-in regions the workload does not use (Account settings > "
    "Regions), and keep new regions disabled until approved.",
)
def no_unapproved_opt_in_regions(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = account_resource(account)
    regions = need(account.get(keys.EC2_REGIONS), resource)
    approved = set(ctx.approved_regions)
    extra = sorted(
        r["name"] for r in regions if r["opt_in_status"] == "opted-in" and r["name"] not in approved
    )
    if extra:
        yield failed(resource, f"opt-in regions enabled outside the workload's: {', '.join(extra)}")
    else:
        yield passed(resource, "no opt-in region is enabled outside the workload's regions")
