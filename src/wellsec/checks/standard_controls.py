"""Automate deployment of standard security controls (SEC01-BP06 of ``sec01@2025``): has
automation (a StackSet, or a Control Tower landing zone) deployed the baseline to
each member account? The other evidence of that practice (AWS Config rules and
recording, drift detection, Systems Manager, pipelines) is the seed's BP06 checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from wellsec.checks.bp01_accounts import ORG_STRUCTURE
from wellsec.checks.bp04_threats import names
from wellsec.checks.registry import (
    CheckContext,
    Verdict,
    account_resource,
    checks,
    failed,
    not_applicable,
    passed,
    role_unknown,
    unknown,
)
from wellsec.evidence import Unavailable, is_unavailable
from wellsec.findings import Scope, Severity
from wellsec.snapshot import AccountRole, AccountSnapshot

DEPLOYED = "CURRENT"  # a stack instance that is deployed and up to date


@checks.register(
    id="standard_controls_deployed",
    title="Automation (StackSets or Control Tower) has deployed the standard controls here",
    best_practice=None,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=("organization", "stack_set_instances", "landing_zones"),
    iam_actions=(
        *ORG_STRUCTURE,
        "cloudformation:ListStackSets",
        "cloudformation:ListStackInstances",
        "controltower:ListLandingZones",
    ),
    remediation="Deploy the account baseline (roles, alerting, Config rules) from a "
    "service-managed StackSet targeting every workload OU with automatic deployment, or "
    "enrol the accounts in an AWS Control Tower landing zone.",
)
def standard_controls_deployed(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = account_resource(account)
    if (doubt := role_unknown(ctx, account)) is not None:
        yield doubt
        return
    if account.role is AccountRole.MANAGEMENT:
        yield not_applicable(
            resource,
            "StackSets and Control Tower deploy controls to member accounts; the management "
            "account runs no workload",
        )
        return
    zones = ctx.snapshot.org_get("landing_zones")
    if not is_unavailable(zones) and zones:
        yield passed(
            resource,
            f"governed by the Control Tower landing zone {zones[0].get('arn')}, which deploys "
            "its controls to enrolled accounts",
        )
        return
    stack_sets = ctx.snapshot.org_get("stack_set_instances")
    if is_unavailable(stack_sets):
        yield unknown(resource, stack_sets)
        return
    deployed: list[str] = []
    pending: list[str] = []
    unread: Unavailable | None = None
    for stack_set in stack_sets:
        instances = stack_set.get("instances")
        if is_unavailable(instances):
            unread = unread or instances
            continue
        mine = [i for i in instances if i.get("account") == account.id]
        regions = sorted({str(i.get("region")) for i in mine if i.get("status") == DEPLOYED})
        if regions:
            deployed.append(f"{stack_set.get('name')} ({', '.join(regions)})")
        elif mine:
            pending.append(f"{stack_set.get('name')} ({mine[0].get('status')})")
    if deployed:
        yield passed(resource, f"deployed by StackSets: {names(deployed)}")
    elif unread is not None or is_unavailable(zones):
        yield unknown(resource, unread or zones, "no StackSet instance seen in this account")
    else:
        outdated = f"; not deployed: {names(pending)}" if pending else ""
        yield failed(
            resource,
            "no StackSet has deployed standard controls to this account and there is no "
            f"Control Tower landing zone{outdated}",
        )
