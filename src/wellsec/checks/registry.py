"""The check registry. Each check registers itself with its metadata; nothing is implicit.

A check function receives a :class:`CheckContext` and, by scope, an account and
a region, and returns :class:`Verdict` values; the runner turns them into findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from wellsec.evidence import Unavailable
from wellsec.findings import Scope, Severity, Status
from wellsec.snapshot import AccountRole, AccountSnapshot, Snapshot
from wellsec.workload import Workload


@dataclass(frozen=True)
class Verdict:
    status: Status
    resource: str
    message: str


@dataclass(frozen=True)
class CheckContext:
    """What a check may look at: the snapshot, the workload file, the time, and the
    documents the workload points at (threat models), read at evaluation time."""

    snapshot: Snapshot
    workload: Workload
    now: dt.datetime
    threat_models: tuple[Any, ...] = ()
    # When earlier reviews of this workload were recorded (None: no store consulted).
    review_history: tuple[dt.datetime, ...] | None = None

    @property
    def approved_regions(self) -> list[str]:
        return list(self.workload.regions or self.snapshot.regions)


CheckFn = Callable[..., Iterable[Verdict]]


@dataclass(frozen=True)
class CheckSpec:
    """A registered check and everything it declares about itself.

    ``best_practice`` is the practice it serves in the seed lens (``sec01@2022``), or
    None for a check that lens has no practice for. A lens that lists its checks
    (x-wellsec ``checks``) decides for itself: see :mod:`wellsec.checks.practices`.
    """

    id: str
    title: str
    best_practice: str | None
    scope: Scope
    severity: Severity
    evidence: tuple[str, ...]
    iam_actions: tuple[str, ...]
    remediation: str
    fn: CheckFn

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "best_practice": self.best_practice,
            "scope": self.scope.value,
            "severity": self.severity.value,
            "evidence": list(self.evidence),
            "iam_actions": list(self.iam_actions),
            "remediation": self.remediation,
        }


class CheckRegistry:
    def __init__(self) -> None:
        self._checks: dict[str, CheckSpec] = {}

    def register(
        self,
        *,
        id: str,
        title: str,
        best_practice: str | None,
        scope: Scope,
        severity: Severity,
        evidence: tuple[str, ...],
        iam_actions: tuple[str, ...],
        remediation: str,
    ) -> Callable[[CheckFn], CheckFn]:
        def wrap(fn: CheckFn) -> CheckFn:
            if id in self._checks:
                raise ValueError(f"check {id!r} registered twice")
            self._checks[id] = CheckSpec(
                id, title, best_practice, scope, severity, evidence, iam_actions, remediation, fn
            )
            return fn

        return wrap

    def all(self) -> list[CheckSpec]:
        return sorted(self._checks.values(), key=lambda c: (c.best_practice or "~", c.id))

    def get(self, check_id: str) -> CheckSpec:
        return self._checks[check_id]


checks = CheckRegistry()


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


def role_unknown(ctx: CheckContext, account: AccountSnapshot) -> Verdict | None:
    """UNKNOWN when the account's place in the organization could not be read."""
    if account.role is not AccountRole.UNKNOWN:
        return None
    org = ctx.snapshot.org_get("organization")
    reason = (
        org
        if isinstance(org, Unavailable)
        else Unavailable(
            "the account's organization membership is unknown", "organizations:DescribeOrganization"
        )
    )
    return unknown(account_resource(account), reason)


def account_resource(account: AccountSnapshot) -> str:
    return f"arn:aws:::{account.id}"
