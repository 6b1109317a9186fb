"""review_calendar_kept: the review history decides BP08's calendar once it exists."""

from __future__ import annotations

import datetime as dt

from tests.checks.builders import NOW, OrgBuilder, lens, workload
from wellsec.checks.registry import CheckContext
from wellsec.checks.runner import run_checks
from wellsec.findings import Finding, Status
from wellsec.workload import Attestation


def _findings(history: tuple[dt.datetime, ...] | None, cadence: int = 90) -> list[Finding]:
    attested = Attestation(id="security_review_calendar", by="me", date=NOW.date())
    wl = workload(review_cadence_days=cadence, attestations=[attested])
    ctx = CheckContext(OrgBuilder.standard().build(), wl, NOW, review_history=history)
    return run_checks(ctx, lens())


def _one(findings: list[Finding], check: str) -> Finding:
    (found,) = [f for f in findings if f.check == check]
    return found


def test_recent_review_passes_and_supersedes_the_attestation() -> None:
    findings = _findings((NOW - dt.timedelta(days=200), NOW - dt.timedelta(days=30)))
    kept = _one(findings, "review_calendar_kept")
    assert kept.status is Status.PASS
    assert "30 days ago" in kept.message and "2 earlier reviews" in kept.message
    assert kept.account is None and kept.best_practice == "SEC01-BP08"
    attestation = _one(findings, "attest.security_review_calendar")
    assert attestation.status is Status.NOT_APPLICABLE
    assert "superseded" in attestation.message


def test_overdue_review_fails_with_the_due_date() -> None:
    findings = _findings((NOW - dt.timedelta(days=120),), cadence=90)
    kept = _one(findings, "review_calendar_kept")
    assert kept.status is Status.FAIL
    due = (NOW - dt.timedelta(days=30)).date().isoformat()
    assert due in kept.message


def test_without_history_the_attestation_decides() -> None:
    for history in (None, ()):
        findings = _findings(history)
        assert _one(findings, "review_calendar_kept").status is Status.NOT_APPLICABLE
        assert _one(findings, "attest.security_review_calendar").status is Status.PASS
