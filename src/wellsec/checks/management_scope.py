"""Reduce security management scope (SEC01-BP05 of ``sec01@2025``; the seed lens has no
such practice): how much of each account's compute and databases run on managed
services, counted from AWS Config's resource inventory.

The figure is only as good as the inventory: a region where AWS Config is not
recording every workload type makes the share UNKNOWN, never a guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.support import names, plural
from wellsec.checks.verdicts import account_resource, failed, not_applicable, passed
from wellsec.collect.configuration import CONFIG_RECORDER_ACTIONS
from wellsec.collect.inventory import WORKLOAD_TYPES
from wellsec.evidence import is_unavailable, keys
from wellsec.findings import Scope, Severity, Status
from wellsec.snapshot import AccountSnapshot

# Below half, most of what runs the workload is still the team's to patch and harden.
MANAGED_SHARE_REQUIRED = 50  # percent
ALL_TYPES = "ALL_SUPPORTED_RESOURCE_TYPES"


def _records(recorder: dict[str, Any], kind: str) -> bool:
    strategy = recorder.get("strategy")
    if strategy == "EXCLUSION_BY_RESOURCE_TYPES":
        return kind not in (recorder.get("excluded_types") or [])
    if strategy == ALL_TYPES or (strategy is None and recorder.get("all_supported")):
        return True
    return kind in (recorder.get("resource_types") or [])


def inventory_gap(recorders: Any, counts: Any) -> str | None:
    """Why a region's inventory cannot be trusted to be complete, or None."""
    for value in (counts, recorders):
        if is_unavailable(value):
            return value.describe()
    own = next((r for r in recorders if not r.get("service_principal")), None)
    if own is None:
        return "AWS Config has no recorder, so it keeps no inventory"
    recording = own.get("recording")
    if is_unavailable(recording):
        return recording.describe()
    if not recording:
        return f"the AWS Config recorder {own.get('name')} is stopped"
    missing = [label for kind, (label, _) in WORKLOAD_TYPES.items() if not _records(own, kind)]
    if missing:
        listed = f"{plural(len(missing), 'workload type')} ({names(missing, 3)})"
        return f"AWS Config does not record {listed}"
    return None


def _breakdown(counts: Counter[str], managed: bool) -> str:
    parts = [
        plural(counts[kind], label)
        for kind, (label, is_managed) in WORKLOAD_TYPES.items()
        if is_managed is managed and counts[kind]
    ]
    return ", ".join(parts) or "none"


@checks.register(
    id="managed_services_share",
    title="Most of the workload's compute and databases run on managed services",
    best_practice=None,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=(keys.CONFIG_RESOURCE_COUNTS, keys.CONFIG_RECORDERS),
    iam_actions=("config:GetDiscoveredResourceCounts", *CONFIG_RECORDER_ACTIONS),
    remediation="Move self-managed compute and databases (EC2 instances, databases on them) to "
    "managed services such as Lambda, Fargate, RDS or DynamoDB, and keep AWS Config recording "
    "every resource type in every region so the inventory shows the share.",
)
def managed_services_share(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = account_resource(account)
    counts: Counter[str] = Counter()
    gaps: list[str] = []
    for region in sorted(account.regions):
        found = account.region_get(region, keys.CONFIG_RESOURCE_COUNTS)
        gap = inventory_gap(account.region_get(region, keys.CONFIG_RECORDERS), found)
        if gap is None and not is_unavailable(found):
            counts.update({k: int(v) for k, v in found.items() if k in WORKLOAD_TYPES})
        else:
            gaps.append(f"{region}: {gap}")
    managed = sum(n for k, n in counts.items() if WORKLOAD_TYPES[k][1])
    total = sum(counts.values())
    share = 100 * managed // total if total else 0
    figure = (
        f"{managed} of {plural(total, 'compute and database resource')} ({share}%) on managed "
        f"services (managed: {_breakdown(counts, True)}; self-managed: "
        f"{_breakdown(counts, False)})"
    )
    if gaps:
        seen = f"seen so far: {figure}" if total else "nothing counted yet"
        yield Verdict(Status.UNKNOWN, resource, f"inventory incomplete ({'; '.join(gaps)}); {seen}")
    elif not total:
        yield not_applicable(
            resource, "no compute or database resource in AWS Config's inventory of the account"
        )
    elif share >= MANAGED_SHARE_REQUIRED:
        yield passed(resource, figure)
    else:
        yield failed(resource, f"{figure}, below the required {MANAGED_SHARE_REQUIRED}%")
