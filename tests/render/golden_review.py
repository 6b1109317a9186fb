"""A rich review (failures, unknowns, an unreachable account, an SCP-denied region,
hostile names, provenance) for the golden output tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from tests.checks.builders import (
    MEMBER,
    NOW,
    SECURITY,
    OrgBuilder,
    lens,
    mark_unreachable,
    run,
    set_unavailable,
    unavailable,
    workload,
)
from tests.render.hostile import HOSTILE
from wellsec.provenance import Origin, Provenance, Signature
from wellsec.review import Review, build_review

DENIED = "eu-central-1"  # outside the standard Guardrails' regions


def rich_review() -> Review:
    org = OrgBuilder.standard(scan_management=True)
    org.scps[-1]["name"] = "Guardrails " + HOSTILE
    org.add_account("444444444444", "sandbox", scanned=True)
    snapshot = org.build()
    snapshot.regions.append(DENIED)
    member = next(a for a in snapshot.accounts if a.id == MEMBER)
    member.name = "payments " + HOSTILE
    member.regions[DENIED] = {
        "events.root_rules": unavailable(
            "explicit deny", "events:ListRules", "AccessDeniedException"
        ),
        "guardduty.detectors": unavailable(
            "explicit deny", "guardduty:ListDetectors", "AccessDeniedException"
        ),
    }
    set_unavailable(snapshot, "iam.credential_report", account_id=SECURITY)
    mark_unreachable(snapshot, "444444444444", "AccessDenied on sts:AssumeRole")
    review = build_review(lens(), workload(), snapshot, run(snapshot), NOW)
    return replace(
        review,
        provenance=Provenance(
            origin=Origin.SNAPSHOT_FILE,
            tool_version="0.0.0-golden",
            made_at=NOW + dt.timedelta(minutes=5),
            caller_arn="arn:aws:iam::111111111111:role/Admin",
            scanned_at=NOW,
            scanned_by_version="0.0.0-golden",
            signature=Signature.UNSIGNED,
            snapshot_file="snapshot.json",
            snapshot_sha256="0" * 64,
        ),
    )
