"""The evidence the current lens (sec01@2025) asks for and the seed's did not:
managed_services_share (BP05) and standard_controls_deployed (BP06), and how the
runner files every check under the practice it serves in each lens version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.checks.builders import (
    HOME,
    MEMBER,
    MGMT,
    OU_PROD,
    OU_SECURITY,
    REGIONS,
    SECURITY,
    account,
    context,
    set_evidence,
    set_unavailable,
    unavailable,
)
from tests.checks.builders_detection import healthy, healthy_with_management, recorder
from wellsec.checks.registry import checks
from wellsec.checks.runner import run_checks
from wellsec.collect.inventory import WORKLOAD_TYPES
from wellsec.findings import Status
from wellsec.lens import load_lens
from wellsec.snapshot import Snapshot

OTHER = "eu-west-1" if HOME != "eu-west-1" else "us-east-1"


def counts(**found: int) -> dict[str, int]:
    """Resource counts as the collector writes them: every workload type, 0 unless given."""
    value = dict.fromkeys(WORKLOAD_TYPES, 0)
    value.update({f"AWS::{k.replace('__', '::')}": n for k, n in found.items()})
    return value


def inventoried(
    snapshot: Snapshot, per_region: dict[str, dict[str, int]] | None = None
) -> Snapshot:
    """Give every scanned account and region an inventory (empty unless ``per_region``)."""
    for acct in snapshot.accounts:
        for region in REGIONS:
            value = (per_region or {}).get(f"{acct.id}/{region}", counts())
            acct.regions.setdefault(region, {})["config.resource_counts"] = value
    return snapshot


def instances(
    account_id: str, regions: tuple[str, ...] = tuple(REGIONS), status: str = "CURRENT"
) -> list[dict[str, str]]:
    return [{"account": account_id, "region": r, "status": status} for r in regions]


def baseline(*entries: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": "account-baseline",
            "permission_model": "SERVICE_MANAGED",
            "instances": list(entries),
        }
    ]


def verdicts(check_id: str, snapshot: Snapshot, account_id: str) -> list[tuple[Status, str]]:
    spec = checks.get(check_id)
    found = spec.fn(context(snapshot), account(snapshot, account_id))
    return [(v.status, v.message) for v in found]


# --- managed_services_share -------------------------------------------------------------


def test_share_passes_when_most_of_the_workload_is_managed() -> None:
    snapshot = inventoried(
        healthy(),
        {
            f"{MEMBER}/{HOME}": counts(EC2__Instance=2, Lambda__Function=3),
            f"{MEMBER}/{OTHER}": counts(DynamoDB__Table=1),
        },
    )
    [(status, message)] = verdicts("managed_services_share", snapshot, MEMBER)
    assert status is Status.PASS
    assert message.startswith("4 of 6 compute and database resources (66%) on managed services")
    assert "1 Lambda function" not in message and "3 Lambda functions" in message
    assert "self-managed: 2 EC2 instances" in message


def test_share_fails_below_half_and_says_the_figure() -> None:
    snapshot = inventoried(
        healthy(), {f"{MEMBER}/{HOME}": counts(EC2__Instance=3, RDS__DBInstance=1)}
    )
    [(status, message)] = verdicts("managed_services_share", snapshot, MEMBER)
    assert status is Status.FAIL
    assert "1 of 4 compute and database resources (25%)" in message
    assert "below the required 50%" in message


def test_no_workload_resource_is_not_applicable() -> None:
    snapshot = inventoried(healthy())
    [(status, message)] = verdicts("managed_services_share", snapshot, SECURITY)
    assert status is Status.NOT_APPLICABLE and "no compute or database resource" in message


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda s: set_unavailable(s, "config.resource_counts", account_id=MEMBER, region=OTHER),
         "config.resource_counts denied"),
        (lambda s: set_unavailable(s, "config.recorders", account_id=MEMBER, region=OTHER),
         "config.recorders denied"),
        (lambda s: set_evidence(s, "config.recorders", [recorder(recording=False)],
                                account_id=MEMBER, region=OTHER), "recorder default is stopped"),
        (lambda s: set_evidence(s, "config.recorders", [], account_id=MEMBER, region=OTHER),
         "no recorder"),
        (lambda s: set_evidence(s, "config.recorders",
                                [recorder(recording=unavailable("status denied"))],
                                account_id=MEMBER, region=OTHER), "status denied"),
        (lambda s: set_evidence(s, "config.recorders",
                                [recorder(strategy="INCLUSION_BY_RESOURCE_TYPES",
                                          all_supported=False,
                                          resource_types=["AWS::EC2::Instance"])],
                                account_id=MEMBER, region=OTHER), "not record 10 workload types"),
        (lambda s: set_evidence(s, "config.recorders",
                                [recorder(strategy="EXCLUSION_BY_RESOURCE_TYPES",
                                          excluded_types=["AWS::Lambda::Function"])],
                                account_id=MEMBER, region=OTHER), "(Lambda function)"),
        (lambda s: account(s, MEMBER).regions[OTHER].pop("config.resource_counts"),
         "was not collected"),  # a snapshot from before this evidence existed
    ],
)  # fmt: skip
def test_an_incomplete_inventory_is_unknown_never_a_verdict(
    change: Callable[[Snapshot], Any], says: str
) -> None:
    # One region alone already clears the bar: the unread one could still hold instances.
    snapshot = inventoried(healthy(), {f"{MEMBER}/{HOME}": counts(Lambda__Function=5)})
    change(snapshot)
    [(status, message)] = verdicts("managed_services_share", snapshot, MEMBER)
    assert status is Status.UNKNOWN
    assert says in message and f"{OTHER}:" in message
    assert "seen so far: 5 of 5" in message


def test_an_exclusion_of_other_types_keeps_the_inventory_complete() -> None:
    snapshot = inventoried(healthy(), {f"{MEMBER}/{HOME}": counts(Lambda__Function=1)})
    kept = recorder(strategy="EXCLUSION_BY_RESOURCE_TYPES", excluded_types=["AWS::SNS::Topic"])
    set_evidence(snapshot, "config.recorders", [kept], account_id=MEMBER, region=OTHER)
    assert verdicts("managed_services_share", snapshot, MEMBER)[0][0] is Status.PASS


# --- standard_controls_deployed ---------------------------------------------------------


def test_a_stackset_instance_in_the_account_passes() -> None:
    snapshot = healthy_with_management()
    set_evidence(snapshot, "stack_set_instances", baseline(*instances(MEMBER, (HOME,))))
    set_evidence(snapshot, "landing_zones", [])
    [(status, message)] = verdicts("standard_controls_deployed", snapshot, MEMBER)
    assert status is Status.PASS and message == f"deployed by StackSets: account-baseline ({HOME})"
    [(status, message)] = verdicts("standard_controls_deployed", snapshot, SECURITY)
    assert status is Status.FAIL and "no StackSet has deployed" in message
    [(status, _)] = verdicts("standard_controls_deployed", snapshot, MGMT)
    assert status is Status.NOT_APPLICABLE


def test_an_outdated_instance_does_not_count() -> None:
    snapshot = healthy()
    set_evidence(snapshot, "stack_set_instances", baseline(*instances(MEMBER, status="OUTDATED")))
    set_evidence(snapshot, "landing_zones", [])
    [(status, message)] = verdicts("standard_controls_deployed", snapshot, MEMBER)
    assert status is Status.FAIL and "not deployed: account-baseline (OUTDATED)" in message


ZONE = "arn:aws:controltower:eu-west-1:111111111111:landingzone/LZ1"


def _zone(enrolled: list[str], governed: list[str] = REGIONS) -> dict[str, Any]:
    return {
        "arn": ZONE,
        "region": "eu-west-1",
        "enrolled_ous": enrolled,
        "governed_regions": governed,
    }


def test_a_landing_zone_governs_only_the_accounts_of_its_registered_ous() -> None:
    snapshot = healthy()
    set_evidence(snapshot, "stack_set_instances", [])
    set_evidence(snapshot, "landing_zones", [_zone([OU_PROD])])
    [(status, message)] = verdicts("standard_controls_deployed", snapshot, MEMBER)
    assert status is Status.PASS
    assert message == f"governed by the Control Tower landing zone {ZONE} (OU {OU_PROD} registered)"
    [(status, message)] = verdicts("standard_controls_deployed", snapshot, SECURITY)
    assert status is Status.FAIL
    assert f"the landing zone {ZONE} does not govern its OU {OU_SECURITY}" in message


def test_a_landing_zone_must_govern_the_workload_regions() -> None:
    snapshot = healthy()
    set_evidence(snapshot, "stack_set_instances", [])
    set_evidence(snapshot, "landing_zones", [_zone([OU_PROD], governed=["eu-west-1"])])
    [(status, message)] = verdicts("standard_controls_deployed", snapshot, MEMBER)
    assert status is Status.FAIL
    assert "does not govern the regions us-east-1" in message


def test_stack_sets_still_pass_an_account_the_landing_zone_does_not_govern() -> None:
    snapshot = healthy()
    set_evidence(snapshot, "stack_set_instances", baseline(*instances(SECURITY, (HOME,))))
    set_evidence(snapshot, "landing_zones", [_zone([OU_PROD])])
    [(status, _)] = verdicts("standard_controls_deployed", snapshot, SECURITY)
    assert status is Status.PASS


def test_a_landing_zone_without_its_enrolment_read_is_unknown() -> None:
    snapshot = healthy()
    set_evidence(snapshot, "stack_set_instances", [])
    set_evidence(snapshot, "landing_zones", [{"arn": ZONE}])  # an older snapshot
    [(status, message)] = verdicts("standard_controls_deployed", snapshot, MEMBER)
    assert status is Status.UNKNOWN and "registered OUs" in message


def test_a_region_whose_stack_sets_were_unread_makes_an_absence_unknown() -> None:
    snapshot = healthy()
    set_evidence(snapshot, "stack_set_instances", [])
    set_evidence(snapshot, "landing_zones", [])
    refused = unavailable("explicit deny", "cloudformation:ListStackSets", "AccessDenied")
    set_evidence(
        snapshot,
        "stack_set_regions",
        {"call_as": "SELF", "read": [HOME], "unread": {"ap-south-1": refused}},
    )
    [(status, message)] = verdicts("standard_controls_deployed", snapshot, MEMBER)
    assert status is Status.UNKNOWN and "explicit deny" in message
    set_evidence(snapshot, "stack_set_instances", baseline(*instances(MEMBER, (HOME,))))
    [(status, _)] = verdicts("standard_controls_deployed", snapshot, MEMBER)
    assert status is Status.PASS


@pytest.mark.parametrize("denied", ["stack_set_instances", "landing_zones", "instances"])
def test_unread_deployments_are_unknown(denied: str) -> None:
    snapshot = healthy()
    set_evidence(snapshot, "stack_set_instances", baseline(*instances(SECURITY)))
    set_evidence(snapshot, "landing_zones", [])
    if denied == "instances":
        snapshot.organization["stack_set_instances"][0]["instances"] = unavailable("denied")
    else:
        set_unavailable(snapshot, denied)
    [(status, _)] = verdicts("standard_controls_deployed", snapshot, MEMBER)
    assert status is Status.UNKNOWN


# --- filing under each lens version -----------------------------------------------------


def test_the_runner_files_checks_under_each_versions_practice() -> None:
    snapshot = inventoried(healthy(), {f"{MEMBER}/{HOME}": counts(EC2__Instance=1)})
    set_evidence(snapshot, "stack_set_instances", baseline(*instances(MEMBER)))
    set_evidence(snapshot, "landing_zones", [])
    ctx = context(snapshot)
    seed = run_checks(ctx, load_lens("sec01@2022"))
    current = run_checks(ctx, load_lens("sec01@2025"))

    def practices(found: list[Any], check: str) -> set[str]:
        return {f.best_practice for f in found if f.check == check}

    assert practices(seed, "securityhub_enabled") == {"SEC01-BP05"}
    assert practices(current, "securityhub_enabled") == {"SEC01-BP04"}
    assert practices(seed, "managed_services_share") == set()
    assert practices(current, "managed_services_share") == {"SEC01-BP05"}
    assert practices(current, "standard_controls_deployed") == {"SEC01-BP06"}
    # the merged practices' attestations land on the current BP04
    assert practices(current, "attest.security_recommendations_followed") == {"SEC01-BP04"}
    # the verdict of a check shared by both versions does not depend on the version
    verdict = {(f.check, f.account, f.region, f.resource): f.status for f in seed}
    assert all(
        verdict[(f.check, f.account, f.region, f.resource)] is f.status
        for f in current
        if (f.check, f.account, f.region, f.resource) in verdict
    )
