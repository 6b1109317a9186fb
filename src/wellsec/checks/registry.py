"""The check registry. Each check registers itself with its metadata; nothing is implicit.

A check function receives a :class:`CheckContext` and, by scope, an account and
a region, and returns :class:`Verdict` values; the runner turns them into findings.
A check may stop early by raising :class:`Undecided` with its last verdict (the
helpers of :mod:`wellsec.checks.support` do, for missing evidence and the like).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from wellsec.evidence import Key
from wellsec.findings import Scope, Severity, Status
from wellsec.snapshot import Snapshot
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


class Undecided(Exception):
    """Raised inside a check to end it with ``verdict`` (its last one)."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.message)
        self.verdict = verdict


def _until_undecided(fn: CheckFn) -> CheckFn:
    @functools.wraps(fn)
    def run(*args: Any) -> Iterator[Verdict]:
        try:
            yield from fn(*args)
        except Undecided as stop:
            yield stop.verdict

    return run


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
        evidence: tuple[Key[Any] | str, ...],
        iam_actions: tuple[str, ...],
        remediation: str,
    ) -> Callable[[CheckFn], CheckFn]:
        """Register a check; ``evidence`` names the evidence keys it reads (or, for a
        document the workload points at, its name)."""
        names = tuple(str(key) for key in evidence)

        def wrap(fn: CheckFn) -> CheckFn:
            if id in self._checks:
                raise ValueError(f"check {id!r} registered twice")
            run = _until_undecided(fn)
            self._checks[id] = CheckSpec(
                id, title, best_practice, scope, severity, names, iam_actions, remediation, run
            )
            return run

        return wrap

    def all(self) -> list[CheckSpec]:
        return sorted(self._checks.values(), key=lambda c: (c.best_practice or "~", c.id))

    def get(self, check_id: str) -> CheckSpec:
        return self._checks[check_id]


checks = CheckRegistry()
