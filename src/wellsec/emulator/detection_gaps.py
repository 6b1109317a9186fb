"""Gap-layer answers for GuardDuty, Inspector, Shield, CloudFront and load-balancer operations
moto lacks (BP04).

- ``guardduty:DescribeOrganizationConfiguration`` / ``UpdateOrganizationConfiguration``:
  moto has no route for them (a bare HTTP 404). They answer only in the account that
  the management account designated GuardDuty administrator in that region
  (``EnableOrganizationAdminAccount``, which moto keeps) and that has a detector
  there; elsewhere AWS rejects them with ``BadRequestException``.
- ``inspector2:BatchGetAccountStatus``: moto leaves out accounts in which Inspector
  was never enabled; AWS reports them with every resource type ``DISABLED``.
- ``shield:GetSubscriptionState``: not in moto; answered from moto's Shield
  subscription (``CreateSubscription``).
"""

from __future__ import annotations

import json
from typing import Any

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.region_gaps import partition_of
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import (
    Answerer,
    Reply,
    RequestInfo,
    Rewriter,
    cbor_text_map,
    error_reply,
    json_reply,
)

GUARDDUTY_ORG = "guardduty.organization_configuration"
NOT_ADMINISTRATOR = (
    "The request is rejected because the current account is not the GuardDuty delegated "
    "administrator account for the organization in this Region."
)
INSPECTOR_TYPES = ("ec2", "ecr", "lambda", "lambdaCode")


def _management_account(info: RequestInfo) -> str | None:
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException
    from moto.organizations.models import organizations_backends

    backend = organizations_backends[info.account_id][partition_of(info.region)]
    try:
        return str(backend.describe_organization()["Organization"]["MasterAccountId"])
    except AWSOrganizationsNotInUseException:
        return None


def _guardduty_admin_error(info: RequestInfo) -> Reply | None:
    """The BadRequestException AWS gives outside the region's GuardDuty administrator."""
    from moto.guardduty.models import guardduty_backends

    management = _management_account(info)
    admins = guardduty_backends[management][info.region].admin_account_ids if management else []
    has_detector = bool(guardduty_backends[info.account_id][info.region].detectors)
    if info.account_id not in admins or not has_detector:
        return error_reply(info, "BadRequestException", NOT_ADMINISTRATOR)
    return None


def _stored_org_config(state: GapState, info: RequestInfo) -> dict[str, Any]:
    raw = state.get(GUARDDUTY_ORG, f"{info.account_id}/{info.region}")
    config: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else {}
    return config


def describe_guardduty_organization_configuration(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    """The administrator's organization configuration (auto-enable off until updated)."""
    # catalogue: guardduty:DescribeOrganizationConfiguration
    error = _guardduty_admin_error(info)
    if error is not None:
        return error
    config = _stored_org_config(state, info)
    members = str(config.get("autoEnableOrganizationMembers", "NONE"))
    return json_reply(
        {
            "autoEnable": members != "NONE",
            "autoEnableOrganizationMembers": members,
            "memberAccountLimitReached": False,
            "dataSources": config.get("dataSources", {"s3Logs": {"autoEnable": False}}),
            "features": config.get("features", []),
        }
    )


def update_guardduty_organization_configuration(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    """Record the administrator's auto-enable settings (used to build scenarios)."""
    error = _guardduty_admin_error(info)
    if error is not None:
        return error
    body = info.json_body()
    config = _stored_org_config(state, info)
    members = body.get("autoEnableOrganizationMembers")
    if isinstance(members, str):
        config["autoEnableOrganizationMembers"] = members
    elif isinstance(body.get("autoEnable"), bool):
        config["autoEnableOrganizationMembers"] = "NEW" if body["autoEnable"] else "NONE"
    for key in ("dataSources", "features"):
        if key in body:
            config[key] = body[key]
    state.put(GUARDDUTY_ORG, f"{info.account_id}/{info.region}", json.dumps(config))
    return json_reply({})


def _disabled_status(account_id: str) -> dict[str, Any]:
    return {
        "accountId": account_id,
        "state": {"status": "DISABLED"},
        "resourceState": {name: {"status": "DISABLED"} for name in INSPECTOR_TYPES},
    }


def rewrite_inspector_account_status(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """Report the caller's account as DISABLED when Inspector was never enabled there, and
    other accounts it cannot see as failed, as AWS does."""
    # catalogue: inspector2:BatchGetAccountStatus
    data = json.loads(body or b"{}")
    accounts: list[dict[str, Any]] = data.setdefault("accounts", [])
    failed: list[dict[str, Any]] = data.setdefault("failedAccounts", [])
    requested = info.json_body().get("accountIds")
    wanted = [str(a) for a in requested] if isinstance(requested, list) and requested else []
    seen = {a.get("accountId") for a in accounts} | {f.get("accountId") for f in failed}
    for account_id in wanted or [info.account_id]:
        if account_id in seen:
            continue
        if account_id == info.account_id:
            accounts.append(_disabled_status(account_id))
        else:
            failed.append(
                {
                    "accountId": account_id,
                    "errorCode": "ACCESS_DENIED",
                    "errorMessage": "The account is not a member of this Inspector administrator.",
                }
            )
    return json.dumps(data).encode("utf-8")


def get_shield_subscription_state(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    """ACTIVE when the account subscribed to Shield Advanced (moto's subscription)."""
    # catalogue: shield:GetSubscriptionState
    from moto.shield.models import shield_backends

    backend = shield_backends[info.account_id][partition_of(info.region)]
    value = "ACTIVE" if backend.subscription is not None else "INACTIVE"
    if info.protocol == "cbor":
        headers = [
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
        ]
        return 200, headers, cbor_text_map({"SubscriptionState": value})
    status, headers, payload = json_reply({"SubscriptionState": value})
    ctype = info.headers.get("content-type") or "application/x-amz-json-1.1"
    return status, [(k, ctype if k == "Content-Type" else v) for k, v in headers], payload


REWRITERS: dict[str, Rewriter] = {
    "inspector2:BatchGetAccountStatus": rewrite_inspector_account_status,
}
ANSWERERS: dict[str, Answerer] = {
    "guardduty:DescribeOrganizationConfiguration": describe_guardduty_organization_configuration,
    "guardduty:UpdateOrganizationConfiguration": update_guardduty_organization_configuration,
    "shield:GetSubscriptionState": get_shield_subscription_state,
}
