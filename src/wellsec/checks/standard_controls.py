"""Automate deployment of standard security controls (SEC01-BP06 of ``sec01@2025``): has
automation (a StackSet, or a Control Tower landing zone) deployed the baseline to
each member account? The other evidence of that practice (AWS Config rules and
recording, drift detection, Systems Manager, pipelines) is the seed's BP06 checks.

A landing zone governs an account only when the account's OU is registered with it
(an enabled baseline targets the OU) and the workload's regions are among its
governed regions (https://docs.aws.amazon.com/controltower/latest/userguide/about-regions.html,
https://docs.aws.amazon.com/controltower/latest/userguide/baseline-api-examples.html).
"""

from __future__ import annotations

from collections.abc import Iterator

from wellsec.checks.actions import BASELINE_ACTIONS, ORG_STRUCTURE
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.support import NOT_READ, first_unread, names
from wellsec.checks.verdicts import account_resource, failed, member, need, passed, unknown
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.findings import Scope, Severity
from wellsec.snapshot import AccountSnapshot

DEPLOYED = "CURRENT"  # a stack instance that is deployed and up to date


def landing_zone_verdict(
    ctx: CheckContext, account_id: str
) -> tuple[bool, str] | Unavailable | None:
    """(governed, what was seen) for the account's landing zone; None when there is none."""
    zones = ctx.snapshot.org_get(keys.LANDING_ZONES)
    if is_unavailable(zones) or not zones:
        return zones if is_unavailable(zones) else None
    tree = ctx.snapshot.org_get(keys.TREE)
    if is_unavailable(tree):
        return tree
    parent = tree.get("parents", {}).get(account_id)
    wanted = set(ctx.approved_regions)
    seen: list[str] = []
    doubt: Unavailable | None = None
    for zone in zones:
        arn = zone.get("arn")
        enrolled = zone.get("enrolled_ous", NOT_READ)
        governed = zone.get("governed_regions", NOT_READ)
        if is_unavailable(enrolled):
            doubt = doubt or enrolled
            continue
        if is_unavailable(governed):
            doubt = doubt or governed
            continue
        if parent not in (enrolled or []):
            seen.append(f"the landing zone {arn} does not govern its OU {parent}")
            continue
        missing = sorted(wanted - set(governed or []))
        if missing:
            seen.append(f"the landing zone {arn} does not govern the regions {', '.join(missing)}")
            continue
        return True, f"governed by the Control Tower landing zone {arn} (OU {parent} registered)"
    if doubt is not None:
        return doubt
    return False, "; ".join(seen)


@checks.register(
    id="standard_controls_deployed",
    title="Automation (StackSets or Control Tower) has deployed the standard controls here",
    best_practice=None,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=(
        keys.ORGANIZATION,
        keys.TREE,
        keys.STACK_SET_INSTANCES,
        keys.STACK_SET_REGIONS,
        keys.LANDING_ZONES,
        keys.LANDING_ZONE_REGIONS,
    ),
    iam_actions=tuple(dict.fromkeys((*ORG_STRUCTURE, *BASELINE_ACTIONS))),
    remediation="Deploy the account baseline (roles, alerting, Config rules) from a "
    "service-managed StackSet targeting every workload OU with automatic deployment, or "
    "register the workload's OUs and regions with an AWS Control Tower landing zone.",
)
def standard_controls_deployed(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    member(
        ctx,
        account,
        standalone=None,
        management="StackSets and Control Tower deploy controls to member accounts; the "
        "management account runs no workload",
    )
    resource = account_resource(account)
    zone = landing_zone_verdict(ctx, account.id)
    if isinstance(zone, tuple) and zone[0]:
        yield passed(resource, zone[1])
        return
    stack_sets = need(ctx.snapshot.org_get(keys.STACK_SET_INSTANCES), resource)
    deployed: list[str] = []
    pending: list[str] = []
    unread: Unavailable | None = _unread_region(ctx)
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
    elif (doubt_value := unread or (zone if isinstance(zone, Unavailable) else None)) is not None:
        yield unknown(resource, doubt_value, "no StackSet instance seen in this account")
    else:
        outdated = f"; not deployed: {names(pending)}" if pending else ""
        lz = zone[1] if isinstance(zone, tuple) else "there is no Control Tower landing zone"
        yield failed(
            resource,
            f"no StackSet has deployed standard controls to this account and {lz}{outdated}",
        )


def _unread_region(ctx: CheckContext) -> Unavailable | None:
    """The first region whose StackSets or landing zones could not be read (None: none)."""
    return first_unread(ctx, keys.STACK_SET_REGIONS) or first_unread(ctx, keys.LANDING_ZONE_REGIONS)
