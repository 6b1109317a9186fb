"""Collectors: GuardDuty, Inspector, Shield Advanced and internet exposure (BP04)."""

from __future__ import annotations

from typing import Any

from wellsec.aws.calls import Reader
from wellsec.collect import detection_inventory  # noqa: F401  (registers the inventory)
from wellsec.collect.registry import Item, collectors
from wellsec.evidence import Unavailable, is_unavailable, keys, unavailable_for
from wellsec.evidence import shapes as s
from wellsec.evidence import shapes_region as r
from wellsec.snapshot import Evidence

GUARDDUTY_KEYS = (keys.GUARDDUTY_DETECTORS, keys.GUARDDUTY_ORGANIZATION_CONFIGURATION)
GUARDDUTY_ACTIONS = (
    "guardduty:ListDetectors",
    "guardduty:GetDetector",
    "guardduty:DescribeOrganizationConfiguration",
)
# DescribeOrganizationConfiguration answers only in the GuardDuty administrator
# account; elsewhere it is a BadRequestException. That is a fact about the account.
NOT_ADMINISTRATOR: dict[str, Any] = {"administrator": False}


def _features(detector: dict[str, Any]) -> dict[str, str]:
    """Protection plans of a detector: feature name -> status (and EKS add-on management)."""
    out: dict[str, str] = {}
    for feature in detector.get("Features") or []:
        name = str(feature.get("Name", ""))
        out[name] = str(feature.get("Status", ""))
        for extra in feature.get("AdditionalConfiguration") or []:
            out[f"{name}/{extra.get('Name')}"] = str(extra.get("Status", ""))
    return out


@collectors.register(keys=GUARDDUTY_KEYS, actions=GUARDDUTY_ACTIONS)
def guardduty(reader: Reader, region: str) -> Evidence:
    ids = reader.paginate("guardduty", region, "ListDetectors", "DetectorIds")
    if is_unavailable(ids):
        return unavailable_for(ids, *GUARDDUTY_KEYS)
    detectors: list[r.Detector] = []
    for detector_id in ids:
        detail = reader.call("guardduty", region, "GetDetector", DetectorId=detector_id)
        detectors.append(
            {
                "id": detector_id,
                "status": detail if is_unavailable(detail) else str(detail.get("Status", "")),
                "features": {} if is_unavailable(detail) else _features(detail),
            }
        )
    org_config = _organization_configuration(reader, region, ids[0]) if ids else None
    return {
        **keys.GUARDDUTY_DETECTORS.of(detectors),
        **keys.GUARDDUTY_ORGANIZATION_CONFIGURATION.of(org_config),
    }


def _organization_configuration(
    reader: Reader, region: str, detector_id: str
) -> r.GuardDutyOrgConfig | Unavailable:
    reply = reader.call(
        "guardduty",
        region,
        "DescribeOrganizationConfiguration",
        expected={"BadRequestException": NOT_ADMINISTRATOR},
        DetectorId=detector_id,
    )
    if reply is NOT_ADMINISTRATOR:
        return {"administrator": False}
    if is_unavailable(reply):
        return reply
    return {
        "administrator": True,
        "detector_id": detector_id,
        "auto_enable": bool(reply.get("AutoEnable")),
        "auto_enable_members": reply.get("AutoEnableOrganizationMembers"),
        "member_limit_reached": bool(reply.get("MemberAccountLimitReached")),
    }


@collectors.register(
    keys=(keys.INSPECTOR2_ACCOUNT_STATUS,), actions=("inspector2:BatchGetAccountStatus",)
)
def inspector(reader: Reader, region: str) -> Evidence:
    action = "inspector2:BatchGetAccountStatus"
    reply = reader.call(
        "inspector2", region, "BatchGetAccountStatus", accountIds=[reader.account_id]
    )
    if is_unavailable(reply):
        return keys.INSPECTOR2_ACCOUNT_STATUS.of(reply)
    for entry in reply.get("accounts", []):
        if entry.get("accountId") == reader.account_id:
            state = entry.get("resourceState") or {}
            return keys.INSPECTOR2_ACCOUNT_STATUS.of(
                {
                    "status": (entry.get("state") or {}).get("status", ""),
                    "resources": {
                        name: str((value or {}).get("status", ""))
                        for name, value in state.items()
                        if isinstance(value, dict)
                    },
                }
            )
    for failed in reply.get("failedAccounts", []):
        if failed.get("accountId") == reader.account_id:
            value = Unavailable(
                f"request failed: {failed.get('errorMessage') or 'no reason given'}",
                action,
                failed.get("errorCode"),
            )
            return keys.INSPECTOR2_ACCOUNT_STATUS.of(value)
    missing = Unavailable("the reply does not mention this account", action)
    return keys.INSPECTOR2_ACCOUNT_STATUS.of(missing)


def _global_region(region: str) -> str:
    """Where a partition's global endpoints (Shield, CloudFront) answer."""
    if region.startswith("cn-"):
        return "cn-northwest-1"
    if region.startswith("us-gov-"):
        return "us-gov-west-1"
    return "us-east-1"


@collectors.register(keys=(keys.SHIELD_SUBSCRIPTION,), actions=("shield:GetSubscriptionState",))
def shield_subscription(reader: Reader, region: str) -> Evidence:
    reply = reader.call("shield", _global_region(region), "GetSubscriptionState")
    if is_unavailable(reply):
        return keys.SHIELD_SUBSCRIPTION.of(reply)
    return keys.SHIELD_SUBSCRIPTION.of({"state": str(reply.get("SubscriptionState", ""))})


@collectors.register(
    keys=(keys.CLOUDFRONT_DISTRIBUTIONS,), actions=("cloudfront:ListDistributions",)
)
def cloudfront_distributions(reader: Reader, region: str) -> Evidence:
    found: list[s.Distribution] = []
    marker: str | None = None
    while True:
        params: dict[str, Any] = {"Marker": marker} if marker else {}
        reply = reader.call("cloudfront", _global_region(region), "ListDistributions", **params)
        if is_unavailable(reply):
            return keys.CLOUDFRONT_DISTRIBUTIONS.of(reply)
        listing = reply.get("DistributionList") or {}
        found += [
            {"id": d.get("Id"), "domain": d.get("DomainName"), "enabled": bool(d.get("Enabled"))}
            for d in listing.get("Items") or []
        ]
        marker = listing.get("NextMarker")
        if not listing.get("IsTruncated") or not marker:
            return keys.CLOUDFRONT_DISTRIBUTIONS.of(found)


@collectors.listing(
    keys.ELBV2_INTERNET_FACING,
    "elasticloadbalancing:DescribeLoadBalancers",
    "LoadBalancers",
    client="elbv2",
    keep=lambda balancer: balancer.get("Scheme") == "internet-facing",
)
def public_load_balancers(balancer: Item) -> r.LoadBalancer:
    """Internet-facing Application, Network and Gateway load balancers."""
    return {
        "name": balancer.get("LoadBalancerName"),
        "arn": balancer.get("LoadBalancerArn"),
        "type": balancer.get("Type"),
    }
