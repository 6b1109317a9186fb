"""Whether an SCP's exemptions hold: a Deny that spares principals by ``aws:PrincipalArn``
is a guardrail only if a member account cannot become such a principal.

aws:PrincipalArn is the ARN of the role (path included), whoever assumed it
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn),
so exempting ``role/stacksets-exec-*`` spares any role a member administrator names so.
An exemption holds when it names only service-linked roles (path /aws-service-role/:
created and changed by their service alone, and out of every SCP's reach anyway:
https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
or when a Deny in effect denies creating and taking over roles that match it to everyone
but such roles: AWS's "Prevent IAM principals from making certain changes" example with
iam:CreateRole (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from wellsec.checks.policies import condition_values, denies_action, deny_statements

PRINCIPAL = "aws:PrincipalArn"
NEGATED = ("StringNotEquals", "StringNotLike", "ArnNotEquals", "ArnNotLike")
# Enough to become or take over a role: create it, trust oneself, or give it more rights.
TAKEOVER = (
    "iam:CreateRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
)
SERVICE_LINKED = re.compile(r"^arn:aws[a-z-]*:iam::[^:]*:role/aws-service-role/")


def _negated(operator: str) -> bool:
    return operator.removesuffix("IfExists") in NEGATED


def exemptions(stmt: dict[str, Any]) -> list[str]:
    """The principal ARN patterns a Deny statement spares."""
    return [
        v
        for operator, values in condition_values(stmt, PRINCIPAL).items()
        if _negated(operator)
        for v in values
    ]


def _covers(pattern: str, name: str) -> bool:
    """Does the Resource ``pattern`` match every ARN the pattern ``name`` matches?

    Checked part by part of the ARN; ``*`` in ``pattern`` may stand for anything in
    ``name``, wildcards of ``name`` included, and a ``?`` in ``pattern`` covers nothing
    wider than one character, so it is not trusted."""
    if pattern == "*":
        return True
    wanted, parts = pattern.split(":", 5), name.split(":", 5)
    if len(wanted) != 6 or len(parts) != 6 or "?" in pattern:
        return False
    return all(
        re.fullmatch("".join(".*" if c == "*" else re.escape(c) for c in w), p, re.DOTALL)
        for w, p in zip(wanted, parts, strict=True)
    )


def _resources(stmt: dict[str, Any]) -> list[str]:
    value = stmt.get("Resource")
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _protects(stmt: dict[str, Any], name: str) -> bool:
    """Does the Deny statement keep everyone but safe principals from making ``name``?"""
    if not all(denies_action(stmt, action) for action in TAKEOVER):
        return False
    if not any(_covers(r, name) for r in _resources(stmt)):
        return False
    for operator, body in (stmt.get("Condition") or {}).items():
        if not isinstance(body, dict) or not _negated(operator):
            return False  # another condition may not hold for the member administrator
        if any(key.lower() != PRINCIPAL.lower() for key in body):
            return False
    spared = exemptions(stmt)
    return all(
        SERVICE_LINKED.match(p) or any(_covers(r, p) for r in _resources(stmt)) for p in spared
    )


def unprotected(stmt: dict[str, Any], in_effect: Iterable[Mapping[str, Any]]) -> list[str]:
    """The exemptions of ``stmt`` a member account could use: neither service-linked roles
    nor protected by a Deny of the SCPs ``in_effect``."""
    guards = [s for policy in in_effect for s in deny_statements(policy)]
    return [
        name
        for name in exemptions(stmt)
        if not SERVICE_LINKED.match(name) and not any(_protects(g, name) for g in guards)
    ]


def bypasses(
    policy: Mapping[str, Any], in_effect: Sequence[Mapping[str, Any]]
) -> Iterator[tuple[str, str]]:
    """(statement label, exemption) for every exemption of the policy a member could use."""
    for number, stmt in enumerate(deny_statements(policy), 1):
        for name in unprotected(stmt, in_effect):
            yield str(stmt.get("Sid") or f"statement {number}"), name


def holds(policy: Mapping[str, Any], in_effect: Sequence[Mapping[str, Any]]) -> bool:
    """A custom SCP is a guardrail unless each of its Deny statements can be bypassed."""
    denies = list(deny_statements(policy))
    return not denies or any(not unprotected(s, in_effect) for s in denies)
