"""Enforce the organization's region-deny SCPs on member accounts, as AWS does.

moto stores SCPs but never enforces them. When enforcement is on
(:func:`enforce_region_scps`), a request from a member account is refused with the
protocol's AccessDenied (EC2: UnauthorizedOperation) when a Deny statement of an SCP
on the account's path (root, its OUs, the account) matches it: the action is covered
(``Action``/``NotAction`` with wildcards) and the statement's conditions hold. Only
conditions on ``aws:RequestedRegion`` (the region the request is signed for; global
services sign for us-east-1) and on ``aws:PrincipalArn`` are evaluated; a statement
with any other condition key is not enforced. SCPs never apply to the management
account. Sources:
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from typing import Any

from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Reply, RequestInfo, access_denied, caller_arn

NAMESPACE = "scp"
SCP_TYPE = "SERVICE_CONTROL_POLICY"


def enforce_region_scps(state: GapState, on: bool = True) -> None:
    """Turn enforcement of SCP Deny statements (region and principal conditions) on or off."""
    state.put(NAMESPACE, "enforce", on)


def _values(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _path_policies(account_id: str) -> list[str] | None:
    """Contents of the SCPs on a member account's path; None when SCPs do not apply."""
    from moto.organizations.models import organizations_backends

    owner = organizations_backends.master_accounts.get(account_id)
    if owner is None or owner[0] == account_id:
        return None  # not in an organization, or the management account
    backend = organizations_backends[owner[0]][owner[1]]
    nodes: dict[str, Any] = {a.id: a for a in backend.accounts}
    nodes.update({ou.id: ou for ou in backend.ou})
    contents: list[str] = []
    node = nodes.get(account_id)
    seen: set[str] = set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        contents += [str(p.content) for p in node.attached_policies if p.type == SCP_TYPE]
        node = nodes.get(getattr(node, "parent_id", None) or "")
    return contents


def _operator(name: str) -> str:
    base = name.split(":", 1)[1] if ":" in name else name
    return base.removesuffix("IfExists").lower()


def _condition_holds(operator: str, actual: str, patterns: list[str]) -> bool | None:
    """One condition on a single-valued key; None for operators not modelled here."""
    op = _operator(operator)
    if op.startswith(("string", "arn")) and "like" in op:
        hit = any(fnmatchcase(actual, p) for p in patterns)
    elif op.startswith("string") and "ignorecase" in op:
        hit = actual.lower() in {p.lower() for p in patterns}
    elif op.startswith("string") or op.startswith("arn"):
        hit = actual in patterns
    else:
        return None
    return not hit if "not" in op else hit


def _covers(stmt: dict[str, Any], action: str) -> bool:
    action = action.lower()
    if "Action" in stmt:
        return any(fnmatchcase(action, a.lower()) for a in _values(stmt["Action"]))
    if "NotAction" in stmt:
        return not any(fnmatchcase(action, a.lower()) for a in _values(stmt["NotAction"]))
    return False


def _denies(stmt: dict[str, Any], info: RequestInfo, principal: str) -> bool:
    if stmt.get("Effect") != "Deny" or not _covers(stmt, info.action):
        return False
    context = {"aws:requestedregion": info.region, "aws:principalarn": principal}
    for operator, body in (stmt.get("Condition") or {}).items():
        if not isinstance(body, dict):
            return False
        for key, value in body.items():
            actual = context.get(key.lower())
            if actual is None:
                return False  # a condition this layer does not model: not enforced
            holds = _condition_holds(str(operator), actual, _values(value))
            if not holds:
                return False
    return True


def _statements(content: str) -> list[dict[str, Any]]:
    try:
        document = json.loads(content)
    except ValueError:
        return []
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    statements = [statements] if isinstance(statements, dict) else statements
    return [s for s in statements if isinstance(s, dict)]


def enforce(info: RequestInfo, state: GapState) -> Reply | None:
    """AccessDenied when an SCP on the caller's path denies this request, else None."""
    if not state.get(NAMESPACE, "enforce", False):
        return None
    contents = _path_policies(info.account_id)
    if not contents:
        return None
    principal = _principal_arn(info)
    for content in contents:
        if any(_denies(stmt, info, principal) for stmt in _statements(content)):
            return access_denied(info)
    return None


def _principal_arn(info: RequestInfo) -> str:
    """aws:PrincipalArn: for an assumed-role session, the role's ARN, not the session's
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
    """
    arn = caller_arn(info)
    if ":assumed-role/" in arn:
        prefix, rest = arn.split(":assumed-role/", 1)
        return prefix.replace(":sts:", ":iam:") + ":role/" + rest.split("/", 1)[0]
    return arn
