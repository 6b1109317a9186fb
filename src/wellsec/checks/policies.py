"""Reading SCPs: which apply to an account, and what their statements deny."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from typing import Any

from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence.shapes import OrgUnit, Scp
from wellsec.snapshot import Snapshot

FULL_ACCESS = "p-FullAWSAccess"


def effective_scps(snapshot: Snapshot, account_id: str) -> list[Scp] | Unavailable:
    """SCPs attached to the account, any OU above it, or the root."""
    scps = snapshot.org_get(keys.SCPS)
    if is_unavailable(scps):
        return scps
    tree = snapshot.org_get(keys.TREE)
    if is_unavailable(tree):
        return tree
    targets = {account_id, *tree.get("roots", [])}
    parents: dict[str, str] = tree.get("parents", {})
    ous: dict[str, OrgUnit] = tree.get("ous", {})
    node = parents.get(account_id)
    unread: dict[str, Unavailable] = tree.get("unread", {})
    if node is None and unread:  # it may sit below a parent whose children were unread
        return next(iter(unread.values()))
    while node:
        targets.add(node)
        node = ous[node]["parent_id"] if node in ous else None
    return [p for p in scps if {t["id"] for t in p.get("targets", [])} & targets]


def is_custom(policy: Mapping[str, Any]) -> bool:
    return not policy.get("aws_managed") and policy.get("id") != FULL_ACCESS


def deny_statements(policy: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    content = policy.get("content")
    if not isinstance(content, dict):
        return
    statements = content.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    for stmt in statements:
        if isinstance(stmt, dict) and stmt.get("Effect") == "Deny":
            yield stmt


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def denies_action(stmt: dict[str, Any], action: str) -> bool:
    """Does a Deny statement cover ``action`` (Action wildcards or NotAction exemptions)?"""
    action = action.lower()
    if "Action" in stmt:
        return any(fnmatchcase(action, a.lower()) for a in as_list(stmt["Action"]))
    if "NotAction" in stmt:
        return not any(fnmatchcase(action, a.lower()) for a in as_list(stmt["NotAction"]))
    return False


def condition_values(stmt: dict[str, Any], key: str) -> dict[str, list[str]]:
    """Condition operator -> values for one condition key (case-insensitive key match)."""
    found: dict[str, list[str]] = {}
    for operator, body in (stmt.get("Condition") or {}).items():
        if not isinstance(body, dict):
            continue
        for k, v in body.items():
            if k.lower() == key.lower():
                found[operator] = as_list(v)
    return found


def targets_root_principal(stmt: dict[str, Any]) -> bool:
    """Does the statement's condition single out the root user?"""
    for operator, values in condition_values(stmt, "aws:PrincipalArn").items():
        if "Not" in operator:
            continue
        if any(v.endswith(":root") for v in values):
            return True
    return False
