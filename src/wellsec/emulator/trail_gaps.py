"""Gap-layer answers for organization trails seen from member accounts (moto keeps each
account's trails apart).

AWS: "Member accounts can see the organization trail, but can't modify or delete it"; a
member names it by its full ARN to read its status
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html,
https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html).

- ``cloudtrail:DescribeTrails`` (catalogue: cloudtrail:DescribeTrails): a member's list
  also holds the management account's organization trails (shadow copies included).
- ``cloudtrail:GetTrailStatus`` / ``GetEventSelectors`` (catalogue:
  cloudtrail:GetTrailStatus, cloudtrail:GetEventSelectors): a member asking by the ARN of
  its organization's trail gets that trail's answer; anything else goes on to moto.
"""

from __future__ import annotations

import json
from typing import Any

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.region_gaps import partition_of
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Answerer, Reply, RequestInfo, Rewriter, json_reply


def _management_of(info: RequestInfo) -> str | None:
    """The management account of the caller's organization, when the caller is a member."""
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException
    from moto.organizations.models import organizations_backends

    backend = organizations_backends[info.account_id][partition_of(info.region)]
    try:
        management = str(backend.describe_organization()["Organization"]["MasterAccountId"])
    except AWSOrganizationsNotInUseException:
        return None
    return None if management == info.account_id else management


def _organization_trails(management: str) -> list[Any]:
    from moto.cloudtrail.models import cloudtrail_backends

    return [
        trail
        for backend in cloudtrail_backends[management].values()
        for trail in backend.trails.values()
        if trail.is_org_trail
    ]


def rewrite_describe_trails(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """Add the organization's trails to a member's DescribeTrails."""
    # catalogue: cloudtrail:DescribeTrails
    management = _management_of(info)
    if management is None:
        return body
    data = json.loads(body or b"{}")
    listed = data.setdefault("trailList", [])
    seen = {t.get("TrailARN") for t in listed}
    shadows = info.json_body().get("includeShadowTrails", True) is not False
    for trail in _organization_trails(management):
        here = trail.region_name == info.region or (shadows and trail.is_multi_region)
        if here and trail.arn not in seen:
            listed.append(trail.description(include_region=True))
    return json.dumps(data).encode("utf-8")


def _member_trail(info: RequestInfo, key: str) -> Any:
    name = info.json_body().get(key)
    management = _management_of(info)
    if not isinstance(name, str) or management is None or f":{management}:trail/" not in name:
        return None
    return next((t for t in _organization_trails(management) if t.arn == name), None)


def get_trail_status(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply | None:
    """The organization trail's status, for a member naming it by ARN."""
    # catalogue: cloudtrail:GetTrailStatus
    trail = _member_trail(info, "Name")
    return None if trail is None else json_reply(trail.status.description())


def get_event_selectors(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply | None:
    """The organization trail's event selectors, for a member naming it by ARN."""
    # catalogue: cloudtrail:GetEventSelectors
    trail = _member_trail(info, "TrailName")
    if trail is None:
        return None
    selectors, advanced = trail.get_event_selectors()
    return json_reply(
        {"TrailARN": trail.arn, "EventSelectors": selectors, "AdvancedEventSelectors": advanced}
    )


REWRITERS: dict[str, Rewriter] = {"cloudtrail:DescribeTrails": rewrite_describe_trails}
ANSWERERS: dict[str, Answerer] = {
    "cloudtrail:GetTrailStatus": get_trail_status,
    "cloudtrail:GetEventSelectors": get_event_selectors,
}
