"""SEC01-BP01 Separate workloads using accounts."""

from __future__ import annotations

from collections.abc import Iterator

from wellsec.checks.actions import BASELINE_ACTIONS, DELEGATION_ACTIONS, ORG_STRUCTURE, SCP_ACTIONS
from wellsec.checks.policies import effective_scps, is_custom
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.scp_exemptions import bypasses, holds
from wellsec.checks.support import NOT_READ, first_unread
from wellsec.checks.verdicts import (
    account_resource,
    failed,
    member,
    need,
    not_applicable,
    organization,
    passed,
    unknown,
)
from wellsec.evidence import is_unavailable, keys
from wellsec.findings import Scope, Severity, Status
from wellsec.snapshot import AccountSnapshot

BP = "SEC01-BP01"
SECURITY_SERVICES = {
    "guardduty.amazonaws.com": "GuardDuty",
    "securityhub.amazonaws.com": "Security Hub",
}


def _org_resource(ctx: CheckContext) -> str:
    org = ctx.snapshot.org_get(keys.ORGANIZATION)
    if isinstance(org, dict) and org.get("arn"):
        return str(org["arn"])
    return f"arn:aws:::{ctx.snapshot.caller_account}"


@checks.register(
    id="org_all_features",
    title="Accounts belong to an AWS Organization with all features enabled",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.HIGH,
    evidence=(keys.ORGANIZATION,),
    iam_actions=ORG_STRUCTURE,
    remediation="Create an AWS Organization (or join one) and enable all features, so "
    "policies such as SCPs can govern every account.",
)
def org_all_features(ctx: CheckContext) -> Iterator[Verdict]:
    resource = _org_resource(ctx)
    outside = f"account {ctx.snapshot.caller_account} is not in an organization"
    org = organization(ctx, failed(resource, outside))
    if org.get("feature_set") != "ALL":
        yield failed(resource, f"organization feature set is {org.get('feature_set')}, not ALL")
    else:
        yield passed(resource, f"organization {org.get('id')} has all features enabled")


@checks.register(
    id="org_scps_enabled",
    title="Service control policies are enabled for the organization",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.HIGH,
    evidence=(keys.ORGANIZATION, keys.ROOTS),
    iam_actions=ORG_STRUCTURE,
    remediation="Enable the SERVICE_CONTROL_POLICY policy type on the organization root.",
)
def org_scps_enabled(ctx: CheckContext) -> Iterator[Verdict]:
    resource = _org_resource(ctx)
    organization(ctx, failed(resource, "not in an organization: no SCP can apply"))
    for root in need(ctx.snapshot.org_get(keys.ROOTS), resource):
        enabled = any(
            p.get("type") == "SERVICE_CONTROL_POLICY" and p.get("status") == "ENABLED"
            for p in root.get("policy_types", [])
        )
        if enabled:
            yield passed(root["id"], "SCP policy type is enabled on the root")
        else:
            yield failed(root["id"], "SCP policy type is not enabled on the root")


