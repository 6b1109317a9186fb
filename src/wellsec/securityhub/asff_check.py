"""ASFF findings checked against the botocore model of ``BatchImportFindings``.

botocore's own validator checks required members, unknown keys and types; this adds what
it leaves out: enum values, the non-blank pattern, the documented size limits, and that
each finding's product ARN is the default product of its own account and region.
"""

from __future__ import annotations

import re
from typing import Any

import botocore.session
from botocore.model import Shape, StructureShape
from botocore.validate import ParamValidator

BATCH_LIMIT = 100  # findings per BatchImportFindings request
# Limits the ASFF documentation gives and the model does not.
LIMITS = {"Id": 512, "GeneratorId": 512, "Title": 256, "Description": 1024}
_DEFAULT_PRODUCT = re.compile(
    r"^arn:aws:securityhub:([a-z0-9-]+):(\d{12}):product/(\d{12})/default$"
)


def input_shape() -> StructureShape:
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    assert shape is not None
    return shape


def _walk(value: Any, shape: Shape, where: str, problems: list[str]) -> None:
    if shape.type_name == "structure" and isinstance(value, dict):
        members = shape.members  # type: ignore[attr-defined]
        for key, item in value.items():
            if key in members:
                _walk(item, members[key], f"{where}.{key}", problems)
    elif shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, shape.member, f"{where}[{i}]", problems)  # type: ignore[attr-defined]
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            _walk(item, shape.value, f"{where}[{key!r}]", problems)  # type: ignore[attr-defined]
    elif shape.type_name == "string" and isinstance(value, str):
        enum = shape.enum  # type: ignore[attr-defined]
        if enum and value not in enum:
            problems.append(f"{where}: {value!r} is not one of {', '.join(enum)}")
        pattern = shape.metadata.get("pattern")
        if pattern and not re.fullmatch(pattern, value, re.DOTALL):
            problems.append(f"{where}: {value!r} does not match {pattern}")


def problems(findings: list[dict[str, Any]]) -> list[str]:
    """Every way ``findings`` break the model or the ASFF rules (empty: importable)."""
    shape = input_shape()
    found: list[str] = []
    for start in range(0, len(findings), BATCH_LIMIT):
        batch = {"Findings": findings[start : start + BATCH_LIMIT]}
        report = ParamValidator().validate(batch, shape)
        if report.has_errors():
            found += report.generate_report().splitlines()
        _walk(batch, shape, "", found)
    for i, finding in enumerate(findings):
        where = f"Findings[{i}]"
        for key, limit in LIMITS.items():
            if len(str(finding.get(key, ""))) > limit:
                found.append(f"{where}.{key}: longer than {limit} characters")
        if not finding.get("Types"):
            found.append(f"{where}.Types: at least one type is needed")
        if not finding.get("Severity", {}).get("Label"):
            found.append(f"{where}.Severity.Label: missing")
        match = _DEFAULT_PRODUCT.match(str(finding.get("ProductArn", "")))
        account = finding.get("AwsAccountId")
        if match is None or match.group(2) != account or match.group(3) != account:
            found.append(f"{where}.ProductArn: not the default product of account {account}")
        elif finding.get("Region") and match.group(1) != finding["Region"]:
            found.append(f"{where}.ProductArn: region differs from the finding's")
    return found
