"""Which accounts a scan reads: the workload's (from wellsec.yaml and the organization
tree), and the supporting accounts outside it that hold organization-level evidence."""

from __future__ import annotations

from typing import Any

from wellsec.collect.registry import Collector
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.snapshot import Evidence
from wellsec.workload import Workload

OU_LISTING = "organizations:ListOrganizationalUnitsForParent"
# What checks read from a supporting account (looked up with Snapshot.account or the
# organization-level loops): only the collectors of these keys run there. A key missing
# from this set reads as "not collected", an UNKNOWN, never a PASS.
SUPPORTING_EVIDENCE = frozenset(
    k.name
    for k in (
        keys.GUARDDUTY_ORGANIZATION_CONFIGURATION,
        keys.CONFIG_AGGREGATORS,
        keys.SECURITYHUB_FINDING_AGGREGATORS,
        keys.SECURITYHUB_AUTOMATION_RULES,
        keys.AUDITMANAGER_ASSESSMENTS,
        keys.LOGS_ROOT_METRIC_ALERTING,
    )
)


def select_accounts(
    workload: Workload, org: Evidence, caller_account: str
) -> tuple[list[dict[str, str]], str | None]:
    """The in-scope accounts ({id, name, role}) and, when the scope could not be fully
    read (organization, account list or the tree below the workload's OUs), why."""
    info = org.get(keys.ORGANIZATION.name)
    if is_unavailable(info):
        note = f"organization unreadable ({info.describe()}); scanned the caller only"
        return [{"id": caller_account, "name": caller_account, "role": "unknown"}], note
    if not isinstance(info, dict) or not info.get("in_organization"):
        return [{"id": caller_account, "name": caller_account, "role": "standalone"}], None
    management = str(info.get("management_account_id") or "")
    listed = org.get(keys.ACCOUNTS.name)
    if is_unavailable(listed):
        role = "management" if caller_account == management else "member"
        note = f"account list unavailable ({listed.describe()}); scanned the caller only"
        return [{"id": caller_account, "name": caller_account, "role": role}], note
    tree = org.get(keys.TREE.name)
    parents = tree.get("parents", {}) if isinstance(tree, dict) else {}
    ous = tree.get("ous", {}) if isinstance(tree, dict) else {}
    wanted_ous = set(workload.ous)
    selected: list[dict[str, str]] = []
    for acct in listed or []:
        if acct.get("status") not in {"ACTIVE", None}:
            continue
        aid = acct["id"]
        if aid in workload.exclude_accounts:
            continue
        chosen = not workload.accounts and not workload.ous
        chosen = chosen or aid in workload.accounts
        if wanted_ous and not chosen:
            chosen = bool(wanted_ous & _ancestors(aid, parents, ous))
        if chosen:
            role = "management" if aid == management else "member"
            selected.append({"id": aid, "name": acct.get("name") or aid, "role": role})
    unresolved = unresolved_scope(workload, org)
    return selected, unresolved.reason if unresolved else None


def _ancestors(account_id: str, parents: dict[str, str], ous: dict[str, Any]) -> set[str]:
    """Ids and names of every OU above an account."""
    found: set[str] = set()
    node = parents.get(account_id)
    while node and node in ous:
        found.update({node, str(ous[node].get("name", ""))})
        node = ous[node].get("parent_id")
    return found


def unresolved_scope(workload: Workload, org: Evidence) -> Unavailable | None:
    """Why the accounts below the workload's OUs may be incomplete, or None.

    An OU of wellsec.yaml that is not in the tree, or a parent at or below a wanted OU
    whose children could not be read, leaves accounts of the workload unknown. A parent
    outside every wanted OU does not (an OU's accounts sit below it), unless a wanted OU
    was not found: it may be below that parent."""
    info = org.get(keys.ORGANIZATION.name)
    listed = org.get(keys.ACCOUNTS.name)
    if not workload.ous or not isinstance(info, dict) or not info.get("in_organization"):
        return None
    if is_unavailable(listed):
        return None  # select_accounts already says so: only the caller was scanned
    wanted = sorted(set(workload.ous))
    tree = org.get(keys.TREE.name)
    if is_unavailable(tree):
        reason = f"organization tree unreadable ({tree.describe()})"
        return Unavailable(_scope_reason([reason], wanted), tree.operation, tree.code)
    if not isinstance(tree, dict):
        return Unavailable(_scope_reason(["organization tree not collected"], wanted), OU_LISTING)
    ous: dict[str, Any] = tree.get("ous", {})
    unread: dict[str, Unavailable] = tree.get("unread", {})
    wanted_ids = {oid for oid, ou in ous.items() if oid in wanted or ou.get("name") in wanted}
    missing = [w for w in wanted if w not in ous and all(o.get("name") != w for o in ous.values())]
    relevant = {
        parent: why
        for parent, why in unread.items()
        if missing or parent in wanted_ids or wanted_ids & _above(parent, ous)
    }
    problems = [f"OU {name!r} not found in the organization" for name in missing]
    problems += [
        f"children of {_label(parent, ous)} could not be read ({why.describe()})"
        for parent, why in sorted(relevant.items())
    ]
    if not problems:
        return None
    first = next(iter(sorted(relevant.items())), None)
    operation, code = (first[1].operation, first[1].code) if first else (OU_LISTING, None)
    return Unavailable(_scope_reason(problems, wanted), operation, code)


def _above(node: str, ous: dict[str, Any]) -> set[str]:
    """Ids of a node and every OU above it."""
    found: set[str] = set()
    while node in ous and node not in found:
        found.add(node)
        node = ous[node].get("parent_id", "")
    return found


def _label(node: str, ous: dict[str, Any]) -> str:
    return f"OU {ous[node].get('name')!r} ({node})" if node in ous else node


def _scope_reason(problems: list[str], wanted: list[str]) -> str:
    return (
        f"workload scope (OUs {', '.join(wanted)}) not fully resolved: "
        + "; ".join(problems)
        + "; accounts of the workload may be missing"
    )


def for_supporting(found: list[Collector]) -> list[Collector]:
    """The collectors worth running in a supporting account."""
    return [c for c in found if SUPPORTING_EVIDENCE & set(c.key_names)]


def supporting_accounts(org: Evidence, chosen: set[str]) -> list[dict[str, str]]:
    """Accounts outside ``chosen`` that hold organization-level evidence ({id, name, role,
    purpose}): the management account and the delegated administrators. In the AWS
    Security Reference Architecture both sit outside the workloads' OUs
    (https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/).
    """
    info = org.get(keys.ORGANIZATION.name)
    if not isinstance(info, dict) or not info.get("in_organization"):
        return []
    listed = org.get(keys.ACCOUNTS.name)
    known = {} if is_unavailable(listed) else {a["id"]: a for a in listed or []}
    management = str(info.get("management_account_id") or "")
    purposes: dict[str, str] = {}
    if management:
        purposes[management] = "management account"
    admins = org.get(keys.DELEGATED_ADMINISTRATORS.name)
    for admin in [] if is_unavailable(admins) or admins is None else admins:
        services = ", ".join(admin.get("services", [])) or "no service"
        purposes.setdefault(str(admin["account_id"]), f"delegated administrator for {services}")
    out = []
    for aid, purpose in purposes.items():
        acct = known.get(aid, {})
        if aid in chosen or acct.get("status") not in {"ACTIVE", None}:
            continue
        role = "management" if aid == management else "member"
        name = str(acct.get("name") or aid)
        out.append({"id": aid, "name": name, "role": role, "purpose": purpose})
    return out
