"""A review report whose AWS-sourced text is hostile (markup, quotes, formulas)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.store.reports import report

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '"><img src=x onerror="window.__pwned=2">'
FORMULA = '=HYPERLINK("http://evil.example","click")'
MARKDOWN = "[click](javascript:alert(1)) | **bold** `code`"
HOSTILE = f"{SCRIPT} {IMG} {FORMULA} {MARKDOWN}"


def hostile_report() -> dict[str, Any]:
    data = report(
        dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        {"SEC01-BP01": "MET", "SEC01-BP03": "UNKNOWN"},
        failing=["root_mfa_enabled", "root_no_access_keys"],
    )
    data["workload"]["name"] = f"shop {SCRIPT}"
    for f in data["findings"]:
        f["resource"] = f"arn:aws:iam::111111111111:role/{IMG}"
        f["message"] = HOSTILE
    data["findings"].append(
        {
            "check": "security_contact_registered",
            "best_practice": "SEC01-BP02",
            "status": "PASS",
            "severity": "medium",
            "account": "222222222222",
            "region": "eu-west-1",
            "resource": FORMULA,
            "message": "-1+1",
        }
    )
    data["scan"]["accounts"] = [
        {
            "id": "111111111111",
            "name": HOSTILE,
            "role": "member",
            "status": "SCANNED",
            "reason": None,
        },
        {
            "id": "222222222222",
            "name": "prod",
            "role": "member",
            "status": "SCANNED",
            "reason": None,
        },
    ]
    for bp in data["best_practices"]:
        bp.update(title=f"{bp['id']} title", choice_id="x", risk_if_missing="HIGH")
        bp.update(assessment="automated", note=HOSTILE)
    data["improvement_plan"] = [
        {
            "best_practice": "SEC01-BP02",
            "title": "Secure AWS account",
            "status": "NOT_MET",
            "risk_if_missing": "HIGH",
            "items": [
                {
                    "title": "Item",
                    "text": HOSTILE,
                    "resources": [{"name": HOSTILE, "url": "https://example.com/?a=1&b=2"}],
                }
            ],
            "findings": data["findings"][:1],
        }
    ]
    data["tool"] = {"name": "wellsec", "version": "test"}
    return data
