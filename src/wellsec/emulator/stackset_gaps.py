"""Gap-layer answers for deploying CloudFormation StackSets as AWS does (for ``wellsec fix``).

- ``cloudformation:CreateStackInstances``: moto ignores ``AccountFilterType`` and looks
  one OU level deep; AWS deploys a service-managed StackSet to the accounts under the
  targeted OUs (at any depth), filtered by ``DeploymentTargets.Accounts``, never to the
  management account.
- ``cloudformation:DetectStackDrift`` / ``DetectStackSetDrift``: record an IN_SYNC drift
  check (read back by :mod:`wellsec.emulator.config_gaps`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wellsec.emulator.config_gaps import record_stack_drift
from wellsec.emulator.models import ServiceModels
from wellsec.emulator.region_gaps import partition_of
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Reply, RequestInfo, error_reply, request_id, xml_reply

CFN_NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/"


def _members(info: RequestInfo, prefix: str) -> list[str]:
    """Query-protocol list values ``prefix.member.N``, in order."""
    found = [
        (int(k.rsplit(".", 1)[1]), v[0])
        for k, v in info.params.items()
        if k.startswith(prefix + ".member.") and k.rsplit(".", 1)[1].isdigit()
    ]
    return [v for _, v in sorted(found)]


def _overrides(info: RequestInfo) -> list[dict[str, str]]:
    out = []
    for n in range(1, 201):
        key = info.param(f"ParameterOverrides.member.{n}.ParameterKey")
        if not key:
            break
        value = info.param(f"ParameterOverrides.member.{n}.ParameterValue")
        out.append({"ParameterKey": key, "ParameterValue": value})
    return out


def _org(info: RequestInfo) -> Any:
    from moto.organizations.models import organizations_backends

    return organizations_backends[info.account_id][partition_of(info.region)]


def _under(org: Any, targets: list[str]) -> set[str]:
    """Accounts anywhere below the given OUs or roots."""
    units = set(targets)
    grew = True
    while grew:
        below = {ou.id for ou in org.ou if getattr(ou, "parent_id", None) in units}
        grew = not below <= units
        units |= below
    return {a.id for a in org.accounts if a.parent_id in units}


def create_stack_instances(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    from moto.cloudformation.exceptions import StackSetNotFoundException
    from moto.cloudformation.models import cloudformation_backends

    backend = cloudformation_backends[info.account_id][info.region]
    name = info.param("StackSetName")
    try:
        stack_set = backend.describe_stack_set(name)
    except StackSetNotFoundException:
        return error_reply(info, "StackSetNotFoundException", f"StackSet {name} not found")
    accounts = set(_members(info, "Accounts"))
    if stack_set.permission_model == "SERVICE_MANAGED":
        org = _org(info)
        chosen = _under(org, _members(info, "DeploymentTargets.OrganizationalUnitIds"))
        listed = set(_members(info, "DeploymentTargets.Accounts"))
        mode = info.param("DeploymentTargets.AccountFilterType", "NONE")
        chosen = {
            "INTERSECTION": chosen & listed,
            "DIFFERENCE": chosen - listed,
            "UNION": chosen | listed,
        }.get(mode, chosen)
        management = org.org.master_account_id if org.org is not None else None
        accounts = chosen - {management}
    operation = backend.create_stack_instances(
        name,
        accounts=sorted(accounts),
        regions=_members(info, "Regions"),
        parameters=_overrides(info),
        deployment_targets={"OrganizationalUnitIds": []},
    )
    return xml_reply(
        f'<CreateStackInstancesResponse xmlns="{CFN_NS}"><CreateStackInstancesResult>'
        f"<OperationId>{operation}</OperationId></CreateStackInstancesResult>"
        f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>"
        "</CreateStackInstancesResponse>"
    )


def detect_stack_drift(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    from moto.cloudformation.models import cloudformation_backends

    name = info.param("StackName")
    stacks = cloudformation_backends[info.account_id][info.region].stacks.values()
    if not any(s.name == name and s.status != "DELETE_COMPLETE" for s in stacks):
        return error_reply(info, "ValidationError", f"Stack with id {name} does not exist")
    record_stack_drift(state, info.account_id, info.region, name, "IN_SYNC", datetime.now(UTC))
    return xml_reply(
        f'<DetectStackDriftResponse xmlns="{CFN_NS}"><DetectStackDriftResult>'
        f"<StackDriftDetectionId>{request_id()}</StackDriftDetectionId></DetectStackDriftResult>"
        f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>"
        "</DetectStackDriftResponse>"
    )


def detect_stack_set_drift(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    from moto.cloudformation.exceptions import StackSetNotFoundException
    from moto.cloudformation.models import cloudformation_backends

    name = info.param("StackSetName")
    try:
        stack_set = cloudformation_backends[info.account_id][info.region].describe_stack_set(name)
    except StackSetNotFoundException:
        return error_reply(info, "StackSetNotFoundException", f"StackSet {name} not found")
    now = datetime.now(UTC)
    for instance in stack_set.instances.stack_instances:
        stack = instance.stack.name
        record_stack_drift(state, instance.account_id, instance.region_name, stack, "IN_SYNC", now)
    return xml_reply(
        f'<DetectStackSetDriftResponse xmlns="{CFN_NS}"><DetectStackSetDriftResult>'
        f"<OperationId>{request_id()}</OperationId></DetectStackSetDriftResult>"
        f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>"
        "</DetectStackSetDriftResponse>"
    )


# IAM-style operation -> answerer(info, state, models) -> Reply
ANSWERERS: dict[str, Any] = {
    "cloudformation:CreateStackInstances": create_stack_instances,
    "cloudformation:DetectStackDrift": detect_stack_drift,
    "cloudformation:DetectStackSetDrift": detect_stack_set_drift,
}
