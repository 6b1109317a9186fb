"""Findings + attestations + lens -> best-practice statuses, the question's risk and the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from wellsec.attest.threat_model import load_reports
from wellsec.checks.registry import CheckContext, checks
from wellsec.checks.runner import ATTESTATION_PREFIX, run_checks
from wellsec.evidence import keys
from wellsec.findings import Finding, Scope, Severity, Status
from wellsec.lens.model import BestPractice, ImprovementItem, Lens, QuestionRisk
from wellsec.provenance import Provenance, missing_accounts
from wellsec.report.model import PracticeStatus as PracticeStatus  # re-exported
from wellsec.snapshot import AccountStatus, Snapshot
from wellsec.workload import Workload


def aggregate(findings: Iterable[Finding]) -> PracticeStatus:
    """Any deciding FAIL -> NOT_MET; else any UNKNOWN -> UNKNOWN; else any PASS -> MET."""
    statuses = {f.status for f in findings if f.severity is not Severity.INFORMATIONAL}
    if Status.FAIL in statuses:
        return PracticeStatus.NOT_MET
    if Status.UNKNOWN in statuses:
        return PracticeStatus.UNKNOWN
    if Status.PASS in statuses:
        return PracticeStatus.MET
    if Status.NOT_APPLICABLE in statuses:
        return PracticeStatus.NOT_APPLICABLE
    return PracticeStatus.NOT_MET


@dataclass(frozen=True)
class PracticeResult:
    practice: BestPractice
    status: PracticeStatus
    accounts: dict[str, PracticeStatus]
    note: str
    assessment: str  # automated | partly automated | attested


@dataclass(frozen=True)
class PlanEntry:
    practice: BestPractice
    status: PracticeStatus
    items: tuple[ImprovementItem, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Review:
    lens: Lens
    workload: Workload
    created_at: dt.datetime
    risk: QuestionRisk
    practices: tuple[PracticeResult, ...]
    findings: tuple[Finding, ...]
    plan: tuple[PlanEntry, ...]
    snapshot: Snapshot
    notes: tuple[str, ...] = field(default=())
    provenance: Provenance | None = None  # how it was made; set by whoever made it

    @property
    def complete(self) -> bool:
        """No UNKNOWN finding, every account scanned, and the scope fully read."""
        return (
            not self.notes
            and all(f.status is not Status.UNKNOWN for f in self.findings)
            and all(a.status is AccountStatus.SCANNED for a in self.snapshot.accounts)
        )


def _note(status: PracticeStatus, findings: list[Finding]) -> str:
    if status is PracticeStatus.MET:
        return "met"
    if status is PracticeStatus.NOT_APPLICABLE:
        return "does not apply"
    deciding = [f for f in findings if f.severity is not Severity.INFORMATIONAL]
    unanswered = [f for f in deciding if f.message.startswith("not yet answered")]
    if (
        status is PracticeStatus.NOT_MET
        and unanswered
        and len(unanswered) == len([f for f in deciding if f.status is Status.FAIL])
    ):
        return "not yet answered"
    fails = sum(1 for f in deciding if f.status is Status.FAIL)
    unknowns = sum(1 for f in deciding if f.status is Status.UNKNOWN)
    parts = [f"{fails} failing" if fails else "", f"{unknowns} unknown" if unknowns else ""]
    return ", ".join(p for p in parts if p) or "no evidence"


def _assessment(findings: list[Finding]) -> str:
    attested = any(f.check.startswith(ATTESTATION_PREFIX) for f in findings)
    automated = any(not f.check.startswith(ATTESTATION_PREFIX) for f in findings)
    if automated and attested:
        return "partly automated"
    return "automated" if automated else "attested"


def question_risk(lens: Lens, results: Iterable[PracticeResult]) -> QuestionRisk:
    results = list(results)
    if results and all(r.status is PracticeStatus.NOT_APPLICABLE for r in results):
        return QuestionRisk.NOT_APPLICABLE
    if results and all(r.status is PracticeStatus.UNKNOWN for r in results):
        return QuestionRisk.UNANSWERED
    selected = frozenset(
        r.practice.choice_id
        for r in results
        if r.status in {PracticeStatus.MET, PracticeStatus.NOT_APPLICABLE}
    )
    return lens.risk_for(selected)


def build_review(
    lens: Lens, workload: Workload, snapshot: Snapshot, findings: list[Finding], now: dt.datetime
) -> Review:
    account_ids = [a.id for a in snapshot.accounts]
    results: list[PracticeResult] = []
    for bp in lens.best_practices:
        mine = [f for f in findings if f.best_practice == bp.id]
        shared = [f for f in mine if _shared(f)]
        own = [f for f in mine if not _shared(f)]
        per_account = {}
        for aid in account_ids:
            theirs = [f for f in own if f.account == aid]
            per_account[aid] = aggregate(theirs) if theirs else aggregate(shared)
        status = aggregate(mine)
        results.append(
            PracticeResult(bp, status, per_account, _note(status, mine), _assessment(mine))
        )
    missing = [r for r in results if r.status in {PracticeStatus.NOT_MET, PracticeStatus.UNKNOWN}]
    missing.sort(key=lambda r: (r.practice.risk_if_missing.rank, r.practice.id))
    plan = tuple(
        PlanEntry(
            r.practice,
            r.status,
            r.practice.items,
            tuple(
                f
                for f in findings
                if f.best_practice == r.practice.id and f.status in {Status.FAIL, Status.UNKNOWN}
            ),
        )
        for r in missing
    )
    notes = []
    for account in snapshot.accounts:
        if account.status is AccountStatus.UNREACHABLE:
            notes.append(f"account {account.id} ({account.name}) not scanned: {account.reason}")
    note = snapshot.org_get(keys.SCAN_NOTE)
    if isinstance(note, str):
        notes.append(note)
    for account_id, name in missing_accounts(snapshot, workload):
        notes.append(
            f"account {account_id} ({name}) is in scope and listed in the snapshot's "
            "organization evidence, but the snapshot holds no evidence for it"
        )
    return Review(
        lens=lens,
        workload=workload,
        created_at=now,
        risk=question_risk(lens, results),
        practices=tuple(results),
        findings=tuple(findings),
        plan=plan,
        snapshot=snapshot,
        notes=tuple(notes),
    )


def _shared(finding: Finding) -> bool:
    """Organization- and workload-level findings: they decide an account's status only
    where the account has no evidence of its own for the practice."""
    if finding.account is None or finding.check.startswith(ATTESTATION_PREFIX):
        return True
    return checks.get(finding.check).scope is Scope.ORG


def evaluate(
    snapshot: Snapshot,
    workload: Workload,
    lens: Lens,
    now: dt.datetime | None = None,
    history: tuple[dt.datetime, ...] | None = None,
) -> Review:
    """The whole offline half of the pipeline: checks, attestations, statuses, risk, plan."""
    when = now or dt.datetime.now(dt.UTC)
    ctx = CheckContext(
        snapshot=snapshot,
        workload=workload,
        now=when,
        threat_models=load_reports(list(workload.threat_model), when),
        review_history=history,
    )
    findings = run_checks(ctx, lens)
    return build_review(lens, workload, snapshot, findings, when)
