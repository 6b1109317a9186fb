"""SEC01-BP08: a review calendar that is kept, read from the review history.

Until the store holds an earlier review of the workload, the attestation
``security_review_calendar`` decides; once it does, the history decides and
the attestation is superseded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.verdicts import failed, not_applicable, passed
from wellsec.findings import Scope, Severity

BP = "SEC01-BP08"
SUPERSEDES = "security_review_calendar"


def superseded(history: tuple[dt.datetime, ...] | None) -> frozenset[str]:
    """Attestations the review history replaces (none until there is history)."""
    return frozenset({SUPERSEDES}) if history else frozenset()


@checks.register(
    id="review_calendar_kept",
    title="The workload was reviewed within its cadence (from the review history)",
    best_practice=BP,
    scope=Scope.WORKLOAD,
    severity=Severity.MEDIUM,
    evidence=("review_history",),
    iam_actions=(),
    remediation="Review the workload at least every review_cadence_days (wellsec due lists "
    "what is due), and record each review in the store.",
)
def review_calendar_kept(ctx: CheckContext) -> Iterator[Verdict]:
    resource = f"workload/{ctx.workload.name}/review-calendar"
    cadence = ctx.workload.review_cadence_days
    if ctx.review_history is None:
        yield not_applicable(
            resource,
            "no review history was consulted (offline or --no-store): "
            f"the attestation {SUPERSEDES} decides",
        )
        return
    if not ctx.review_history:
        yield not_applicable(
            resource,
            f"first recorded review of this workload: the attestation {SUPERSEDES} decides "
            "until there is history",
        )
        return
    last = max(ctx.review_history)
    days = (ctx.now - last).days
    due = last + dt.timedelta(days=cadence)
    if days <= cadence:
        yield passed(
            resource,
            f"previous review {last:%Y-%m-%d} ({days} days ago), within the {cadence}-day "
            f"cadence; {len(ctx.review_history)} earlier reviews recorded",
        )
    else:
        yield failed(
            resource,
            f"previous review {last:%Y-%m-%d} ({days} days ago): the {cadence}-day cadence "
            f"made this review due on {due:%Y-%m-%d}",
        )
