"""Region guardrails in SCPs: which regions a Deny statement on ``aws:RequestedRegion``
denies, to which actions, and whether it is a guardrail the workload can live with.

SCP semantics followed here
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html):
a Deny in any SCP on the account's path (root, every OU, the account) applies; SCPs never
apply to the management account; a statement's conditions are ANDed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from wellsec.checks.policies import as_list, denies_action, deny_statements, effective_scps
from wellsec.evidence import Unavailable, is_unavailable
from wellsec.snapshot import AccountRole, AccountSnapshot, Snapshot

REGION_KEY = "aws:requestedregion"
PRINCIPAL_KEY = "aws:principalarn"
# Global services (and single operations) a region guardrail may exempt with NotAction:
# AWS's published "Deny access to AWS based on the requested AWS Region" SCP
# (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html)
# plus the Account Management API, whose endpoint is global
# (https://docs.aws.amazon.com/accounts/latest/reference/accounts-welcome.html).
GLOBAL_SERVICES = frozenset(
    {
        "a4b", "account", "acm", "aws-marketplace", "aws-marketplace-management",
        "aws-portal", "budgets", "ce", "chime", "cloudfront", "config", "cur",
        "directconnect", "fms", "globalaccelerator", "health", "iam", "importexport",
        "kms", "mobileanalytics", "networkmanager", "organizations", "pricing",
        "route53", "route53-recovery-cluster", "route53-recovery-control-config",
        "route53-recovery-readiness", "route53domains", "shield", "sts", "support",
        "trustedadvisor", "waf", "waf-regional", "wafv2", "wellarchitected",
    }
)  # fmt: skip
GLOBAL_OPERATIONS = (
    "ec2:describeregions", "ec2:describetransitgateways", "ec2:describevpngateways",
    "s3:getaccountpublic*", "s3:putaccountpublic*", "s3:listallmybuckets",
    "s3:listmultiregionaccesspoints",
)  # fmt: skip
# Error codes of an explicit deny, per protocol (EC2 says UnauthorizedOperation).
DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})


def _operator(name: str) -> tuple[str, str]:
    """(base operator, lowercased) without ``ForAnyValue:``/``ForAllValues:`` or ``IfExists``.

    aws:RequestedRegion is single-valued and always present, so the set operators and
    IfExists behave as the plain operator
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
    """
    base = name.split(":", 1)[1] if ":" in name else name
    base = base.removesuffix("IfExists")
    return base, base.lower()


def _matches(operator: str, value: str, patterns: list[str]) -> bool:
    """Does ``value`` match one of ``patterns`` under the (positive form of) operator?"""
    if "like" in operator:  # StringLike/StringNotLike: * and ? wildcards, case-sensitive
        return any(fnmatchcase(value, p) for p in patterns)
    if "ignorecase" in operator:
        return value.lower() in {p.lower() for p in patterns}
    return value in patterns


@dataclass(frozen=True)
class RegionRule:
    """One Deny statement with a condition on aws:RequestedRegion, in one SCP."""

    policy_id: str
    policy_name: str
    statement: dict[str, Any]
    conditions: tuple[tuple[str, tuple[str, ...]], ...]  # (lowercased operator, values)
    other_keys: tuple[str, ...]  # condition keys besides the region and principal exemptions

    @property
    def label(self) -> str:
        return f"{self.policy_name or self.policy_id} ({self.policy_id})"

    @property
    def allow_list(self) -> bool:
        """Denies every region outside a list (negated operators only)."""
        return all("not" in op for op, _ in self.conditions)

    def denies(self, region: str) -> bool:
        """Does the statement's region condition hold for a request to ``region``?"""
        for op, values in self.conditions:
            hit = _matches(op, region, list(values))
            if hit == ("not" in op):  # a negated operator holds when nothing matches
                return False
        return True

    def allowed_values(self) -> list[str]:
        return sorted({v for op, values in self.conditions if "not" in op for v in values})

    def coverage_problem(self) -> str | None:
        """Why the statement is no full region guardrail (None: it denies every action but
        global services', with no condition besides the region and principal exemptions)."""
        stmt = self.statement
        if "Action" in stmt:
            actions = as_list(stmt["Action"])
            if not any(a in ("*", "*:*") for a in actions):
                return f"denies only {', '.join(actions)} outside its regions"
        elif "NotAction" in stmt:
            regional = [a for a in as_list(stmt["NotAction"]) if not _global(a)]
            if regional:
                return f"exempts regional actions {', '.join(regional)}"
        else:
            return "names no actions"
        if self.other_keys:
            return f"applies only under the condition on {', '.join(self.other_keys)}"
        return None


