"""Gap-layer answers for the calls that deploy wellsec's fixes (``wellsec fix``), where
moto lacks them or answers otherwise than AWS.

- StackSet deployment and drift detection: :mod:`wellsec.emulator.stackset_gaps`.
- ``securityhub:EnableOrganizationAdminAccount``: moto keeps the administrator but, unlike
  AWS, does not register it as delegated administrator in Organizations.
- ``securityhub:UpdateSecurityHubConfiguration``, ``BatchEnableStandards``,
  ``CreateFindingAggregator`` and ``config:PutConformancePack``: update the scenario data
  of :mod:`wellsec.emulator.securityhub_gaps`.
- ``iam:EnableOrganizationsRootCredentialsManagement`` / ``EnableOrganizationsRootSessions``:
  turn on centralized root access (after trusted access for IAM, as AWS requires), and
  ``organizations:EnableAWSServiceAccess``, whose moto version does not know IAM.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wellsec.emulator import stackset_gaps
from wellsec.emulator.models import ServiceModels
from wellsec.emulator.region_gaps import partition_of
from wellsec.emulator.securityhub_gaps import (
    Aggregator,
    ConformancePack,
    Standard,
    account_security,
    region_security,
    set_account,
    set_region,
)
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import (
    Answerer,
    Reply,
    RequestInfo,
    Rewriter,
    error_reply,
    json_reply,
    query_reply,
)

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"


def _org(info: RequestInfo) -> Any:
    from moto.organizations.models import organizations_backends

    return organizations_backends[info.account_id][partition_of(info.region)]


def register_securityhub_admin(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """After moto designates the administrator, register it with Organizations as AWS does
    (moto's Organizations does not know Security Hub as a delegable service)."""
    from moto.core.utils import unix_time
    from moto.organizations.models import FakeDelegatedAdministrator

    principal = "securityhub.amazonaws.com"
    admin = str(info.json_body().get("AdminAccountId", ""))
    org = _org(info)
    holder = next((a for a in org.admins if a.account.id == admin), None)
    if holder is None:
        holder = FakeDelegatedAdministrator(org.get_account_by_id(admin))
        org.admins.append(holder)
    holder.services.setdefault(
        principal, {"ServicePrincipal": principal, "DelegationEnabledDate": unix_time()}
    )
    return body


def _hub_on(info: RequestInfo) -> bool:
    from moto.securityhub.models import securityhub_backends

    return bool(securityhub_backends[info.account_id][info.region].enabled)


def _not_subscribed(info: RequestInfo) -> Reply:
    message = f"Account {info.account_id} is not subscribed to AWS Security Hub"
    return error_reply(info, "InvalidAccessException", message, 401)


def update_hub_configuration(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    if not _hub_on(info):
        return _not_subscribed(info)
    here = region_security(state, info.account_id, info.region)
    auto = info.json_body().get("AutoEnableControls")
    if isinstance(auto, bool):
        set_region(state, info.account_id, info.region, replace(here, auto_enable_controls=auto))
    return json_reply({})


def batch_enable_standards(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    if not _hub_on(info):
        return _not_subscribed(info)
    here = region_security(state, info.account_id, info.region)
    requests = info.json_body().get("StandardsSubscriptionRequests")
    listed = requests if isinstance(requests, list) else []
    wanted = [str(r["StandardsArn"]) for r in listed if isinstance(r, dict)]
    known = {s.arn.replace("REGION", info.region) for s in here.standards}
    added = tuple(Standard(arn) for arn in wanted if arn not in known)
    set_region(state, info.account_id, info.region, replace(here, standards=here.standards + added))
    subscriptions = [
        {
            "StandardsSubscriptionArn": f"arn:aws:securityhub:{info.region}:{info.account_id}:"
            f"subscription/{arn.split(':', 5)[-1].removeprefix('standards/')}",
            "StandardsArn": arn,
            "StandardsInput": {},
            "StandardsStatus": "PENDING",
        }
        for arn in wanted
    ]
    return json_reply({"StandardsSubscriptions": subscriptions})


def create_finding_aggregator(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    if not _hub_on(info):
        return _not_subscribed(info)
    body = info.json_body()
    mode = str(body.get("RegionLinkingMode", "ALL_REGIONS"))
    listed = body.get("Regions")
    regions = tuple(str(r) for r in listed) if isinstance(listed, list) else ()
    current = account_security(state, info.account_id)
    aggregator = Aggregator(info.region, mode, regions)
    set_account(state, info.account_id, replace(current, aggregator=aggregator))
    arn = f"arn:aws:securityhub:{info.region}:{info.account_id}:finding-aggregator/wellsec"
    return json_reply(
        {
            "FindingAggregatorArn": arn,
            "FindingAggregationRegion": info.region,
            "RegionLinkingMode": mode,
            "Regions": list(regions),
        }
    )


def put_conformance_pack(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    body = info.json_body()
    name = str(body.get("ConformancePackName", ""))
    here = region_security(state, info.account_id, info.region)
    kept = tuple(p for p in here.conformance_packs if p.name != name)
    pack = ConformancePack(name, document=str(body.get("TemplateS3Uri") or "") or None)
    set_region(state, info.account_id, info.region, replace(here, conformance_packs=(*kept, pack)))
    return json_reply(
        {
            "ConformancePackArn": f"arn:aws:config:{info.region}:{info.account_id}:"
            f"conformance-pack/{name}/conformance-pack-wellsec"
        }
    )


def enable_service_access(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    """moto's list of trusted services lacks IAM (centralized root access needs it)."""
    from moto.core.utils import unix_time
    from moto.organizations.models import FakeServiceAccess

    principal = str(info.json_body().get("ServicePrincipal", ""))
    if principal not in (*FakeServiceAccess.TRUSTED_SERVICES, "iam.amazonaws.com"):
        return error_reply(
            info, "InvalidInputException", "You specified an unrecognized service principal."
        )
    org = _org(info)
    if org.org is None:
        return error_reply(
            info,
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.",
        )
    if not any(s["ServicePrincipal"] == principal for s in org.services):
        org.services.append({"ServicePrincipal": principal, "DateEnabled": unix_time()})
    return json_reply({})


def _root_feature(feature: str) -> Any:
    def answer(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
        org = _org(info)
        if org.org is None or org.org.master_account_id != info.account_id:
            return error_reply(
                info,
                "AccountNotManagementOrDelegatedAdministratorException",
                "Only the management account can enable centralized root access.",
            )
        if not any(s["ServicePrincipal"] == "iam.amazonaws.com" for s in org.services):
            return error_reply(
                info,
                "ServiceAccessNotEnabledException",
                "Trusted access for IAM is not enabled in AWS Organizations.",
            )
        enabled = sorted(state.organizations_features() | {feature})
        state.set_organizations_features(enabled)
        members = "".join(f"<member>{f}</member>" for f in enabled)
        return query_reply(
            IAM_NS,
            info.operation,
            f"<OrganizationId>{org.org.id}</OrganizationId>"
            f"<EnabledFeatures>{members}</EnabledFeatures>",
        )

    return answer


REWRITERS: dict[str, Rewriter] = {
    "securityhub:EnableOrganizationAdminAccount": register_securityhub_admin,
}
ANSWERERS: dict[str, Answerer] = {
    **stackset_gaps.ANSWERERS,
    "securityhub:UpdateSecurityHubConfiguration": update_hub_configuration,
    "securityhub:BatchEnableStandards": batch_enable_standards,
    "securityhub:CreateFindingAggregator": create_finding_aggregator,
    "config:PutConformancePack": put_conformance_pack,
    "organizations:EnableAWSServiceAccess": enable_service_access,
    "iam:EnableOrganizationsRootCredentialsManagement": _root_feature("RootCredentialsManagement"),
    "iam:EnableOrganizationsRootSessions": _root_feature("RootSessions"),
}
