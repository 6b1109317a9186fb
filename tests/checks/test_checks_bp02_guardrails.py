"""SEC01-BP02 guardrails: security contact, centralized root access, SCP statements, regions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.builders import (
    MEMBER,
    MGMT,
    OU_PROD,
    OU_SECURITY,
    OU_WORKLOADS,
    REGIONS,
    OrgBuilder,
    call,
    only,
    run,
    set_evidence,
    set_unavailable,
    standalone_snapshot,
    workload,
)
from wellsec.findings import Status
from wellsec.snapshot import Snapshot

# --- security_contact_registered ------------------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "expected", "says"),
    [
        pytest.param(
            {"type": "SECURITY", "has_email": True}, Status.PASS, "is registered", id="email"
        ),
        pytest.param(
            {"type": "SECURITY", "has_email": False, "has_phone": True},
            Status.FAIL,
            "has no email address",
            id="phone-only",
        ),
        pytest.param(None, Status.FAIL, "no security alternate contact", id="none"),
    ],
)
def test_security_contact_registered(
    contact: Any, expected: Status, says: str, snapshot: Snapshot
) -> None:
    set_evidence(snapshot, "account.security_contact", contact, account_id=MEMBER)
    finding = only(run(snapshot), "security_contact_registered", MEMBER)
    assert finding.status is expected
    assert says in finding.message


# --- centralized_root_access ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("enabled", "expected", "message"),
    [
        pytest.param(
            ["RootCredentialsManagement", "RootSessions"],
            Status.PASS,
            "root credentials management is enabled",
            id="both",
        ),
        pytest.param(
            ["RootCredentialsManagement"],
            Status.PASS,
            "root credentials management is enabled (RootSessions is off)",
            id="no-root-sessions",
        ),
        pytest.param(["RootSessions"], Status.FAIL, "centralized root access is not enabled"),
        pytest.param([], Status.FAIL, "centralized root access is not enabled", id="none"),
    ],
)
def test_centralized_root_access(
    enabled: list[str], expected: Status, message: str, snapshot: Snapshot
) -> None:
    set_evidence(snapshot, "organizations_features", {"enabled": enabled})
    finding = only(run(snapshot), "centralized_root_access")
    assert (finding.status, finding.message) == (expected, message)
    assert finding.resource == f"arn:aws:iam::{MGMT}:root"


@pytest.mark.parametrize(
    "why",
    [
        "trusted access for IAM is not enabled",
        "the organization does not have all features enabled",
    ],
)
def test_centralized_root_access_fails_when_iam_says_it_is_off(
    why: str, snapshot: Snapshot
) -> None:
    # ServiceAccessNotEnabled / OrganizationNotInAllFeaturesMode are facts, not missing evidence.
    set_evidence(snapshot, "organizations_features", {"enabled": [], "off": why})
    (verdict,) = call("centralized_root_access", snapshot)
    assert verdict.status is Status.FAIL
    assert verdict.message == f"centralized root access is off: {why}"


def test_centralized_root_access_not_applicable_outside_an_organization() -> None:
    (verdict,) = call("centralized_root_access", standalone_snapshot(MEMBER))
    assert verdict.status is Status.NOT_APPLICABLE
    assert "not in an organization" in verdict.message


def test_centralized_root_access_unknown_when_the_organization_is_unreadable(
    snapshot: Snapshot,
) -> None:
    missing = set_unavailable(snapshot, "organization", reason="DescribeOrganization throttled")
    (verdict,) = call("centralized_root_access", snapshot)
    assert verdict.status is Status.UNKNOWN
    assert missing.reason in verdict.message


# --- SCP statements -------------------------------------------------------------------------


def _only_scp(*statements: dict[str, Any]) -> Snapshot:
    """The member's only custom SCP, attached to its OU, holds exactly these statements."""
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.attach_scp("Under test", list(statements), OU_PROD)
    return org.build()


