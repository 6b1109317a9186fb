"""The JSON review report (schema ``wellsec.review/1``): a stable contract."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from wellsec import __version__
from wellsec.checks.region_scps import all_scp_denied_regions
from wellsec.render.safe import json_escapes

if TYPE_CHECKING:
    from wellsec.review import Review

SCHEMA = "wellsec.review/1"


def review_to_dict(review: Review) -> dict[str, Any]:
    lens = review.lens
    snap = review.snapshot
    unresolved = snap.unresolved_scope()
    return {
        "schema": SCHEMA,
        "generated_at": review.created_at.isoformat(),
        "tool": {"name": "wellsec", "version": __version__},
        "workload": {
            "name": review.workload.name,
            "environment": review.workload.environment,
            "owner": review.workload.owner,
            "regions": list(review.workload.regions),
        },
        "lens": {"id": lens.id, "version": lens.version, "name": lens.name},
        "question": {
            "id": lens.wa_question_id,
            "title": lens.question_title,
            "risk": review.risk.value,
        },
        "complete": review.complete,
        "best_practices": [
            {
                "id": r.practice.id,
                "choice_id": r.practice.choice_id,
                "title": r.practice.title,
                "status": r.status.value,
                "risk_if_missing": r.practice.risk_if_missing.value,
                "assessment": r.assessment,
                "note": r.note,
                "accounts": {aid: s.value for aid, s in r.accounts.items()},
            }
            for r in review.practices
        ],
        "findings": [f.to_dict() for f in review.findings],
        "improvement_plan": [
            {
                "best_practice": e.practice.id,
                "title": e.practice.title,
                "status": e.status.value,
                "risk_if_missing": e.practice.risk_if_missing.value,
                "items": [
                    {
                        "title": item.title,
                        "text": item.text,
                        "resources": [{"name": r.name, "url": r.url} for r in item.resources],
                    }
                    for item in e.items
                ],
                "findings": [f.to_dict() for f in e.findings],
            }
            for e in review.plan
        ],
        "scan": {
            "accounts": [
                {
                    "id": a.id,
                    "name": a.name,
                    "role": a.role.value,
                    "status": a.status.value,
                    "reason": a.reason,
                }
                for a in snap.accounts
            ],
            # Read for organization-level evidence only: not the workload's accounts.
            "supporting_accounts": [
                {
                    "id": a.id,
                    "name": a.name,
                    "role": a.role.value,
                    "purpose": a.purpose,
                    "status": a.status.value,
                    "reason": a.reason,
                }
                for a in snap.supporting
            ],
            "unresolved_scope": unresolved.describe() if unresolved else None,
            "regions": list(snap.regions),
            "scp_denied_regions": [
                {
                    "account": d.account_id,
                    "region": d.region,
                    "policy_id": d.rule.policy_id,
                    "policy": d.rule.policy_name,
                }
                for d in all_scp_denied_regions(snap)
            ],
            "api_calls": snap.api_calls,
            "duration_seconds": snap.duration_seconds,
        },
        "notes": list(review.notes),
        "provenance": review.provenance.to_dict() if review.provenance else None,
    }


def render_json(review: Review) -> str:
    """The review as JSON, faithful to what AWS said: JSON escapes C0 itself, and
    :func:`json_escapes` writes DEL, C1 and bidi characters as ``\\uXXXX``."""
    return json_escapes(json.dumps(review_to_dict(review), indent=2, ensure_ascii=False)) + "\n"
