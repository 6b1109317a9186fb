"""What the checks share besides verdicts: wording of messages, and reading evidence
across accounts and regions (the first unreadable piece kept as the reason).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from typing_extensions import TypeIs

from wellsec.checks.registry import CheckContext
from wellsec.evidence import Key, Unavailable, is_unavailable, keys
from wellsec.evidence.shapes_region import SourceRule
from wellsec.snapshot import AccountSnapshot, AccountStatus

V = TypeVar("V")  # the type of an evidence key's value
SECURITY_HUB_PRINCIPAL = "securityhub.amazonaws.com"
# A landing zone read before enrolment and regions were collected (older snapshots).
NOT_READ = Unavailable(
    "the landing zone's registered OUs and governed regions were not collected",
    "controltower:ListEnabledBaselines",
)

# --- wording ---------------------------------------------------------------------------------


def names(items: Iterable[str], limit: int = 5) -> str:
    """``a, b, c and 4 more``: a readable, bounded list for finding messages."""
    listed = list(items)
    shown = ", ".join(listed[:limit])
    return f"{shown} and {len(listed) - limit} more" if len(listed) > limit else shown


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 stack``, ``2 stacks``; ``many`` for irregular plurals."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def routed_rules(rules: list[SourceRule]) -> tuple[list[str], list[str], Unavailable | None]:
    """Enabled EventBridge rules with a target; rules that route nowhere (and why); the
    first doubt."""
    routed: list[str] = []
    idle: list[str] = []
    doubt: Unavailable | None = None
    for rule in rules:
        targets = rule.get("targets")
        if not rule.get("enabled"):
            idle.append(f"{rule['name']} is disabled")
        elif is_unavailable(targets):
            doubt = doubt or targets
        elif targets:
            routed.append(str(rule["name"]))
        else:
            idle.append(f"{rule['name']} has no target")
    return routed, idle, doubt


# --- reading across accounts and regions ------------------------------------------------------


def unreachable(account: AccountSnapshot) -> Unavailable:
    return Unavailable(
        f"account {account.id} could not be scanned: {account.reason}", "sts:AssumeRole"
    )


def scope_doubt(ctx: CheckContext) -> Unavailable | None:
    """Why the scan may have missed accounts of the workload (organization or account list
    unreadable: only the caller was scanned; OUs of the workload not resolved), or None."""
    if (unresolved := ctx.snapshot.unresolved_scope()) is not None:
        return unresolved
    org = ctx.snapshot.org_get(keys.ORGANIZATION)
    if is_unavailable(org):
        return org
    if not org.get("in_organization"):
        return None
    listed = ctx.snapshot.org_get(keys.ACCOUNTS)
    return listed if is_unavailable(listed) else None


def across_accounts(
    ctx: CheckContext, key: Key[V], supporting: bool = False
) -> Iterator[tuple[AccountSnapshot, str, V | Unavailable]]:
    """(account, region, value) of regional evidence in every scanned account and region;
    an unreachable account gives one Unavailable value (region ""). ``supporting`` adds
    the accounts read outside the workload for organization-level evidence."""
    for account in ctx.snapshot.everywhere if supporting else ctx.snapshot.accounts:
        if account.status is AccountStatus.UNREACHABLE:
            yield account, "", unreachable(account)
            continue
        for region in sorted(account.regions):
            value = account.region_get(region, key)
            yield account, region, value


class Doubt:
    """The first reason a piece of evidence was unavailable (None until one is noted)."""

    def __init__(self, first: Unavailable | None = None) -> None:
        self.first = first

    def note(self, value: object) -> TypeIs[Unavailable]:
        """Is ``value`` unavailable? The first such value is kept as the reason."""
        if not is_unavailable(value):
            return False
        self.first = self.first or value
        return True


def readable(account: AccountSnapshot, key: Key[V], doubt: Doubt) -> Iterator[tuple[str, V]]:
    """(region, value) of ``key`` in the account's regions, in order; a region where it is
    unavailable is noted in ``doubt`` and skipped."""
    for region in sorted(account.regions):
        value = account.region_get(region, key)
        if not is_unavailable(value):
            yield region, value
        else:
            doubt.note(value)


def first_unread(ctx: CheckContext, key: Key[Any]) -> Unavailable | None:
    """The first region listed as unread in ``key`` (absent in older snapshots: None)."""
    regions = ctx.snapshot.organization.get(key.name)
    if is_unavailable(regions):
        return regions
    unread = regions.get("unread") if isinstance(regions, dict) else None
    return unread[sorted(unread)[0]] if unread else None
