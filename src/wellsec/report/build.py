"""A review, computed once into its report: everything a renderer, the store or an
integration needs that the review would otherwise look up in the check registry
(the regions the organization's SCPs deny, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wellsec import __version__
from wellsec.checks.region_scps import all_scp_denied_regions
from wellsec.report.model import (
    LensInfo,
    PlanItem,
    PlanStep,
    PracticeReport,
    QuestionInfo,
    Report,
    Resource,
    ScanAccount,
    ScanInfo,
    ScpDenial,
    SupportingAccount,
    Tool,
    WorkloadInfo,
)

if TYPE_CHECKING:
    from wellsec.review import Review


def build_report(review: Review) -> Report:
    """The report of ``review`` (``wellsec.review/1``'s content, typed)."""
    lens = review.lens
    snap = review.snapshot
    unresolved = snap.unresolved_scope()
    return Report(
        generated_at=review.created_at,
        tool=Tool("wellsec", __version__),
        workload=WorkloadInfo(
            name=review.workload.name,
            environment=review.workload.environment,
            owner=review.workload.owner,
            regions=tuple(review.workload.regions),
        ),
        lens=LensInfo(lens.id, lens.version, lens.name),
        question=QuestionInfo(lens.wa_question_id, lens.question_title, review.risk),
        complete=review.complete,
        best_practices=tuple(
            PracticeReport(
                id=r.practice.id,
                choice_id=r.practice.choice_id,
                title=r.practice.title,
                status=r.status,
                risk_if_missing=r.practice.risk_if_missing,
                assessment=r.assessment,
                note=r.note,
                accounts=dict(r.accounts),
            )
            for r in review.practices
        ),
        findings=review.findings,
        improvement_plan=tuple(
            PlanStep(
                best_practice=e.practice.id,
                title=e.practice.title,
                status=e.status,
                risk_if_missing=e.practice.risk_if_missing,
                items=tuple(
                    PlanItem(
                        item.title,
                        item.text,
                        tuple(Resource(r.name, r.url) for r in item.resources),
                    )
                    for item in e.items
                ),
                findings=e.findings,
            )
            for e in review.plan
        ),
        scan=ScanInfo(
            accounts=tuple(
                ScanAccount(a.id, a.name, a.role, a.status, a.reason) for a in snap.accounts
            ),
            supporting_accounts=tuple(
                SupportingAccount(a.id, a.name, a.role, a.purpose, a.status, a.reason)
                for a in snap.supporting
            ),
            unresolved_scope=unresolved.describe() if unresolved else None,
            regions=tuple(snap.regions),
            scp_denied_regions=tuple(
                ScpDenial(d.account_id, d.region, d.rule.policy_id, d.rule.policy_name)
                for d in all_scp_denied_regions(snap)
            ),
            api_calls=snap.api_calls,
            duration_seconds=snap.duration_seconds,
        ),
        notes=review.notes,
        provenance=review.provenance,
    )
