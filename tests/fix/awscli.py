"""Read the AWS CLI lines ``wellsec fix`` writes back into API calls, the way the AWS CLI
parses them (botocore's models, kebab-case names, JSON for structures, ``file://``), so
tests can validate them and run them through boto3 against the emulator."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import botocore.session
from botocore import xform_name
from botocore.validate import ParamValidator

BOTO3_SERVICE = {"configservice": "config"}
FENCE = re.compile(r"^(`{3,})sh\n(.*?)\n\1$", re.S | re.M)


@dataclass(frozen=True)
class ApiCall:
    account: str | None  # None: the management account (PLAN.md's default)
    service: str  # boto3 name
    operation: str  # API name
    params: dict[str, Any]
    region: str

    @property
    def method(self) -> str:
        return xform_name(self.operation)


def _model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def parse_tokens(tokens: list[str], base: Path, account: str | None = None) -> ApiCall:
    """``aws <service> <operation> --member value ... --region R`` -> an API call."""
    assert tokens[0] == "aws", tokens
    service = BOTO3_SERVICE.get(tokens[1], tokens[1])
    model = _model(service)
    operation = next(o for o in model.operation_names if xform_name(o, "-") == tokens[2])
    shape = model.operation_model(operation).input_shape
    members = {xform_name(m, "-"): (m, s) for m, s in (shape.members.items() if shape else [])}
    params: dict[str, Any] = {}
    region = ""
    rest = tokens[3:]
    i = 0
    while i < len(rest):
        flag = rest[i].removeprefix("--")
        i += 1
        if flag == "region":
            region, i = rest[i], i + 1
            continue
        if flag.startswith("no-") and flag[3:] in members:
            params[members[flag[3:]][0]] = False
            continue
        name, member = members[flag]
        if member.type_name == "boolean":
            params[name] = True
        elif member.type_name == "list" and member.member.type_name != "structure":
            values = []
            while i < len(rest) and not rest[i].startswith("--"):
                values.append(rest[i])
                i += 1
            params[name] = values
        else:
            raw, i = rest[i], i + 1
            if raw.startswith("file://"):
                raw = (base / raw.removeprefix("file://")).read_text(encoding="utf-8")
            if member.type_name in ("structure", "list", "map"):
                params[name] = json.loads(raw)
            elif member.type_name in ("integer", "long"):
                params[name] = int(raw)
            else:
                params[name] = raw
    assert region, f"no --region in {tokens}"
    return ApiCall(account, service, operation, params, region)


def validate(call: ApiCall) -> None:
    """Raise if botocore would reject the call's parameters."""
    shape = _model(call.service).operation_model(call.operation).input_shape
    report = ParamValidator().validate(call.params, shape)
    assert not report.has_errors(), report.generate_report()


def script_calls(script: Path, base: Path) -> list[ApiCall]:
    """Every ``run_in ACCOUNT aws ...`` line of the commands script."""
    calls = []
    for line in script.read_text(encoding="utf-8").splitlines():
        if line.startswith("run_in "):
            tokens = shlex.split(line)
            calls.append(parse_tokens(tokens[2:], base, account=tokens[1]))
    return calls


@dataclass(frozen=True)
class Step:
    """One line of a PLAN.md shell block: an API call, or running the script."""

    call: ApiCall | None
    script: str | None = None


def plan_steps(plan: Path) -> list[Step]:
    """PLAN.md's shell blocks, in order."""
    steps: list[Step] = []
    account: str | None = None
    for block in FENCE.finditer(plan.read_text(encoding="utf-8")):
        for line in block.group(2).splitlines():
            if line.startswith("# in account "):
                account = line.removeprefix("# in account ").strip()
            elif line.startswith("aws "):
                steps.append(Step(parse_tokens(shlex.split(line), plan.parent, account)))
            elif line.startswith("sh "):
                steps.append(Step(None, shlex.split(line)[1]))
            else:
                assert not line.strip() or line.startswith("#"), line
    return steps
