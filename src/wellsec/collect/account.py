"""Account settings: the security alternate contact and enabled regions."""

from __future__ import annotations

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import is_unavailable, keys
from wellsec.snapshot import Evidence


@collectors.register(
    keys=(keys.ACCOUNT_SECURITY_CONTACT,), actions=("account:GetAlternateContact",)
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
        return keys.ACCOUNT_SECURITY_CONTACT.of(reply)
    contact = reply.get("AlternateContact", {})
    # Names and addresses are personal data: keep only that they are there.
    return keys.ACCOUNT_SECURITY_CONTACT.of(
        {
            "type": contact.get("AlternateContactType", "SECURITY"),
            "has_email": bool(contact.get("EmailAddress")),
            "has_phone": bool(contact.get("PhoneNumber")),
            "has_name": bool(contact.get("Name")),
        }
    )


@collectors.register(keys=(keys.EC2_REGIONS,), actions=("ec2:DescribeRegions",), priority=50)
def regions(reader: Reader, region: str) -> Evidence:
    reply = reader.call("ec2", region, "DescribeRegions", AllRegions=True)
    if is_unavailable(reply):
        return keys.EC2_REGIONS.of(reply)
    return keys.EC2_REGIONS.of(
        sorted(
            (
                {"name": r["RegionName"], "opt_in_status": r.get("OptInStatus", "")}
                for r in reply.get("Regions", [])
            ),
            key=lambda r: r["name"],
        )
    )