def _global(action: str) -> bool:
    action = action.lower()
    service = action.split(":", 1)[0]
    if service in GLOBAL_SERVICES:
        return True
    return any(fnmatchcase(action, op) or action == op for op in GLOBAL_OPERATIONS)


def _rule(policy: Mapping[str, Any], stmt: dict[str, Any]) -> RegionRule | None:
    conditions: list[tuple[str, tuple[str, ...]]] = []
    others: list[str] = []
    for operator, body in (stmt.get("Condition") or {}).items():
        if not isinstance(body, dict):
            continue
        base, op = _operator(str(operator))
        for key, value in body.items():
            if key.lower() == REGION_KEY and op.startswith("string"):
                conditions.append((op, tuple(as_list(value))))
            elif key.lower() == PRINCIPAL_KEY and "not" in op:
                continue  # exempts some principals; the rest are denied
            else:
                others.append(f"{key} ({base})")
    if not conditions:
        return None
    return RegionRule(
        str(policy.get("id", "")),
        str(policy.get("name", "")),
        stmt,
        tuple(conditions),
        tuple(sorted(others)),
    )


def region_rules(scps: Iterable[Mapping[str, Any]]) -> list[RegionRule]:
    """Every Deny statement of ``scps`` that conditions on aws:RequestedRegion."""
    return [
        rule
        for policy in scps
        for stmt in deny_statements(policy)
        if (rule := _rule(policy, stmt)) is not None
    ]


def account_region_rules(snapshot: Snapshot, account_id: str) -> list[RegionRule] | Unavailable:
    """The region rules of every SCP on the account's path (root, OUs, account)."""
    scps = effective_scps(snapshot, account_id)
    return scps if is_unavailable(scps) else region_rules(scps)


@cache
def partition_regions(partition: str = "aws") -> tuple[str, ...]:
    """The partition's regions, from botocore's endpoint data (offline)."""
    import botocore.session

    session = botocore.session.get_session()
    return tuple(session.get_available_regions("ec2", partition_name=partition))


@dataclass(frozen=True)
class RegionDenial:
    """A region the organization's own SCP denies to an account, as the scan saw it."""

    account_id: str
    account_name: str
    region: str
    rule: RegionRule

    def describe(self) -> str:
        return f"region {self.region} denied by the organization's SCP {self.rule.label}"


def _denied_operations(evidence: dict[str, Any]) -> list[str]:
    """Operations that answered with an explicit deny in one region's evidence."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Unavailable):
            if value.code in DENIED_CODES:
                found.append(value.operation)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(evidence)
    return found


def scp_denied_regions(snapshot: Snapshot, account: AccountSnapshot) -> dict[str, RegionDenial]:
    """Regions of ``account`` whose calls were denied, and that an SCP on its path denies.

    Both must hold: the SCP says the region is denied, and the scan's calls there were
    refused for operations that SCP statement covers (so the scanning principal was not
    exempted). The management account is never denied by an SCP.
    """
    if account.role is not AccountRole.MEMBER:
        return {}
    rules = account_region_rules(snapshot, account.id)
    if is_unavailable(rules) or not rules:
        return {}
    found: dict[str, RegionDenial] = {}
    for region, evidence in account.regions.items():
        operations = _denied_operations(evidence)
        for rule in rules:
            if rule.denies(region) and any(denies_action(rule.statement, o) for o in operations):
                found[region] = RegionDenial(account.id, account.name, region, rule)
                break
    return found


def all_scp_denied_regions(snapshot: Snapshot) -> list[RegionDenial]:
    """:func:`scp_denied_regions` of every scanned account, in account and region order."""
    out: list[RegionDenial] = []
    for account in snapshot.accounts:
        denied = scp_denied_regions(snapshot, account)
        out += [denied[r] for r in sorted(denied)]
    return out


def denial_notes(snapshot: Snapshot) -> list[str]:
    """One line per account and SCP for the report's scan section: which regions the
    organization's own guardrail refused, and so were left out of the verdicts."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for d in all_scp_denied_regions(snapshot):
        grouped.setdefault((d.account_id, d.account_name, d.rule.label), []).append(d.region)
    return [
        f"account {aid} ({name}): regions {', '.join(regions)} denied by the organization's "
        f"SCP {label}; checks there are not applicable"
        for (aid, name, label), regions in grouped.items()
    ]
