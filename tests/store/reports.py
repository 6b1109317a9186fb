"""Small ``wellsec.review/1`` reports for store tests (data, not mocks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

PRACTICES = [f"SEC01-BP0{i}" for i in range(1, 9)]


def report(
    when: dt.datetime,
    statuses: dict[str, str] | None = None,
    failing: list[str] | None = None,
    workload: str = "payments",
    risk: str = "HIGH",
    accounts: tuple[str, ...] = ("111111111111", "222222222222"),
) -> dict[str, Any]:
    statuses = statuses or {}
    findings = [
        {
            "check": check,
            "best_practice": "SEC01-BP02",
            "status": "FAIL",
            "severity": "high",
            "account": accounts[0],
            "region": None,
            "resource": f"arn:aws:iam::{accounts[0]}:root",
            "message": f"{check} failed",
        }
        for check in failing or []
    ]
    return {
        "schema": "wellsec.review/1",
        "generated_at": when.isoformat(),
        "workload": {"name": workload, "environment": "production", "owner": "o@example.com"},
        "lens": {"id": "sec01", "version": "2022", "name": "x"},
        "question": {"id": "securely-operate", "risk": risk},
        "complete": True,
        "best_practices": [
            {
                "id": bp,
                "status": statuses.get(bp, "NOT_MET"),
                "accounts": dict.fromkeys(accounts, statuses.get(bp, "NOT_MET")),
            }
            for bp in PRACTICES
        ],
        "findings": findings,
        "improvement_plan": [],
        "scan": {"accounts": [], "regions": [], "api_calls": 0, "duration_seconds": 0},
        "notes": [],
    }
