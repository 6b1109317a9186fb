"""custom_scp_applied counts a guardrail only if its exemptions hold: an exemption by
aws:PrincipalArn on a role name a member account can create is no guardrail unless a Deny
in effect keeps everyone else from creating or taking over roles so named."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.builders import MEMBER, OU_PROD, ROOT, OrgBuilder, call
from wellsec.findings import Status

EXEC = "arn:aws:iam::*:role/stacksets-exec-*"
SLR = "arn:aws:iam::*:role/aws-service-role/stacksets.cloudformation.amazonaws.com/*"
TAKEOVER = [
    "iam:CreateRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
]


def deny(actions: list[str], resource: Any = "*", **condition: Any) -> dict[str, Any]:
    stmt: dict[str, Any] = {"Effect": "Deny", "Action": actions, "Resource": resource}
    if condition:
        stmt["Condition"] = condition
    return stmt


def guarded(exempt: Any, operator: str = "ArnNotLike") -> dict[str, Any]:
    return deny(["cloudtrail:StopLogging"], **{operator: {"aws:PrincipalArn": exempt}})


def verdict(*scps: tuple[str, list[dict[str, Any]], str]) -> Any:
    org = OrgBuilder.standard().without_scp("Guardrails")
    for name, statements, target in scps:
        org.attach_scp(name, statements, target)
    (found,) = call("custom_scp_applied", org.build(), MEMBER)
    return found


@pytest.mark.parametrize("operator", ["ArnNotLike", "StringNotLike", "ArnNotLikeIfExists"])
def test_an_exemption_any_member_can_claim_does_not_count(operator: str) -> None:
    found = verdict(("Protect", [guarded(EXEC, operator)], OU_PROD))
    assert found.status is Status.FAIL
    assert f"Protect (statement 1) exempts {EXEC}" in found.message
    assert "a member account can create or take over a role so named" in found.message


def test_a_protected_exemption_counts_even_from_another_policy() -> None:
    protect = deny(TAKEOVER, [EXEC], ArnNotLike={"aws:PrincipalArn": [EXEC]})
    found = verdict(("Protect", [guarded(EXEC)], OU_PROD), ("Roles", [protect], ROOT))
    assert found.status is Status.PASS
    assert found.message == "custom SCPs in effect: Protect, Roles"


def test_service_linked_roles_need_no_protection() -> None:
    assert verdict(("Protect", [guarded(SLR)], OU_PROD)).status is Status.PASS


@pytest.mark.parametrize(
    "protect",
    [
        pytest.param(deny(TAKEOVER[:1], [EXEC]), id="create-only"),
        pytest.param(deny(TAKEOVER, ["arn:aws:iam::*:role/other"]), id="other-roles"),
        pytest.param(deny(TAKEOVER, ["arn:aws:iam::*:role/stacksets-exec-?"]), id="narrower"),
        pytest.param(
            deny(TAKEOVER, [EXEC], StringEquals={"aws:RequestedRegion": "us-east-1"}),
            id="extra-condition",
        ),
    ],
)
def test_a_protection_that_leaves_a_way_in_does_not_count(protect: dict[str, Any]) -> None:
    found = verdict(("Protect", [guarded(EXEC)], OU_PROD), ("Roles", [protect], ROOT))
    assert found.status is Status.PASS  # Roles itself holds: it has no exemption
    assert found.message.startswith("custom SCPs in effect: Roles; statements not counted:")
    assert f"Protect (statement 1) exempts {EXEC}" in found.message


def test_a_protection_that_spares_a_claimable_role_protects_nothing() -> None:
    admin = "arn:aws:iam::*:role/Admin"
    protect = deny(TAKEOVER, [EXEC], ArnNotLike={"aws:PrincipalArn": admin})
    found = verdict(("Protect", [guarded(EXEC)], OU_PROD), ("Roles", [protect], ROOT))
    assert found.status is Status.FAIL
    assert f"Roles (statement 1) exempts {admin}" in found.message


def test_a_policy_with_one_sound_statement_still_counts_and_names_the_other() -> None:
    sound = deny(["organizations:LeaveOrganization"])
    found = verdict(("Mixed", [guarded(EXEC), sound], OU_PROD))
    assert found.status is Status.PASS
    assert found.message.startswith("custom SCPs in effect: Mixed; statements not counted:")


def test_the_wide_protection_of_a_deny_all_with_an_exemption_covers_itself() -> None:
    admin = "arn:aws:iam::*:role/OrgAdmin"
    wide = deny(["*"], "*", ArnNotLike={"aws:PrincipalArn": admin})
    assert verdict(("Lockdown", [wide], OU_PROD)).status is Status.PASS