def _deny(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Resource": "*", **fields}


def _verdict(check_id: str, *statements: dict[str, Any]) -> Any:
    (verdict,) = call(check_id, _only_scp(*statements), MEMBER)
    return verdict


REGION_CONDITION = {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}
GLOBAL = ["iam:*", "organizations:*", "sts:*", "support:*"]


def _region_deny(operator: str, regions: Any, **fields: Any) -> dict[str, Any]:
    fields.setdefault("NotAction", GLOBAL)
    return _deny(Condition={operator: {"aws:RequestedRegion": regions}}, **fields)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        pytest.param(
            _deny(NotAction=GLOBAL, Condition=REGION_CONDITION),
            Status.PASS,
            id="notaction-exempting-global-services",
        ),
        pytest.param(_deny(Action="*", Condition=REGION_CONDITION), Status.PASS, id="action-star"),
        pytest.param(
            _region_deny("StringNotLike", ["eu-west-?", "us-east-1"]),
            Status.FAIL,
            id="not-like-wildcard-leaves-eu-west-2-open",
        ),
        pytest.param(
            _region_deny("StringNotLike", ["eu-west-1", "us-east-1"]),
            Status.PASS,
            id="not-like-exact",
        ),
        pytest.param(
            _region_deny("StringNotEqualsIgnoreCase", ["EU-West-1", "US-EAST-1"]),
            Status.PASS,
            id="ignore-case",
        ),
        pytest.param(
            _region_deny("StringNotEquals", ["eu-west-1", "US-EAST-1"]),
            Status.FAIL,
            id="case-sensitive-equals-denies-us-east-1",
        ),
        pytest.param(
            _region_deny("ForAnyValue:StringNotEquals", ["eu-west-1", "us-east-1"]),
            Status.PASS,
            id="for-any-value",
        ),
        pytest.param(
            _region_deny("StringNotEqualsIfExists", ["eu-west-1", "us-east-1"]),
            Status.PASS,
            id="if-exists",
        ),
        pytest.param(
            _deny(Action="*", Condition={"StringNotEquals": {"AWS:requestedregion": REGIONS}}),
            Status.PASS,
            id="key-case-insensitive",
        ),
        pytest.param(
            _region_deny("StringNotEquals", "eu-central-1"),
            Status.FAIL,
            id="allows-only-another-region",
        ),
        pytest.param(
            _region_deny("StringNotEquals", [*REGIONS, "eu-central-1"]),
            Status.FAIL,
            id="allows-a-region-outside-the-workload",
        ),
        pytest.param(
            _region_deny("StringNotEquals", REGIONS, Action="ec2:RunInstances", NotAction=None),
            Status.FAIL,
            id="denies-one-action-only",
        ),
        pytest.param(
            _region_deny("StringNotEquals", REGIONS, NotAction=[*GLOBAL, "s3:*"]),
            Status.FAIL,
            id="exempts-a-regional-service",
        ),
        pytest.param(
            _region_deny(
                "StringNotEquals",
                REGIONS,
                NotAction=[*GLOBAL, "ec2:DescribeRegions", "s3:GetAccountPublicAccessBlock"],
            ),
            Status.PASS,
            id="exempts-global-operations",
        ),
        pytest.param(
            _deny(
                Action="*",
                Condition={
                    **REGION_CONDITION,
                    "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"},
                },
            ),
            Status.PASS,
            id="exempted-admin-role",
        ),
        pytest.param(
            _deny(
                Action="*",
                Condition={**REGION_CONDITION, "Bool": {"aws:ViaAWSService": "false"}},
            ),
            Status.FAIL,
            id="other-condition",
        ),
        pytest.param(
            _deny(Action="*", Condition={"StringEquals": {"aws:RequestedRegion": "ap-east-1"}}),
            Status.FAIL,
            id="deny-list-of-regions",
        ),
        pytest.param(
            _deny(Action="*", Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}),
            Status.FAIL,
            id="denies-a-workload-region",
        ),
        pytest.param(
            {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": REGION_CONDITION},
            Status.FAIL,
            id="allow-is-no-guardrail",
        ),
        pytest.param(_deny(Action="*"), Status.FAIL, id="no-region-condition"),
    ],
)
def test_regions_restricted_by_scp(statement: dict[str, Any], expected: Status) -> None:
    if statement.get("NotAction") is None:
        statement.pop("NotAction", None)
    verdict = _verdict("regions_restricted_by_scp", statement)
    assert verdict.status is expected, verdict.message


