"""Which accounts a scan reads, from organization evidence built here."""

from __future__ import annotations

from typing import Any

from wellsec.collect.scope import select_accounts, supporting_accounts, unresolved_scope
from wellsec.evidence import Unavailable
from wellsec.workload import Workload

MANAGEMENT, TOOLING, PROD, LOST = "111111111111", "222222222222", "333333333333", "444444444444"
ROOT, SECURITY, WORKLOADS, TEAM = "r-root", "ou-security", "ou-workloads", "ou-team"
DENIED = Unavailable("access denied", "organizations:ListAccountsForParent", "AccessDenied")


def _org(unread: dict[str, Unavailable] | None = None, **extra: Any) -> dict[str, Any]:
    tree: dict[str, Any] = {
        "roots": [ROOT],
        "ous": {
            SECURITY: {"name": "Security", "parent_id": ROOT},
            WORKLOADS: {"name": "Workloads", "parent_id": ROOT},
            TEAM: {"name": "Team", "parent_id": WORKLOADS},
        },
        "parents": {MANAGEMENT: ROOT, TOOLING: SECURITY, PROD: TEAM},
    }
    if unread:
        tree["unread"] = unread
    ids = (MANAGEMENT, TOOLING, PROD, LOST)
    return {
        "organization": {"in_organization": True, "management_account_id": MANAGEMENT},
        "accounts": [{"id": a, "name": f"n{a[0]}", "status": "ACTIVE"} for a in ids],
        "tree": tree,
        **extra,
    }


def _workload(*ous: str) -> Workload:
    return Workload(name="payments", ous=list(ous))


def test_accounts_below_a_nested_ou_are_selected() -> None:
    selected, note = select_accounts(_workload("Workloads"), _org(), MANAGEMENT)
    assert [a["id"] for a in selected] == [PROD]
    assert note is None


def test_an_unread_parent_below_a_wanted_ou_leaves_the_scope_unresolved() -> None:
    org = _org({TEAM: DENIED})
    selected, note = select_accounts(_workload("Workloads"), org, MANAGEMENT)
    assert [a["id"] for a in selected] == [PROD]  # what was read still counts
    why = unresolved_scope(_workload("Workloads"), org)
    assert why is not None and why.code == "AccessDenied"
    assert note == why.reason
    assert "children of OU 'Team' (ou-team) could not be read" in why.reason


def test_an_unread_parent_outside_every_wanted_ou_does_not_matter() -> None:
    assert unresolved_scope(_workload("Workloads"), _org({SECURITY: DENIED})) is None


def test_a_missing_ou_is_unresolved_and_any_unread_parent_may_hold_it() -> None:
    plain = unresolved_scope(_workload("Payments"), _org())
    assert plain is not None and "OU 'Payments' not found" in plain.reason
    assert plain.code is None
    hidden = unresolved_scope(_workload("Payments"), _org({SECURITY: DENIED}))
    assert hidden is not None and "ou-security" in hidden.reason
    assert hidden.code == "AccessDenied"


def test_an_unreadable_tree_is_unresolved_for_ous_only() -> None:
    org = _org()
    org["tree"] = DENIED
    why = unresolved_scope(_workload("Workloads"), org)
    assert why is not None and why.operation == DENIED.operation
    assert unresolved_scope(_workload(), org) is None
    assert unresolved_scope(Workload(name="payments", accounts=[PROD]), org) is None


def test_supporting_accounts_are_management_and_delegated_administrators() -> None:
    admins = [{"account_id": TOOLING, "services": ["guardduty.amazonaws.com"]}]
    found = supporting_accounts(_org(delegated_administrators=admins), {PROD})
    assert {a["id"]: a["purpose"] for a in found} == {
        MANAGEMENT: "management account",
        TOOLING: "delegated administrator for guardduty.amazonaws.com",
    }
    assert supporting_accounts(_org(delegated_administrators=admins), {PROD, TOOLING}) == [
        {"id": MANAGEMENT, "name": "n1", "role": "management", "purpose": "management account"}
    ]
    unknown = Unavailable("access denied", "organizations:ListDelegatedAdministrators")
    assert [
        a["id"] for a in supporting_accounts(_org(delegated_administrators=unknown), set())
    ] == [MANAGEMENT]
    assert supporting_accounts({"organization": {"in_organization": False}}, set()) == []