@checks.register(
    id="custom_scp_applied",
    title="A custom SCP (not only FullAWSAccess) applies to every workload account",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.HIGH,
    evidence=(keys.ORGANIZATION, keys.TREE, keys.SCPS),
    iam_actions=ORG_STRUCTURE + SCP_ACTIONS,
    remediation="Attach guardrail SCPs to the OUs that hold workload accounts (or to the "
    "root), for example denying region use, root actions and leaving the organization.",
)
def custom_scp_applied(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    member(
        ctx,
        account,
        standalone="not in an organization: organization guardrails cannot apply",
        management="SCPs do not apply to the management account",
    )
    resource = account_resource(account)
    scps = need(effective_scps(ctx.snapshot, account.id), resource)
    custom = sorted((p for p in scps if is_custom(p)), key=lambda p: str(p.get("name") or p["id"]))
    holding = [str(p.get("name") or p["id"]) for p in custom if holds(p, scps)]
    loose = [
        f"{p.get('name') or p['id']} ({label}) exempts {name}"
        for p in custom
        for label, name in bypasses(p, scps)
    ]
    why = (
        "; ".join(loose) + ": a member account can create or take over a role so named, and "
        "no SCP in effect denies that to others"
    )
    if holding:
        note = f"; statements not counted: {why}" if loose else ""
        yield passed(resource, f"custom SCPs in effect: {', '.join(holding)}{note}")
    elif custom:
        yield failed(resource, f"no custom SCP in effect holds: {why}")
    else:
        yield failed(resource, "only AWS-managed SCPs (FullAWSAccess) apply to this account")


@checks.register(
    id="management_account_not_workload",
    title="The management account is not one of the workload's accounts",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.HIGH,
    evidence=(keys.ORGANIZATION,),
    iam_actions=ORG_STRUCTURE,
    remediation="Move workloads out of the management account into member accounts; keep "
    "the management account for billing and organization administration only.",
)
def management_account_not_workload(ctx: CheckContext) -> Iterator[Verdict]:
    outside = "not in an organization: the workload shares its only account"
    org = organization(ctx, failed(_org_resource(ctx), outside))
    management = str(org.get("management_account_id"))
    declared = set(ctx.workload.accounts)
    if not declared and not ctx.workload.ous:
        yield not_applicable(
            f"arn:aws:::{management}",
            "the workload declares no accounts or OUs in wellsec.yaml, so which accounts "
            "hold it cannot be told",
        )
        return
    in_scope = {a.id for a in ctx.snapshot.accounts}
    if management in declared or management in in_scope:
        yield failed(f"arn:aws:::{management}", "the management account is a workload account")
    else:
        yield passed(f"arn:aws:::{management}", "the management account holds no declared workload")


@checks.register(
    id="accounts_in_ous",
    title="Workload accounts sit in organizational units, not at the root",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=(keys.ORGANIZATION, keys.TREE),
    iam_actions=ORG_STRUCTURE,
    remediation="Move each workload account into an OU that reflects its function and "
    "environment, so OU-level policies apply to it.",
)
def accounts_in_ous(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    member(
        ctx,
        account,
        standalone="not in an organization",
        management="the management account is not a workload account",
    )
    resource = account_resource(account)
    tree = need(ctx.snapshot.org_get(keys.TREE), resource)
    parent = tree.get("parents", {}).get(account.id)
    ous = tree.get("ous", {})
    if parent in ous:
        yield passed(resource, f"in OU {ous[parent].get('name')} ({parent})")
    elif parent is None:
        yield Verdict(Status.UNKNOWN, resource, "account not found in the organization tree")
    else:
        yield failed(resource, f"sits directly under the root {parent}")


@checks.register(
    id="security_services_delegated",
    title="Security services are administered from a delegated, non-management account",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.MEDIUM,
    evidence=(keys.ORGANIZATION, keys.DELEGATED_ADMINISTRATORS),
    iam_actions=(*ORG_STRUCTURE, *DELEGATION_ACTIONS),
    remediation="Register a security-tooling member account as delegated administrator "
    "for GuardDuty and Security Hub.",
)
def security_services_delegated(ctx: CheckContext) -> Iterator[Verdict]:
    outside = "not in an organization: nothing can be delegated"
    org = organization(ctx, failed(_org_resource(ctx), outside))
    admins = ctx.snapshot.org_get(keys.DELEGATED_ADMINISTRATORS)
    management = org.get("management_account_id")
    for principal, label in SECURITY_SERVICES.items():
        if is_unavailable(admins):
            yield unknown(principal, admins)
            continue
        holders = [a["account_id"] for a in admins if principal in a.get("services", [])]
        good = [h for h in holders if h != management]
        if good:
            yield passed(principal, f"{label} is administered from {', '.join(good)}")
        elif holders:
            yield failed(principal, f"{label} is delegated to the management account")
        else:
            yield failed(principal, f"{label} has no delegated administrator")


@checks.register(
    id="landing_zone_or_stacksets",
    title="A landing zone (Control Tower) governing OUs, or a StackSets baseline, exists",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.INFORMATIONAL,
    evidence=(
        keys.STACK_SETS,
        keys.STACK_SET_REGIONS,
        keys.LANDING_ZONES,
        keys.LANDING_ZONE_REGIONS,
    ),
    iam_actions=BASELINE_ACTIONS,
    remediation="Set up AWS Control Tower and register the workload OUs with it, or deploy "
    "an account baseline with service-managed CloudFormation StackSets.",
)
def landing_zone_or_stacksets(ctx: CheckContext) -> Iterator[Verdict]:
    zones = ctx.snapshot.org_get(keys.LANDING_ZONES)
    stack_sets = ctx.snapshot.org_get(keys.STACK_SETS)
    resource = _org_resource(ctx)
    # A landing zone governs only the OUs registered with it (Control Tower User Guide).
    listed = [] if is_unavailable(zones) else zones
    enrolled = [z.get("enrolled_ous", NOT_READ) for z in listed]
    governing = [
        (z, ous) for z, ous in zip(listed, enrolled, strict=True) if isinstance(ous, list) and ous
    ]
    unread = next((e for e in enrolled if is_unavailable(e)), None)
    unread_region = first_unread(ctx, keys.STACK_SET_REGIONS) or first_unread(
        ctx, keys.LANDING_ZONE_REGIONS
    )
    if governing:
        zone, ous = governing[0]
        yield passed(
            resource, f"Control Tower landing zone {zone.get('arn')} governs OUs {', '.join(ous)}"
        )
    elif not is_unavailable(stack_sets) and stack_sets:
        names = ", ".join(sorted({str(s["name"]) for s in stack_sets}))
        yield passed(resource, f"StackSets baseline: {names}")
    elif is_unavailable(zones):
        yield unknown(resource, zones)
    elif unread is not None:
        yield unknown(resource, unread)
    elif is_unavailable(stack_sets):
        yield unknown(resource, stack_sets)
    elif unread_region is not None:
        yield unknown(resource, unread_region)
    elif listed:
        yield failed(
            resource,
            f"the Control Tower landing zone {listed[0].get('arn')} governs no OU, and there "
            "are no active StackSets",
        )
    else:
        yield failed(resource, "no Control Tower landing zone and no active StackSets")
