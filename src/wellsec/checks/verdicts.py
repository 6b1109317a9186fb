"""Verdicts, and the early stops that leave a check only its decision: evidence
unavailable, no organization, an account no organization guardrail reaches.

An early stop raises :class:`~wellsec.checks.registry.Undecided`; the registry turns
it into the check's last verdict.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar, overload

from wellsec.checks.registry import CheckContext, Undecided, Verdict
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence.shapes import Organization
from wellsec.findings import Status
from wellsec.snapshot import AccountRole, AccountSnapshot

T = TypeVar("T")

# --- verdicts --------------------------------------------------------------------------------


def unknown(resource: str, value: Unavailable, what: str = "") -> Verdict:
    """UNKNOWN with the reason the evidence is missing."""
    prefix = f"{what}: " if what else ""
    return Verdict(Status.UNKNOWN, resource, prefix + value.describe())


def passed(resource: str, message: str) -> Verdict:
    return Verdict(Status.PASS, resource, message)


def failed(resource: str, message: str) -> Verdict:
    return Verdict(Status.FAIL, resource, message)


def not_applicable(resource: str, message: str) -> Verdict:
    return Verdict(Status.NOT_APPLICABLE, resource, message)


def account_resource(account: AccountSnapshot) -> str:
    return f"arn:aws:::{account.id}"


def hub_resource(account: AccountSnapshot, region: str) -> str:
    return f"arn:aws:securityhub:{region}:{account.id}:hub/default"


# --- early stops -----------------------------------------------------------------------------


def stop(verdict: Verdict) -> NoReturn:
    """End the check with ``verdict``."""
    raise Undecided(verdict)


@overload
def need(value: Unavailable, resource: str, what: str = "") -> NoReturn: ...
@overload
def need(value: T, resource: str, what: str = "") -> T: ...
def need(value: Any, resource: str, what: str = "") -> Any:
    """``value``, or stop the check UNKNOWN on ``resource`` when it is unavailable.

    (Typed by overloads, so that ``need(account.get(key), ...)`` has the key's type.)"""
    if is_unavailable(value):
        stop(unknown(resource, value, what))
    return value


def organization(ctx: CheckContext, outside: Verdict) -> Organization:
    """The organization; stop UNKNOWN (on ``outside``'s resource) when it is unreadable,
    and with ``outside`` when the scanned account belongs to none."""
    org = need(ctx.snapshot.org_get(keys.ORGANIZATION), outside.resource)
    if not org.get("in_organization"):
        stop(outside)
    return org


def member(
    ctx: CheckContext, account: AccountSnapshot, *, standalone: str | None, management: str
) -> None:
    """Stop unless the account is a member of an organization: UNKNOWN when its place is
    unknown, FAIL ``standalone`` outside any organization (None: go on), NOT_APPLICABLE
    ``management`` for the management account."""
    resource = account_resource(account)
    if account.role is AccountRole.UNKNOWN:
        org = ctx.snapshot.org_get(keys.ORGANIZATION)
        reason = (
            org
            if isinstance(org, Unavailable)
            else Unavailable(
                "the account's organization membership is unknown",
                "organizations:DescribeOrganization",
            )
        )
        stop(unknown(resource, reason))
    if account.role is AccountRole.STANDALONE and standalone is not None:
        stop(failed(resource, standalone))
    if account.role is AccountRole.MANAGEMENT:
        stop(not_applicable(resource, management))