def test_region_restriction_names_the_policy_and_the_regions() -> None:
    statement = _deny(NotAction=["iam:*"], Condition=REGION_CONDITION)
    verdict = _verdict("regions_restricted_by_scp", statement)
    assert verdict.message == (
        "SCP Under test (p-under test) allows only the workload's regions eu-west-1, us-east-1"
    )


def test_a_narrow_region_statement_is_named_with_what_it_misses() -> None:
    narrow = _region_deny("StringNotEquals", REGIONS, Action="ec2:RunInstances", NotAction=None)
    narrow.pop("NotAction")
    verdict = _verdict("regions_restricted_by_scp", narrow)
    assert verdict.status is Status.FAIL
    assert "denies only ec2:RunInstances outside its regions" in verdict.message


def test_a_region_outside_the_workload_is_listed() -> None:
    verdict = _verdict(
        "regions_restricted_by_scp", _region_deny("StringNotEquals", [*REGIONS, "eu-central-1"])
    )
    assert verdict.message.endswith("allows regions outside the workload's: eu-central-1")


def test_statements_at_several_levels_of_the_path_add_up() -> None:
    """The root's SCP allows eu-* and us-east-1; the OU's denies everything but the
    workload's two regions: together they leave only the workload's regions open."""
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.attach_scp("Root", [_region_deny("StringNotLike", ["eu-*", "us-east-1"])], "r-root1")
    org.attach_scp(
        "Ou", [_region_deny("StringNotEquals", [*REGIONS, "eu-central-1"])], OU_WORKLOADS
    )
    (verdict,) = call("regions_restricted_by_scp", org.build(), MEMBER)
    assert verdict.status is Status.FAIL
    assert verdict.message.endswith("outside the workload's: eu-central-1")
    org.attach_scp("Account", [_region_deny("StringNotEquals", REGIONS)], MEMBER)
    (verdict,) = call("regions_restricted_by_scp", org.build(), MEMBER)
    assert verdict.status is Status.PASS, verdict.message


def test_an_scp_elsewhere_in_the_tree_does_not_apply() -> None:
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.attach_scp("Security only", [_region_deny("StringNotEquals", REGIONS)], OU_SECURITY)
    (verdict,) = call("regions_restricted_by_scp", org.build(), MEMBER)
    assert (verdict.status, verdict.message) == (
        Status.FAIL,
        "no SCP restricts the regions in use",
    )


def test_without_declared_regions_the_guardrail_is_not_compared() -> None:
    verdict = only(
        run(_only_scp(_region_deny("StringNotEquals", "eu-central-1")), wl=workload(regions=[])),
        "regions_restricted_by_scp",
        MEMBER,
    )
    assert verdict.status is Status.PASS
    assert "declares no regions" in verdict.message


ROOT_ARN = "arn:aws:iam::*:root"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        pytest.param({"StringLike": {"aws:PrincipalArn": ROOT_ARN}}, Status.PASS, id="string"),
        pytest.param({"ArnLike": {"aws:PrincipalArn": [ROOT_ARN]}}, Status.PASS, id="arn-like"),
        pytest.param({"ArnNotLike": {"aws:PrincipalArn": ROOT_ARN}}, Status.FAIL, id="not-like"),
        pytest.param(
            {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}},
            Status.FAIL,
            id="a-role",
        ),
        pytest.param(None, Status.FAIL, id="no-condition"),
    ],
)
def test_scp_denies_root_actions(condition: dict[str, Any] | None, expected: Status) -> None:
    statement = _deny(Action="*", **({"Condition": condition} if condition else {}))
    verdict = _verdict("scp_denies_root_actions", statement)
    assert verdict.status is expected, verdict.message


