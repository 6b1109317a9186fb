"""The one codec between :class:`~wellsec.report.model.Report` and ``wellsec.review/1``
JSON: :func:`to_json_dict` writes the document, :func:`from_json_dict` (in
:mod:`wellsec.report.reader`) checks and reads it.

A document wellsec wrote reads back to the same bytes: ``to_json_dict(from_json_dict(x))
== x``. The contract grows by added fields, never renamed ones; a report written by an
older wellsec lacks some, and they read as empty values.
"""

from __future__ import annotations

from typing import Any

from wellsec.report.model import SCHEMA, Report
from wellsec.report.reader import from_json_dict

__all__ = ["from_json_dict", "to_json_dict"]


def to_json_dict(report: Report) -> dict[str, Any]:
    """The report as the ``wellsec.review/1`` JSON object (keys in the contract's order)."""
    scan = report.scan
    return {
        "schema": SCHEMA,
        "generated_at": report.generated_at.isoformat(),
        "tool": {"name": report.tool.name, "version": report.tool.version},
        "workload": {
            "name": report.workload.name,
            "environment": report.workload.environment,
            "owner": report.workload.owner,
            "regions": list(report.workload.regions),
        },
        "lens": {"id": report.lens.id, "version": report.lens.version, "name": report.lens.name},
        "question": {
            "id": report.question.id,
            "title": report.question.title,
            "risk": report.question.risk.value,
        },
        "complete": report.complete,
        "best_practices": [
            {
                "id": p.id,
                "choice_id": p.choice_id,
                "title": p.title,
                "status": p.status.value,
                "risk_if_missing": p.risk_if_missing.value,
                "assessment": p.assessment,
                "note": p.note,
                "accounts": {aid: s.value for aid, s in p.accounts.items()},
            }
            for p in report.best_practices
        ],
        "findings": [f.to_dict() for f in report.findings],
        "improvement_plan": [
            {
                "best_practice": e.best_practice,
                "title": e.title,
                "status": e.status.value,
                "risk_if_missing": e.risk_if_missing.value,
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
            for e in report.improvement_plan
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
                for a in scan.accounts
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
                for a in scan.supporting_accounts
            ],
            "unresolved_scope": scan.unresolved_scope,
            "regions": list(scan.regions),
            "scp_denied_regions": [
                {
                    "account": d.account,
                    "region": d.region,
                    "policy_id": d.policy_id,
                    "policy": d.policy,
                }
                for d in scan.scp_denied_regions
            ],
            "api_calls": scan.api_calls,
            "duration_seconds": scan.duration_seconds,
        },
        "notes": list(report.notes),
        "provenance": report.provenance.to_dict() if report.provenance else None,
    }
