"""Account settings: the security alternate contact and enabled regions."""

from __future__ import annotations

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import is_unavailable
from wellsec.findings import Scope
from wellsec.snapshot import Evidence


@collectors.register(
    scope=Scope.ACCOUNT,
    keys=("account.security_contact",),
    actions=("account:GetAlternateContact",),
)
def security_contact(reader: Reader, region: str) -> Evidence:
    reply = reader.call(
        "account",
        region,
        "GetAlternateContact",
        expected={"ResourceNotFoundException": None},
        AlternateContactType="SECURITY",
    )
    if reply is None or is_unavailable(reply):
        return {"account.security_contact": reply}
    contact = reply.get("AlternateContact", {})
    # Names and addresses are personal data: keep only that they are there.
    return {
        "account.security_contact": {
            "type": contact.get("AlternateContactType", "SECURITY"),
            "has_email": bool(contact.get("EmailAddress")),
            "has_phone": bool(contact.get("PhoneNumber")),
            "has_name": bool(contact.get("Name")),
        }
    }


@collectors.register(
    scope=Scope.ACCOUNT,
    keys=("ec2.regions",),
    actions=("ec2:DescribeRegions",),
    priority=50,
)
def regions(reader: Reader, region: str) -> Evidence:
    reply = reader.call("ec2", region, "DescribeRegions", AllRegions=True)
    if is_unavailable(reply):
        return {"ec2.regions": reply}
    return {
        "ec2.regions": sorted(
            (
                {"name": r["RegionName"], "opt_in_status": r.get("OptInStatus", "")}
                for r in reply.get("Regions", [])
            ),
            key=lambda r: r["name"],
        )
    }
