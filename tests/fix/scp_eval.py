"""A small evaluator of service control policies, to test what the generated SCPs do.

No maintained library evaluates SCP conditions faithfully: moto's engine
(moto/iam/access_control.py) knows only StringEquals and treats a Deny whose condition
does not hold as a denial; npkt takes aws:PrincipalArn of a role session to be the
session's ARN and matches ARNs as one glob; principalmapper has not been released since
2022. So this follows AWS's documented logic, for the elements and operators SCPs use,
and raises on anything else rather than guess:

- a request is denied by any matching Deny, and must be allowed by an Allow at every level
  of the organization (root, each OU, the account): FullAWSAccess is that Allow
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
- actions match case-insensitively, with * and ? wildcards
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html);
- resources and ARN conditions match each of the six colon-separated parts of the ARN on
  its own, case-sensitively, with * and ? wildcards; an action without a resource type is
  matched only by "*"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN);
- condition keys are case-insensitive; operators AND together, keys of one operator AND
  together, values of one key OR together (NOR for a negated operator); a key missing from
  the request fails a positive operator, satisfies a negated one and any ...IfExists one
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html,
  reference_policies_elements_condition_operators.html);
- aws:PrincipalArn is the ARN of the role, path included, not of the role session
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

FULL_ACCESS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
ELEMENTS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
POSITIVE = {
    "StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "Bool",
}  # fmt: skip
NEGATED = {
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "ArnNotEquals",
    "ArnNotLike",
}


@dataclass(frozen=True)
class Request:
    """One API call: its IAM action, the role or user making it, and its resource."""

    action: str
    principal_arn: str
    resource: str = "*"  # "*": the action has no resource type
    context: Mapping[str, str] = field(default_factory=dict)

    def value(self, key: str) -> str | None:
        if key.lower() == "aws:principalarn":
            return self.principal_arn
        found = {k.lower(): v for k, v in self.context.items()}
        return found.get(key.lower())


def _glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    if "${" in pattern:
        raise NotImplementedError(f"policy variables: {pattern}")
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return (
        re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)
        is not None
    )


def arn_like(pattern: str, value: str) -> bool:
    """ArnLike: each of the six parts on its own (the last may hold colons)."""
    parts, wanted = value.split(":", 5), pattern.split(":", 5)
    if len(parts) != 6 or len(wanted) != 6:
        return False
    return all(_glob(w, p) for w, p in zip(wanted, parts, strict=True))


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _resource_matches(pattern: str, resource: str) -> bool:
    if pattern == "*":
        return True
    return resource != "*" and arn_like(pattern, resource)


def _one(operator: str, wanted: str, value: str) -> bool:
    base = operator.replace("Not", "", 1) if operator in NEGATED else operator
    if base == "StringEquals":
        return wanted == value
    if base == "StringEqualsIgnoreCase":
        return wanted.lower() == value.lower()
    if base == "StringLike":
        return _glob(wanted, value)
    if base in ("ArnEquals", "ArnLike"):
        return arn_like(wanted, value)
    if base == "Bool":
        return wanted.lower() == value.lower()
    raise NotImplementedError(operator)


def _condition_holds(operator: str, body: Mapping[str, Any], request: Request) -> bool:
    if operator.startswith(("ForAnyValue:", "ForAllValues:")):
        raise NotImplementedError(operator)
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    for key, wanted in body.items():
        value = request.value(key)
        if operator == "Null":
            if (value is None) != (_list(wanted)[0].lower() == "true"):
                return False
            continue
        if operator not in POSITIVE | NEGATED:
            raise NotImplementedError(operator)
        if value is None:
            if if_exists or operator in NEGATED:
                continue
            return False
        matched = any(_one(operator, w, value) for w in _list(wanted))
        if matched == (operator in NEGATED):
            return False
    return True


def statement_applies(statement: Mapping[str, Any], request: Request) -> bool:
    """Does the statement cover the request (action, resource and every condition)?"""
    unknown = set(statement) - ELEMENTS
    if unknown:
        raise NotImplementedError(f"statement elements {sorted(unknown)}")
    if "Action" in statement:
        if not any(_glob(a, request.action, True) for a in _list(statement["Action"])):
            return False
    elif any(_glob(a, request.action, True) for a in _list(statement["NotAction"])):
        return False
    if "Resource" in statement:
        if not any(_resource_matches(r, request.resource) for r in _list(statement["Resource"])):
            return False
    elif any(_resource_matches(r, request.resource) for r in _list(statement["NotResource"])):
        return False
    conditions = statement.get("Condition") or {}
    return all(_condition_holds(op, body, request) for op, body in conditions.items())


def _statements(policy: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = policy["Statement"]
    return [found] if isinstance(found, dict) else list(found)


def decide(levels: Iterable[Iterable[Mapping[str, Any]]], request: Request) -> str:
    """ "Allow" or "Deny" for the request under the SCPs of each level of the organization."""
    levels = [list(level) for level in levels]
    for policy in (p for level in levels for p in level):
        for statement in _statements(policy):
            if statement["Effect"] == "Deny" and statement_applies(statement, request):
                return "Deny"
    for level in levels:
        allowed = any(
            s["Effect"] == "Allow" and statement_applies(s, request)
            for p in level
            for s in _statements(p)
        )
        if not allowed:
            return "Deny"  # no Allow at this level: implicitly denied
    return "Allow"