LEAVE = "organizations:LeaveOrganization"


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        pytest.param(_deny(Action=LEAVE), Status.PASS, id="action-string"),
        pytest.param(_deny(Action=["s3:DeleteBucket", LEAVE]), Status.PASS, id="action-list"),
        pytest.param(_deny(Action="organizations:*"), Status.PASS, id="service-wildcard"),
        pytest.param(_deny(Action="organizations:Leave*"), Status.PASS, id="prefix-wildcard"),
        pytest.param(_deny(Action="*"), Status.PASS, id="star"),
        pytest.param(_deny(Action="Organizations:leaveorganization"), Status.PASS, id="any-case"),
        pytest.param(_deny(NotAction=["iam:*", "sts:*"]), Status.PASS, id="notaction-covers"),
        pytest.param(
            _deny(NotAction=["organizations:*"]), Status.FAIL, id="notaction-exempts-organizations"
        ),
        pytest.param(
            _deny(
                Action=LEAVE,
                Condition={"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgAdmin"}},
            ),
            Status.FAIL,
            id="conditional-deny-does-not-count",
        ),
        pytest.param(
            {"Effect": "Allow", "Action": LEAVE, "Resource": "*"}, Status.FAIL, id="allow"
        ),
        pytest.param(_deny(Action="organizations:Describe*"), Status.FAIL, id="other-actions"),
    ],
)
def test_scp_denies_leave_organization(statement: dict[str, Any], expected: Status) -> None:
    verdict = _verdict("scp_denies_leave_organization", statement)
    assert verdict.status is expected, verdict.message


def test_a_conditional_deny_is_skipped_but_a_later_unconditional_one_counts() -> None:
    conditional = _deny(Action=LEAVE, Condition={"Bool": {"aws:ViaAWSService": "false"}})
    verdict = _verdict("scp_denies_leave_organization", conditional, _deny(Action=LEAVE))
    assert verdict.status is Status.PASS
    assert verdict.message == f"SCP Under test denies {LEAVE}"


def test_a_single_statement_object_is_read_like_a_list() -> None:
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.attach_scp("Single", [], OU_PROD)
    org.scps[-1]["content"] = {"Version": "2012-10-17", "Statement": _deny(Action=LEAVE)}
    (verdict,) = call("scp_denies_leave_organization", org.build(), MEMBER)
    assert verdict.status is Status.PASS


def test_an_unparsed_policy_denies_nothing() -> None:
    org = OrgBuilder.standard().without_scp("Guardrails")
    org.attach_scp("Broken", [], OU_PROD)
    org.scps[-1]["content"] = {"unparsed": '{"Statement": ['}
    for check_id in ("scp_denies_leave_organization", "scp_denies_root_actions"):
        (verdict,) = call(check_id, org.build(), MEMBER)
        assert verdict.status is Status.FAIL
    (verdict,) = call("custom_scp_applied", org.build(), MEMBER)
    assert verdict.status is Status.PASS  # it is still a custom policy in effect


# --- no_unapproved_opt_in_regions -----------------------------------------------------------


def _regions(snapshot: Snapshot, **statuses: str) -> None:
    value = [{"name": name.replace("_", "-"), "opt_in_status": s} for name, s in statuses.items()]
    set_evidence(snapshot, "ec2.regions", value, account_id=MEMBER)


def test_opted_in_regions_outside_the_workload_fail_and_are_listed(snapshot: Snapshot) -> None:
    _regions(
        snapshot,
        eu_west_1="opt-in-not-required",
        me_central_1="opted-in",
        af_south_1="opted-in",
        ap_east_1="not-opted-in",
    )
    (verdict,) = call("no_unapproved_opt_in_regions", snapshot, MEMBER)
    assert verdict.status is Status.FAIL
    assert verdict.message.endswith("workload's: af-south-1, me-central-1")


def test_an_approved_opt_in_region_passes(snapshot: Snapshot) -> None:
    _regions(snapshot, eu_west_1="opt-in-not-required", af_south_1="opted-in")
    wl = workload(regions=["eu-west-1", "af-south-1"])
    (verdict,) = call("no_unapproved_opt_in_regions", snapshot, MEMBER, wl=wl)
    assert verdict.status is Status.PASS


def test_approved_regions_default_to_the_scanned_regions(snapshot: Snapshot) -> None:
    _regions(snapshot, af_south_1="opted-in")
    no_regions = workload(regions=[])
    (verdict,) = call("no_unapproved_opt_in_regions", snapshot, MEMBER, wl=no_regions)
    assert verdict.status is Status.FAIL
    snapshot.regions = [*REGIONS, "af-south-1"]
    (verdict,) = call("no_unapproved_opt_in_regions", snapshot, MEMBER, wl=no_regions)
    assert verdict.status is Status.PASS
