"""Gap-layer answers for importing and reading Security Hub findings.

moto stores imported findings (per account and region) and replaces one whose ``Id``
comes again, but it accepts a batch while the hub is off, of any size, from any product,
and its GetFindings ignores ``Filters``. These answers behave as Security Hub does for a
custom integration, keeping the findings in moto's backend:

- no hub in the region: ``InvalidAccessException``; no findings or more than 100:
  ``InvalidInputException``;
- a finding lacking a required ASFF field, without resources, or whose product is not
  the caller's default product in the request's region (or whose account is not the
  caller's) fails alone, listed in ``FailedFindings``;
- a first import gets ``Workflow`` NEW and ``RecordState`` ACTIVE; ``ProcessedAt`` is set
  on every import;
- GetFindings applies string filters (EQUALS, PREFIX, NOT_EQUALS) on the fields below and
  pages with ``MaxResults``/``NextToken``; other filters are refused, not ignored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.securityhub_gaps import not_subscribed
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Answerer, Reply, RequestInfo, Rewriter, error_reply, json_reply

BATCH_LIMIT = 100
FILTER_FIELDS: dict[str, tuple[str, ...]] = {
    "Id": ("Id",),
    "ProductArn": ("ProductArn",),
    "GeneratorId": ("GeneratorId",),
    "AwsAccountId": ("AwsAccountId",),
    "Region": ("Region",),
    "Title": ("Title",),
    "RecordState": ("RecordState",),
    "ComplianceStatus": ("Compliance", "Status"),
    "SeverityLabel": ("Severity", "Label"),
    "WorkflowStatus": ("Workflow", "Status"),
}


def _backend(info: RequestInfo) -> Any:
    from moto.securityhub.models import securityhub_backends

    return securityhub_backends[info.account_id][info.region]


@cache
def _required() -> tuple[str, ...]:
    """The fields the botocore model requires of a finding."""
    from botocore.session import get_session

    shape = get_session().get_service_model("securityhub").shape_for("AwsSecurityFinding")
    return tuple(shape.required_members)


def _refusal(info: RequestInfo, finding: Any, required: tuple[str, ...]) -> tuple[str, str] | None:
    """Why Security Hub would refuse this finding (None: it takes it)."""
    if not isinstance(finding, dict):
        return "InvalidInput", "A finding must be an object"
    missing = [k for k in required if not finding.get(k)]
    if missing:
        return "InvalidInput", f"Finding is missing required field {missing[0]}"
    if not isinstance(finding["Resources"], list) or not finding["Resources"]:
        return "InvalidInput", "Finding must contain at least one resource in Resources"
    own = f"arn:aws:securityhub:{info.region}:{info.account_id}:product/{info.account_id}/default"
    if finding["ProductArn"] != own:
        return (
            "AccessDeniedException",
            f"Not authorized to import findings for {finding['ProductArn']}",
        )
    if finding["AwsAccountId"] != info.account_id:
        return "AccessDeniedException", "AwsAccountId must be the account importing the finding"
    return None


def batch_import_findings(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    backend = _backend(info)
    if not backend.enabled:
        return not_subscribed(info)
    findings = info.json_body().get("Findings")
    if not isinstance(findings, list) or not 1 <= len(findings) <= BATCH_LIMIT:
        return error_reply(
            info, "InvalidInputException", f"Findings must hold 1 to {BATCH_LIMIT} findings", 400
        )
    required = _required()
    known = {f.id for f in backend.findings}
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    failed: list[dict[str, str]] = []
    accepted: list[dict[str, Any]] = []
    for finding in findings:
        refusal = _refusal(info, finding, required)
        if refusal is not None:
            ident = finding.get("Id", "") if isinstance(finding, dict) else ""
            failed.append({"Id": str(ident), "ErrorCode": refusal[0], "ErrorMessage": refusal[1]})
            continue
        stored = {**finding, "ProcessedAt": now}
        if finding["Id"] not in known:
            stored.setdefault("RecordState", "ACTIVE")
            stored.setdefault("Workflow", {"Status": "NEW"})
            stored.setdefault("WorkflowState", "NEW")
        accepted.append(stored)
    if accepted:
        backend.batch_import_findings(findings=accepted)
    return json_reply(
        {"FailedCount": len(failed), "SuccessCount": len(accepted), "FailedFindings": failed}
    )


def _value(finding: dict[str, Any], path: tuple[str, ...]) -> str | None:
    value: Any = finding
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _matches(value: str | None, conditions: list[dict[str, Any]]) -> bool:
    positive = [c for c in conditions if c.get("Comparison", "EQUALS") in {"EQUALS", "PREFIX"}]
    negative = [c for c in conditions if c.get("Comparison") == "NOT_EQUALS"]
    if value is None:
        return not positive
    if any(value == c.get("Value") for c in negative):
        return False
    if not positive:
        return True
    return any(
        value == c.get("Value")
        if c.get("Comparison", "EQUALS") == "EQUALS"
        else value.startswith(str(c.get("Value")))
        for c in positive
    )


def get_findings(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    backend = _backend(info)
    if not backend.enabled:
        return not_subscribed(info)
    body = info.json_body()
    filters = body.get("Filters") or {}
    if not isinstance(filters, dict):
        return error_reply(info, "InvalidInputException", "Filters must be an object", 400)
    unsupported = sorted(set(filters) - set(FILTER_FIELDS))
    if unsupported:
        return error_reply(
            info, "InvalidInputException", f"filter {unsupported[0]} is not emulated", 400
        )
    found = [
        f.as_dict()
        for f in backend.findings
        if all(_matches(_value(f.as_dict(), FILTER_FIELDS[k]), v) for k, v in filters.items())
    ]
    size = body.get("MaxResults", 100)
    start = body.get("NextToken") or "0"
    if not isinstance(size, int) or not 1 <= size <= 100 or not str(start).isdigit():
        return error_reply(info, "InvalidInputException", "bad MaxResults or NextToken", 400)
    offset = int(str(start))
    page: dict[str, Any] = {"Findings": found[offset : offset + size]}
    if offset + size < len(found):
        page["NextToken"] = str(offset + size)
    return json_reply(page)


REWRITERS: dict[str, Rewriter] = {}
ANSWERERS: dict[str, Answerer] = {
    "securityhub:BatchImportFindings": batch_import_findings,
    "securityhub:GetFindings": get_findings,
}
