"""Gap-layer answers for AWS Config, Systems Manager, CloudFormation, ECR and pipeline
operations moto lacks (BP06).

- ``ssm:DescribeInstanceInformation``: not in moto. Answered from the managed
  instances a scenario registers with :func:`register_managed_instance` (an SSM
  agent reporting in, as it would once the instance has an instance profile).
- ``cloudformation:DescribeStacks`` / ``ListStacks``: moto gives no
  ``DriftInformation``; AWS always does (``NOT_CHECKED`` until drift detection
  runs). The scenario records drift checks with :func:`record_stack_drift`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Answerer, Reply, RequestInfo, Rewriter, error_reply, json_reply

SSM_INSTANCES = "ssm.instances"
STACK_DRIFT = "cloudformation.drift"


@dataclass(frozen=True)
class ManagedInstance:
    """An EC2 instance whose SSM agent has registered with Systems Manager."""

    instance_id: str
    ping_status: str = "Online"
    last_ping: datetime | None = None
    platform_type: str = "Linux"
    platform_name: str = "Amazon Linux"
    platform_version: str = "2023"
    agent_version: str = "3.3.1142.0"
    computer_name: str = ""


def register_managed_instance(
    state: GapState, account_id: str, region: str, instance: ManagedInstance
) -> None:
    """Make ``instance`` show in ``ssm:DescribeInstanceInformation`` of that account and region."""
    key = f"{account_id}/{region}"
    known: tuple[ManagedInstance, ...] = state.get(SSM_INSTANCES, key, ())
    kept = tuple(i for i in known if i.instance_id != instance.instance_id)
    state.put(SSM_INSTANCES, key, (*kept, instance))


def record_stack_drift(
    state: GapState,
    account_id: str,
    region: str,
    stack_name: str,
    status: str,
    checked: datetime,
) -> None:
    """Record a drift detection run (``IN_SYNC`` or ``DRIFTED``) on a stack."""
    state.put(STACK_DRIFT, f"{account_id}/{region}/{stack_name}", (status, checked))


def _epoch(when: datetime) -> float:
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _instance_json(instance: ManagedInstance, region: str, created: datetime) -> dict[str, Any]:
    last_ping = instance.last_ping or created
    name = instance.computer_name or f"ip-10-0-0-1.{region}.compute.internal"
    return {
        "InstanceId": instance.instance_id,
        "PingStatus": instance.ping_status,
        "LastPingDateTime": _epoch(last_ping),
        "AgentVersion": instance.agent_version,
        "IsLatestVersion": True,
        "PlatformType": instance.platform_type,
        "PlatformName": instance.platform_name,
        "PlatformVersion": instance.platform_version,
        "ResourceType": "EC2Instance",
        "IPAddress": "10.0.0.1",
        "ComputerName": name,
        "AssociationStatus": "Success",
        "SourceId": instance.instance_id,
        "SourceType": "AWS::EC2::Instance",
    }


def _filters(body: dict[str, object]) -> dict[str, set[str]]:
    """Filters (``Key``/``Values``) and the older ``InstanceInformationFilterList``."""
    found: dict[str, set[str]] = {}
    for field, key, values in (
        ("Filters", "Key", "Values"),
        ("InstanceInformationFilterList", "key", "valueSet"),
    ):
        items = body.get(field)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                found[str(item.get(key))] = {str(v) for v in item.get(values) or []}
    return found


def _keep(row: dict[str, Any], filters: dict[str, set[str]]) -> bool:
    fields = {
        "InstanceIds": "InstanceId",
        "PingStatus": "PingStatus",
        "PlatformTypes": "PlatformType",
        "ResourceType": "ResourceType",
        "AgentVersion": "AgentVersion",
    }
    return all(
        str(row.get(fields.get(key, key), "")) in values
        for key, values in filters.items()
        if key in fields
    )


def describe_instance_information(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    """Answer ssm:DescribeInstanceInformation from the scenario's managed instances."""
    # catalogue: ssm:DescribeInstanceInformation
    body = info.json_body()
    instances: tuple[ManagedInstance, ...] = state.get(
        SSM_INSTANCES, f"{info.account_id}/{info.region}", ()
    )
    filters = _filters(body)
    rows = [
        row
        for row in (_instance_json(i, info.region, state.created) for i in instances)
        if _keep(row, filters)
    ]
    size = body.get("MaxResults", 50)
    token = body.get("NextToken") or "0"
    if not isinstance(size, int) or not 5 <= size <= 50:
        return error_reply(info, "ValidationException", "MaxResults must be between 5 and 50.")
    if not isinstance(token, str) or not token.isdigit():
        return _plain_json_error(info, "InvalidNextToken", "The specified token is not valid.")
    start = int(token)
    reply: dict[str, Any] = {"InstanceInformationList": rows[start : start + size]}
    if start + size < len(rows):
        reply["NextToken"] = str(start + size)
    status, headers, payload = json_reply(reply)
    ctype = info.headers.get("content-type") or "application/x-amz-json-1.1"
    return status, [(k, ctype if k == "Content-Type" else v) for k, v in headers], payload


def _plain_json_error(info: RequestInfo, code: str, message: str) -> Reply:
    """A JSON-protocol error whose code has no ``Exception`` suffix (SSM's own names)."""
    status, headers, payload = error_reply(info, code, message)
    body = json.loads(payload)
    body["__type"] = code
    kept = [(k, code if k == "x-amzn-ErrorType" else v) for k, v in headers]
    return status, kept, json.dumps(body).encode("utf-8")


_STACK_STATUS = re.compile(r"<StackStatus>[^<]*</StackStatus>")
_STACK_NAME = re.compile(r"<StackName>([^<]*)</StackName>")


def _drift_xml(state: GapState, info: RequestInfo, stack_name: str) -> str:
    recorded = state.get(STACK_DRIFT, f"{info.account_id}/{info.region}/{stack_name}")
    if recorded is None:
        return (
            "<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>"
        )
    status, checked = recorded
    stamp = (checked if checked.tzinfo else checked.replace(tzinfo=UTC)).astimezone(UTC)
    return (
        f"<DriftInformation><StackDriftStatus>{escape(status)}</StackDriftStatus>"
        f"<LastCheckTimestamp>{stamp.strftime('%Y-%m-%dT%H:%M:%SZ')}</LastCheckTimestamp>"
        "</DriftInformation>"
    )


def rewrite_stack_drift(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """Give every stack of DescribeStacks/ListStacks its DriftInformation."""
    # catalogue: cloudformation:DescribeStacks
    text = body.decode("utf-8")
    if "<DriftInformation>" in text:
        return body
    out: list[str] = []
    last = 0
    for match in _STACK_STATUS.finditer(text):
        names = _STACK_NAME.findall(text, last, match.start())
        out.append(text[last : match.end()])
        if names:
            out.append(_drift_xml(state, info, names[-1]))
        last = match.end()
    out.append(text[last:])
    return "".join(out).encode("utf-8")


REWRITERS: dict[str, Rewriter] = {
    "cloudformation:DescribeStacks": rewrite_stack_drift,
    "cloudformation:ListStacks": rewrite_stack_drift,
}
ANSWERERS: dict[str, Answerer] = {
    "ssm:DescribeInstanceInformation": describe_instance_information,
}
