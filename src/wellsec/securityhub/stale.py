"""Findings of an earlier import that the latest review no longer has are archived.

A resource that changed (a detector created, an account left the workload's regions)
gives the next review a finding with another ``Id``; the earlier one would otherwise stay
ACTIVE with its old verdict. After an import, wellsec looks up its own ACTIVE findings for
the workload in that account and region (``GetFindings``) and imports each one it did not
send again with ``RecordState`` ARCHIVED.

Only the workload's own findings are archived. The ``Id`` prefix alone cannot say whose a
finding is (workload ``shop``'s prefix ``wellsec/shop/`` also begins every Id of workload
``shop/eu``), so each earlier finding must also name the workload exactly in its
``ProductFields`` (``wellsec/Workload``, written on every finding wellsec exports).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

WORKLOAD_FIELD = "wellsec/Workload"


def _earlier(client: Any, prefix: str, product: str) -> list[dict[str, Any]]:
    filters = {
        "Id": [{"Value": prefix, "Comparison": "PREFIX"}],
        "ProductArn": [{"Value": product, "Comparison": "EQUALS"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
    }
    found: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = client.get_findings(
            Filters=filters, MaxResults=100, **({"NextToken": token} if token else {})
        )
        found += page.get("Findings", [])
        token = page.get("NextToken")
        if not token:
            return found


def stale_findings(
    client: Any, prefix: str, sent: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], str | None]:
    """Earlier findings under ``prefix`` not in ``sent``, made ARCHIVED; or why unknown."""
    if not sent:
        return [], None
    product = str(sent[0]["ProductArn"])
    now = max(str(f["UpdatedAt"]) for f in sent)
    try:
        earlier = _earlier(client, prefix, product)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        return [], f"earlier findings not checked ({code}): stale ones may still be active"
    except BotoCoreError as exc:
        return [], f"earlier findings not checked ({type(exc).__name__})"
    current = {str(f["Id"]) for f in sent}
    workload = sent[0].get("ProductFields", {}).get(WORKLOAD_FIELD)
    earlier = [f for f in earlier if _fields(f).get(WORKLOAD_FIELD) == workload]
    return [
        {**f, "RecordState": "ARCHIVED", "UpdatedAt": max(now, str(f.get("UpdatedAt", "")))}
        for f in earlier
        if str(f.get("Id")) not in current
    ], None


def _fields(finding: dict[str, Any]) -> dict[str, Any]:
    fields = finding.get("ProductFields")
    return fields if isinstance(fields, dict) else {}
