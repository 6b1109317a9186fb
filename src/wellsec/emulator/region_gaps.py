"""Region opt-in status (EC2 and Account APIs).

moto marks some opt-in regions ``opt-in-not-required``, ignores
``AllRegions`` and ``Filters``, lists other partitions' regions, and has no
``account:ListRegions``; these answers follow AWS instead (Control Tower:
:mod:`wellsec.emulator.controltower_gaps`).
"""

from __future__ import annotations

import fnmatch
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Reply, RequestInfo, error_reply, json_reply

# Regions enabled by default: those launched before 20 March 2019.
# Every region launched since is opt-in.
DEFAULT_ENABLED_REGIONS = frozenset(
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ca-central-1",
        "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1",
        "sa-east-1",
        "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
    }
)  # fmt: skip


def partition_of(region: str) -> str:
    """The partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso"):
        return "aws-iso-b" if region.startswith("us-isob") else "aws-iso"
    return "aws"


def ec2_opt_in_status(region: str, opted_in: frozenset[str]) -> str:
    """EC2's OptInStatus of ``region`` for an account that opted into ``opted_in``."""
    if region in DEFAULT_ENABLED_REGIONS:
        return "opt-in-not-required"
    return "opted-in" if region in opted_in else "not-opted-in"


def _filters(info: RequestInfo) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, values in info.params.items():
        match = re.fullmatch(r"Filter\.(\d+)\.Name", key)
        if match and values:
            prefix = f"Filter.{match.group(1)}.Value."
            found[values[0]] = [v[0] for k, v in info.params.items() if k.startswith(prefix)]
    return found


def _keep(fields: dict[str, str], filters: dict[str, list[str]]) -> bool:
    names = {"opt-in-status": "status", "region-name": "name", "endpoint": "endpoint"}
    for name, wanted in filters.items():
        value = fields.get(names.get(name, ""), "")
        if not any(fnmatch.fnmatchcase(value, pattern) for pattern in wanted):
            return False
    return True


def rewrite_describe_regions(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """Give each region the account's real opt-in status; honour AllRegions and Filters."""
    # catalogue: ec2:DescribeRegions
    text = body.decode("utf-8")
    block = re.search(r"<regionInfo>.*</regionInfo>|<regionInfo\s*/>", text, re.S)
    if block is None:
        return body
    wrapped = re.sub(r'\sxmlns="[^"]*"', "", block.group(0))
    opted_in = state.opted_in_regions(info.account_id)
    named = {v[0] for k, v in info.params.items() if k.startswith("RegionName.")}
    all_regions = info.param("AllRegions").lower() == "true"
    filters = _filters(info)
    items = []
    for item in ET.fromstring(wrapped).iter("item"):
        fields = {
            "name": item.findtext("regionName", ""),
            "endpoint": item.findtext("regionEndpoint", ""),
        }
        if partition_of(fields["name"]) != partition_of(info.region):
            continue
        fields["status"] = ec2_opt_in_status(fields["name"], opted_in)
        hidden = fields["status"] == "not-opted-in" and not all_regions
        if (hidden and fields["name"] not in named) or not _keep(fields, filters):
            continue
        items.append(
            f"<item><regionName>{escape(fields['name'])}</regionName>"
            f"<regionEndpoint>{escape(fields['endpoint'])}</regionEndpoint>"
            f"<optInStatus>{fields['status']}</optInStatus></item>"
        )
    new_block = "<regionInfo>" + "".join(items) + "</regionInfo>"
    return (text[: block.start()] + new_block + text[block.end() :]).encode("utf-8")


def account_opt_status(region: str, opted_in: frozenset[str]) -> str:
    """The Account API's RegionOptStatus of ``region``."""
    if region in DEFAULT_ENABLED_REGIONS:
        return "ENABLED_BY_DEFAULT"
    return "ENABLED" if region in opted_in else "DISABLED"


def _target_account(info: RequestInfo) -> str:
    requested = info.json_body().get("AccountId")
    return requested if isinstance(requested, str) and requested else info.account_id


def account_list_regions(info: RequestInfo, state: GapState, models: ServiceModels) -> Reply:
    """Answer account:ListRegions from the scenario's opted-in regions."""
    opted_in = state.opted_in_regions(_target_account(info))
    wanted = info.json_body().get("RegionOptStatusContains")
    regions = [
        {"RegionName": name, "RegionOptStatus": account_opt_status(name, opted_in)}
        for name in models.partition_regions(partition_of(info.region))
    ]
    if isinstance(wanted, list) and wanted:
        regions = [r for r in regions if r["RegionOptStatus"] in wanted]
    return json_reply({"Regions": regions})


def account_get_region_opt_status(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    """Answer account:GetRegionOptStatus from the scenario's opted-in regions."""
    name = info.json_body().get("RegionName")
    if not isinstance(name, str) or name not in models.partition_regions(partition_of(info.region)):
        return error_reply(info, "ValidationException", "Invalid region name.")
    status = account_opt_status(name, state.opted_in_regions(_target_account(info)))
    return json_reply({"RegionName": name, "RegionOptStatus": status})
