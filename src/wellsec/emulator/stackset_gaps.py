"""Gap-layer answers for deploying CloudFormation StackSets as AWS does (for ``wellsec fix``).

- ``cloudformation:CreateStackInstances``: moto ignores ``AccountFilterType`` and looks
  one OU level deep; AWS deploys a service-managed StackSet to the accounts under the
  targeted OUs (at any depth), filtered by ``DeploymentTargets.Accounts``, never to the
  management account.
- ``cloudformation:DetectStackDrift`` / ``DetectStackSetDrift``: record an IN_SYNC drift
  check (read back by :mod:`wellsec.emulator.config_gaps`).
- ``cloudformation:ListStackSets`` / ``ListStackInstances`` with ``CallAs=DELEGATED_ADMIN``:
  moto ignores CallAs. AWS answers a registered delegated administrator with the
  service-managed StackSets of the management account, where they all live, and refuses
  an account that is not registered (botocore/data/cloudformation/2010-05-15/service-2.json,
  ListStackSets and CreateStackSetInput.CallAs). With SELF (the default) moto answers.
- ``organizations:RegisterDelegatedAdministrator`` for StackSets
  (``member.org.stacksets.cloudformation.amazonaws.com``), which moto rejects as an
  unknown service principal; AWS accepts it
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from wellsec.emulator.config_gaps import record_stack_drift
from wellsec.emulator.models import ServiceModels
from wellsec.emulator.region_gaps import partition_of
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import (
    Answerer,
    Reply,
    RequestInfo,
    error_reply,
    json_reply,
    query_reply,
    request_id,
)

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
    return query_reply(CFN_NS, "CreateStackInstances", f"<OperationId>{operation}</OperationId>")


def detect_stack_drift(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    from moto.cloudformation.models import cloudformation_backends

    name = info.param("StackName")
    stacks = cloudformation_backends[info.account_id][info.region].stacks.values()
    if not any(s.name == name and s.status != "DELETE_COMPLETE" for s in stacks):
        return error_reply(info, "ValidationError", f"Stack with id {name} does not exist")
    record_stack_drift(state, info.account_id, info.region, name, "IN_SYNC", datetime.now(UTC))
    detection = f"<StackDriftDetectionId>{request_id()}</StackDriftDetectionId>"
    return query_reply(CFN_NS, "DetectStackDrift", detection)


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
    return query_reply(CFN_NS, "DetectStackSetDrift", f"<OperationId>{request_id()}</OperationId>")


STACKSETS_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"
DELEGATED_ADMIN = "DELEGATED_ADMIN"


def _management_of(account_id: str) -> tuple[str, str] | None:
    """(management account id, partition) of the organization ``account_id`` belongs to."""
    from moto.organizations.models import organizations_backends

    return organizations_backends.master_accounts.get(account_id)


def _is_stacksets_admin(account_id: str) -> bool:
    from moto.organizations.models import organizations_backends

    owner = _management_of(account_id)
    if owner is None or owner[0] == account_id:
        return False
    backend = organizations_backends[owner[0]][owner[1]]
    return any(
        a.account.id == account_id and STACKSETS_PRINCIPAL in a.services for a in backend.admins
    )


def _as_delegated_admin(info: RequestInfo) -> Any:
    """The management account's CloudFormation backend in the request's region, an error
    reply when the caller is not a registered StackSets delegated administrator, or None
    when the request is not made as one (moto answers SELF)."""
    from moto.cloudformation.models import cloudformation_backends

    if info.param("CallAs") != DELEGATED_ADMIN:
        return None
    if not _is_stacksets_admin(info.account_id):
        return error_reply(info, "ValidationError", "Account used is not a delegated administrator")
    owner = _management_of(info.account_id)
    assert owner is not None
    return cloudformation_backends[owner[0]][info.region]


def _text(tag: str, value: Any) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>" if value is not None else ""


def list_stack_sets(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply | None:
    """ListStackSets as a delegated administrator (None: let moto answer SELF)."""
    # catalogue: cloudformation:ListStackSets
    backend = _as_delegated_admin(info)
    if backend is None or isinstance(backend, tuple):
        return backend
    wanted = info.param("Status")
    members = "".join(
        "<member>"
        + _text("StackSetName", s.name)
        + _text("StackSetId", s.id)
        + _text("Description", s.description)
        + _text("Status", s.status)
        + _text("PermissionModel", s.permission_model)
        + "</member>"
        for s in backend.stacksets.values()
        if s.permission_model == "SERVICE_MANAGED"
        and s.status != "DELETED"
        and (not wanted or s.status == wanted)
    )
    return query_reply(CFN_NS, "ListStackSets", f"<Summaries>{members}</Summaries>")


def list_stack_instances(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply | None:
    """ListStackInstances as a delegated administrator (None: let moto answer SELF)."""
    # catalogue: cloudformation:ListStackInstances
    from moto.cloudformation.exceptions import StackSetNotFoundException

    backend = _as_delegated_admin(info)
    if backend is None or isinstance(backend, tuple):
        return backend
    name = info.param("StackSetName")
    try:
        stack_set = backend.describe_stack_set(name)
    except StackSetNotFoundException:
        return error_reply(info, "StackSetNotFoundException", f"StackSet {name} not found")
    if stack_set.permission_model != "SERVICE_MANAGED":
        return error_reply(info, "StackSetNotFoundException", f"StackSet {name} not found")
    members = "".join(
        "<member>"
        + _text("StackSetId", i.stackset_id)
        + _text("Region", i.region_name)
        + _text("Account", i.account_id)
        + _text("Status", "CURRENT")
        + "<StackInstanceStatus><DetailedStatus>SUCCEEDED</DetailedStatus></StackInstanceStatus>"
        + "</member>"
        for i in stack_set.instances.stack_instances
    )
    return query_reply(CFN_NS, "ListStackInstances", f"<Summaries>{members}</Summaries>")


def register_delegated_administrator(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply | None:
    """Register a StackSets delegated administrator (None: let moto handle other services)."""
    from moto.organizations.models import FakeDelegatedAdministrator, organizations_backends

    body = info.json_body()
    if body.get("ServicePrincipal") != STACKSETS_PRINCIPAL:
        return None
    backend = organizations_backends[info.account_id][partition_of(info.region)]
    account_id = str(body.get("AccountId", ""))
    account = next((a for a in backend.accounts if a.id == account_id), None)
    if account is None or account_id == info.account_id:
        return error_reply(
            info, "AccountNotFoundException", "You specified an account that doesn't exist."
        )
    admin = next((a for a in backend.admins if a.account.id == account_id), None)
    if admin is None:
        admin = FakeDelegatedAdministrator(account)
        backend.admins.append(admin)
    admin.services[STACKSETS_PRINCIPAL] = {
        "ServicePrincipal": STACKSETS_PRINCIPAL,
        "DelegationEnabledDate": datetime.now(UTC).timestamp(),
    }
    return json_reply({})


ANSWERERS: dict[str, Answerer] = {
    "cloudformation:ListStackSets": list_stack_sets,
    "cloudformation:ListStackInstances": list_stack_instances,
    "organizations:RegisterDelegatedAdministrator": register_delegated_administrator,
    "cloudformation:CreateStackInstances": create_stack_instances,
    "cloudformation:DetectStackDrift": detect_stack_drift,
    "cloudformation:DetectStackSetDrift": detect_stack_set_drift,
}
