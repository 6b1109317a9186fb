"""Regions the organization's own region-deny SCP refuses are out of bounds, not unknown."""

from __future__ import annotations

from typing import Any

from tests.checks.builders import MEMBER, MGMT, OU_PROD, OrgBuilder, run, unavailable
from wellsec.checks.region_scps import all_scp_denied_regions, denial_notes
from wellsec.findings import Finding, Status
from wellsec.snapshot import Snapshot

DENIED = "eu-central-1"  # outside the standard Guardrails' eu-west-1, us-east-1


def _refused(code: str = "AccessDeniedException") -> dict[str, Any]:
    """A region's evidence when every regional call there was refused."""
    return {
        "events.root_rules": unavailable("explicit deny", "events:ListRules", code),
        "guardduty.detectors": unavailable("explicit deny", "guardduty:ListDetectors", code),
    }


def _with_region(org: OrgBuilder, account_id: str, evidence: dict[str, Any]) -> Snapshot:
    snapshot = org.build()
    snapshot.regions.append(DENIED)
    next(a for a in snapshot.accounts if a.id == account_id).regions[DENIED] = evidence
    return snapshot


def _key(f: Finding) -> tuple[Any, ...]:
    return (f.check, f.account, f.region, f.status, f.message)


def test_a_denied_region_changes_no_verdict_and_says_why_it_is_left_out() -> None:
    org = OrgBuilder.standard(scan_management=True)
    before = {_key(f) for f in run(org.build())}
    findings = run(_with_region(org, MEMBER, _refused()))
    there = [f for f in findings if f.region == DENIED]
    assert there and all(f.status is Status.NOT_APPLICABLE for f in there)
    assert all(
        f.message.startswith(f"region {DENIED} denied by the organization's SCP Guardrails")
        for f in there
    )
    assert {_key(f) for f in findings if f.region != DENIED} == before


def test_ec2_says_unauthorized_operation() -> None:
    snapshot = _with_region(OrgBuilder.standard(), MEMBER, _refused("UnauthorizedOperation"))
    (denial,) = all_scp_denied_regions(snapshot)
    assert (denial.account_id, denial.region, denial.rule.policy_id) == (
        MEMBER,
        DENIED,
        "p-guardrails",
    )
    assert denial_notes(snapshot) == [
        f"account {MEMBER} (payments-prod): regions {DENIED} denied by the organization's "
        "SCP Guardrails (p-guardrails); checks there are not applicable"
    ]


def test_the_management_account_is_never_denied_by_an_scp() -> None:
    snapshot = _with_region(OrgBuilder.standard(scan_management=True), MGMT, _refused())
    assert all_scp_denied_regions(snapshot) == []
    assert any(f.status is Status.UNKNOWN and f.region == DENIED for f in run(snapshot))


def test_other_failures_in_a_denied_region_stay_unknown() -> None:
    throttled = {"events.root_rules": unavailable("throttled", "events:ListRules", "Throttling")}
    snapshot = _with_region(OrgBuilder.standard(), MEMBER, throttled)
    assert all_scp_denied_regions(snapshot) == []
    assert any(f.status is Status.UNKNOWN and f.region == DENIED for f in run(snapshot))


def test_a_refusal_the_scp_does_not_explain_stays_unknown() -> None:
    """The SCP exempts iam:*: an AccessDenied on an IAM call is some other policy's doing."""
    iam = {"events.root_rules": unavailable("denied", "iam:ListRoles", "AccessDenied")}
    snapshot = _with_region(OrgBuilder.standard(), MEMBER, iam)
    assert all_scp_denied_regions(snapshot) == []


def test_a_region_the_scp_allows_is_not_excused() -> None:
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.attach_scp(
        "Wide",
        [
            {
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"StringNotLike": {"aws:RequestedRegion": "eu-*"}},
            }
        ],
        OU_PROD,
    )
    assert all_scp_denied_regions(_with_region(org, MEMBER, _refused())) == []
