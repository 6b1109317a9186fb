"""Baselines deployed by automation: CloudFormation StackSets and AWS Control Tower.

StackSets are regional: a StackSet lives in the region it is administered from, so they
are read in every region enabled in the caller's account (the home region first). A
service-managed StackSet lives in the management account, and a delegated
administrator sees it only with ``CallAs=DELEGATED_ADMIN``
(botocore/data/cloudformation/2010-05-15/service-2.json, ListStackSets and CallAs;
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html).

A Control Tower landing zone lives in its home region (the region of its ARN; it is
looked for in every enabled region) and
governs only the regions of its manifest (``governedRegions``) and the OUs registered
with it, that is the OUs its ``AWSControlTowerBaseline`` is enabled on
(botocore/data/controltower/2018-05-10/service-2.json: ListLandingZones,
GetLandingZone, ListEnabledBaselines;
https://docs.aws.amazon.com/controltower/latest/userguide/baseline-api-examples.html).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from wellsec.aws.calls import Reader
from wellsec.aws.endpoints import offered_in
from wellsec.collect.registry import collectors
from wellsec.evidence import Unavailable, is_unavailable, keys, unavailable_for
from wellsec.evidence import shapes as s
from wellsec.snapshot import Evidence

CFN = "cloudformation"
CT = "controltower"
SELF, DELEGATED_ADMIN = "SELF", "DELEGATED_ADMIN"  # CallAs enum
ENROLLED = "SUCCEEDED"
STACK_SET_KEYS = (
    keys.STACK_SETS,
    keys.STACK_SET_INSTANCES,
    keys.STACK_SET_REGIONS,
)  # EnablementStatus of a baseline that is in place


def call_as(reader: Reader, region: str) -> str:
    """DELEGATED_ADMIN when the caller is a member account of an organization, else SELF."""
    reply = reader.call(
        "organizations",
        region,
        "DescribeOrganization",
        expected={"AWSOrganizationsNotInUseException": None},
    )
    if reply is None or is_unavailable(reply):
        return SELF
    management = reply["Organization"].get("MasterAccountId")
    return SELF if management in (None, reader.account_id) else DELEGATED_ADMIN


def _regions(reader: Reader, home: str) -> list[str]:
    """The regions enabled in the caller's account, home first (home alone if unreadable)."""
    reply = reader.call("ec2", home, "DescribeRegions")
    if is_unavailable(reply):
        return [home]
    names = sorted(str(r["RegionName"]) for r in reply.get("Regions", []))
    return [home, *(r for r in names if r != home)]


def _stack_sets_in(
    reader: Reader, region: str, as_: str
) -> list[s.StackSetInstances] | Unavailable:
    summaries = reader.paginate(
        CFN, region, "ListStackSets", "Summaries", Status="ACTIVE", CallAs=as_
    )
    if is_unavailable(summaries):
        return summaries
    found: list[s.StackSetInstances] = []
    for summary in summaries:
        name = str(summary.get("StackSetName", ""))
        instances = reader.paginate(
            CFN, region, "ListStackInstances", "Summaries", StackSetName=name, CallAs=as_
        )
        found.append(
            {
                "name": name,
                "permission_model": summary.get("PermissionModel"),
                "region": region,
                "instances": instances
                if is_unavailable(instances)
                else [
                    {
                        "account": str(i.get("Account", "")),
                        "region": str(i.get("Region", "")),
                        "status": str(i.get("Status", "")),
                    }
                    for i in instances
                ],
            }
        )
    return found


def stack_sets(reader: Reader, home: str, regions: list[str]) -> Evidence:
    """Active StackSets of every enabled region, with where their stacks were deployed."""
    as_ = call_as(reader, home)
    with ThreadPoolExecutor(max_workers=8, thread_name_prefix="wellsec-stacksets") as pool:
        answers = dict(
            zip(regions, pool.map(lambda r: _stack_sets_in(reader, r, as_), regions), strict=True)
        )
    reader.connector.waited(1)  # the regions were read side by side
    found = [s for a in answers.values() if not is_unavailable(a) for s in a]
    unread = {r: a for r, a in answers.items() if is_unavailable(a)}
    if len(unread) == len(regions):
        first = unread[home]
        return unavailable_for(first, *STACK_SET_KEYS)
    listed: list[s.StackSet] = [
        {"name": x["name"], "permission_model": x["permission_model"], "region": x["region"]}
        for x in found
    ]
    read: s.StackSetRegions = {
        "call_as": as_,
        "read": [r for r in regions if r not in unread],
        "unread": unread,
    }
    return {
        **keys.STACK_SETS.of(listed),
        **keys.STACK_SET_INSTANCES.of(found),
        **keys.STACK_SET_REGIONS.of(read),
    }


def _enrolled_ous(reader: Reader, region: str) -> list[str] | Unavailable:
    """Ids of the OUs a Control Tower baseline is enabled on (registered OUs)."""
    baselines = reader.paginate(CT, region, "ListEnabledBaselines", "enabledBaselines")
    if is_unavailable(baselines):
        return baselines
    return sorted(
        {
            str(b.get("targetIdentifier", "")).rsplit("/", 1)[-1]
            for b in baselines
            if ":ou/" in str(b.get("targetIdentifier", ""))
            and (b.get("statusSummary") or {}).get("status") == ENROLLED
        }
    )


def _landing_zone(reader: Reader, arn: str, home: str) -> s.LandingZone:
    parts = arn.split(":")
    region = parts[3] if len(parts) > 3 and parts[3] else home
    detail = reader.call(CT, region, "GetLandingZone", landingZoneIdentifier=arn)
    if is_unavailable(detail):
        return {
            "arn": arn,
            "region": region,
            "governed_regions": detail,
            "enrolled_ous": _enrolled_ous(reader, region),
        }
    body = detail.get("landingZone", {})
    manifest = body.get("manifest") if isinstance(body.get("manifest"), dict) else {}
    return {
        "arn": arn,
        "region": region,
        "status": body.get("status"),
        "governed_regions": sorted(str(r) for r in manifest.get("governedRegions", [])),
        "enrolled_ous": _enrolled_ous(reader, region),
    }


def landing_zones(reader: Reader, home: str, regions: list[str]) -> Evidence:
    """The Control Tower landing zone, looked for in every region where Control Tower is
    offered (it answers in its home region): its governed regions and registered OUs.

    A region without a Control Tower endpoint (botocore's endpoint data; Control Tower's
    regions: https://docs.aws.amazon.com/controltower/latest/userguide/region-how.html)
    cannot hold a landing zone: it is listed as not offered, not as unread."""
    not_offered = [r for r in regions if r != home and not offered_in(CT, r)]
    regions = [r for r in regions if r not in not_offered]
    with ThreadPoolExecutor(max_workers=8, thread_name_prefix="wellsec-landingzones") as pool:
        answers = dict(
            zip(
                regions,
                pool.map(
                    lambda r: reader.paginate(CT, r, "ListLandingZones", "landingZones"), regions
                ),
                strict=True,
            )
        )
    reader.connector.waited(1)  # the regions were read side by side
    unread = {r: a for r, a in answers.items() if is_unavailable(a)}
    if len(unread) == len(regions):
        return unavailable_for(unread[home], keys.LANDING_ZONES, keys.LANDING_ZONE_REGIONS)
    arns = sorted({str(z.get("arn")) for a in answers.values() if not is_unavailable(a) for z in a})
    read: s.LandingZoneRegions = {
        "read": [r for r in regions if r not in unread],
        "unread": unread,
        "not_offered": not_offered,
    }
    zones = [_landing_zone(reader, arn, home) for arn in arns]
    return {**keys.LANDING_ZONES.of(zones), **keys.LANDING_ZONE_REGIONS.of(read)}


@collectors.register(
    keys=(*STACK_SET_KEYS, keys.LANDING_ZONES, keys.LANDING_ZONE_REGIONS),
    actions=(
        "organizations:DescribeOrganization",
        "ec2:DescribeRegions",
        "cloudformation:ListStackSets",
        "cloudformation:ListStackInstances",
        "controltower:ListLandingZones",
        "controltower:GetLandingZone",
        "controltower:ListEnabledBaselines",
    ),
)
def baselines(reader: Reader, region: str) -> Evidence:
    """StackSets (every enabled region, CallAs as the caller's role needs) and landing zones."""
    regions = _regions(reader, region)
    return {**stack_sets(reader, region, regions), **landing_zones(reader, region, regions)}
