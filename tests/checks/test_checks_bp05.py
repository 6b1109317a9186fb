"""SEC01-BP05 checks through the runner: PASS, FAIL, UNKNOWN and NOT_APPLICABLE each."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.builders import (
    HOME,
    MEMBER,
    SECURITY,
    OrgBuilder,
    account,
    mark_unreachable,
    set_evidence,
    set_unavailable,
)
from tests.checks.builders_security import (
    Case,
    aggregator,
    covered,
    judge,
    region_of,
    rule,
    secured,
    verdicts,
)
from wellsec.checks.recommendations import uncovered
from wellsec.checks.runner import all_checks
from wellsec.evidence import Unavailable
from wellsec.findings import Status
from wellsec.snapshot import Snapshot

BP = "SEC01-BP05"
OTHER = "us-east-1"
P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE
HUB = "securityhub_enabled"
AGG = "securityhub_cross_region_aggregation"
HEALTH = "health_events_routed"
TA = "trusted_advisor_security_checks"
SH = "securityhub.amazonaws.com"


def _regional(key: str, value: Any, region: str = HOME, account_id: str = MEMBER) -> Any:
    return lambda s: set_evidence(s, key, value, account_id=account_id, region=region)


def _throttled(key: str, region: str | None = HOME, account_id: str | None = MEMBER) -> Any:
    return lambda s: set_unavailable(
        s,
        key,
        account_id=account_id,
        region=region,
        reason=f"{key} throttled (test)",
        operation="svc:ReadIt",
        code="ThrottlingException",
    )


def _aggregators(account_id: str, *items: Any) -> Any:
    """Every region of ``account_id`` lists ``items`` as its aggregators."""

    def change(snapshot: Snapshot) -> None:
        for evidence in account(snapshot, account_id).regions.values():
            evidence["securityhub.finding_aggregators"] = list(items)

    return change


def _no_delegation(snapshot: Snapshot) -> None:
    """No Security Hub administrator (the builders organization delegates it to SECURITY)."""
    snapshot.organization["delegated_administrators"] = []


def _both(*changes: Any) -> Any:
    def change(snapshot: Snapshot) -> None:
        for each in changes:
            each(snapshot)

    return change


def _one_region(snapshot: Snapshot) -> None:
    del account(snapshot, MEMBER).regions[OTHER]


CASES = [
    # --- Security Hub on --------------------------------------------------------------------
    Case("enabled", HUB, P, says="Security Hub is enabled (since "),
    Case(
        "not subscribed",
        HUB,
        F,
        _regional("securityhub.hub", {"enabled": False}),
        f"Security Hub is not enabled in {HOME}",
        region=HOME,
    ),
    Case(
        "unreadable",
        HUB,
        U,
        _throttled("securityhub.hub"),
        "svc:ReadIt unavailable (ThrottlingException): securityhub.hub throttled (test)",
        region=HOME,
    ),
    # --- aggregation ------------------------------------------------------------------------
    Case(
        "own aggregator", AGG, P, says=f"findings of eu-west-1, us-east-1 are aggregated in {HOME}"
    ),
    Case(
        "specified regions",
        AGG,
        P,
        _aggregators(MEMBER, aggregator(MEMBER, "SPECIFIED_REGIONS", [OTHER])),
        f"aggregated in {HOME} (SPECIFIED_REGIONS)",
    ),
    Case(
        "administrator's aggregator",
        AGG,
        P,
        _aggregators(MEMBER),
        f"findings are aggregated by the Security Hub administrator {SECURITY} in {HOME}",
    ),
    Case(
        "none",
        AGG,
        F,
        _both(_aggregators(MEMBER), _no_delegation),
        "no Security Hub finding aggregator brings the regions together",
    ),
    Case(
        "partial",
        AGG,
        F,
        _both(
            _aggregators(MEMBER, aggregator(MEMBER, "ALL_REGIONS_EXCEPT_SPECIFIED", [OTHER])),
            _no_delegation,
        ),
        f"the aggregator in {HOME} (ALL_REGIONS_EXCEPT_SPECIFIED) misses {OTHER}",
    ),
    Case(
        "no-regions mode",
        AGG,
        F,
        _both(_aggregators(MEMBER, aggregator(MEMBER, "NO_REGIONS")), _no_delegation),
        f"misses {OTHER}",
    ),
    Case(
        "aggregator config unreadable",
        AGG,
        U,
        _both(
            _aggregators(
                MEMBER,
                {
                    "arn": f"arn:aws:securityhub:{HOME}:{MEMBER}:finding-aggregator/a",
                    "aggregation_region": HOME,
                    "config": Unavailable("get denied (test)", "securityhub:GetFindingAggregator"),
                },
            ),
            _no_delegation,
        ),
        "no proven cross-region aggregation: securityhub:GetFindingAggregator unavailable: "
        "get denied (test)",
    ),
    Case(
        "administrator not scanned",
        AGG,
        U,
        _both(
            _aggregators(MEMBER),
            lambda s: s.organization.update(
                delegated_administrators=[
                    {"account_id": "444444444444", "name": "sh", "services": [SH]}
                ]
            ),
        ),
        "Security Hub administrator 444444444444 was not scanned",
    ),
    Case(
        "delegations unreadable",
        AGG,
        U,
        _both(_aggregators(MEMBER), _throttled("delegated_administrators", None, None)),
        "delegated_administrators throttled (test)",
    ),
    Case(
        "one region",
        AGG,
        NA,
        _one_region,
        "one region scanned: nothing to aggregate across regions",
    ),
    # --- AWS Health -------------------------------------------------------------------------
    Case("routed", HEALTH, P, says="AWS Health events routed by aws-health"),
    Case(
        "no rule",
        HEALTH,
        F,
        _regional("events.health_rules", []),
        f"no EventBridge rule routes AWS Health events in {HOME}",
        region=HOME,
    ),
    Case(
        "disabled rule and rule without target",
        HEALTH,
        F,
        _regional(
            "events.health_rules",
            [rule("off", ["aws.health"], enabled=False), rule("lost", ["aws.health"], targets=[])],
        ),
        "no AWS Health rule routes events: off is disabled; lost has no target",
        region=HOME,
    ),
    Case(
        "rules unreadable",
        HEALTH,
        U,
        _throttled("events.health_rules"),
        "events.health_rules throttled (test)",
        region=HOME,
    ),
    Case(
        "targets unreadable",
        HEALTH,
        U,
        _regional(
            "events.health_rules",
            [
                rule(
                    "h", ["aws.health"], targets=Unavailable("t denied", "events:ListTargetsByRule")
                )
            ],
        ),
        "AWS Health rule targets: events:ListTargetsByRule unavailable: t denied",
        region=HOME,
    ),
    # --- Trusted Advisor --------------------------------------------------------------------
    Case("reachable", TA, P, says="3 Trusted Advisor security checks available"),
    Case(
        "no security check",
        TA,
        F,
        lambda s: set_evidence(
            s,
            "support.trusted_advisor",
            {"subscription": True, "checks": 3, "security_checks": []},
            account_id=MEMBER,
        ),
        "Trusted Advisor lists no security check",
    ),
    Case(
        "no support plan",
        TA,
        NA,
        lambda s: set_evidence(
            s, "support.trusted_advisor", {"subscription": False}, account_id=MEMBER
        ),
        "no Business, Enterprise On-Ramp or Enterprise Support (SubscriptionRequiredException)",
    ),
    Case(
        "unreadable",
        TA,
        U,
        _throttled("support.trusted_advisor", None),
        "support.trusted_advisor throttled (test)",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.check}-{c.name}")
def test_check_verdicts(case: Case) -> None:
    judge(case)


def test_tables_cover_every_bp05_check() -> None:
    mine = {c.id for c in all_checks() if c.best_practice == BP}
    assert mine == {HUB, AGG, HEALTH, TA}
    for status in (P, F, U):
        assert covered(CASES, status) == mine, status
    assert covered(CASES, NA) == {AGG, TA}  # TA: below Business support


def test_no_support_plan_is_a_known_state_not_missing_evidence() -> None:
    # SubscriptionRequiredException says what the account has: NOT_APPLICABLE, not UNKNOWN.
    snapshot = secured(OrgBuilder.standard().build())
    set_evidence(snapshot, "support.trusted_advisor", {"subscription": False}, account_id=MEMBER)
    assert {f.status for f in verdicts(snapshot, TA, MEMBER)} == {NA}
    assert {f.status for f in verdicts(snapshot, TA, SECURITY)} == {P}


def test_security_hub_off_in_one_region_fails_only_there() -> None:
    snapshot = secured(OrgBuilder.standard().build())
    region_of(snapshot, MEMBER, OTHER)["securityhub.hub"] = {"enabled": False}
    by_region = {f.region: f.status for f in verdicts(snapshot, HUB, MEMBER)}
    assert by_region == {HOME: P, OTHER: F}


def test_unreachable_account() -> None:
    snapshot = secured(OrgBuilder.standard().build())
    mark_unreachable(snapshot, MEMBER, "cannot assume the role")
    for check in (HUB, AGG, HEALTH, TA):
        (finding,) = verdicts(snapshot, check, MEMBER)
        assert finding.status is U
        assert "cannot assume the role" in finding.message


def test_missing_evidence_is_unknown_not_pass() -> None:
    snapshot = OrgBuilder.standard().build()  # nothing of BP05 collected
    for check in (HUB, HEALTH, TA):
        found = verdicts(snapshot, check, MEMBER)
        assert {f.status for f in found} == {U}, check
        assert all("was not collected" in f.message for f in found), check


@pytest.mark.parametrize(
    ("mode", "regions", "missing"),
    [
        ("ALL_REGIONS", [], []),
        ("ALL_REGIONS_EXCEPT_SPECIFIED", ["us-east-1"], ["us-east-1"]),
        ("SPECIFIED_REGIONS", ["us-east-1"], []),
        ("SPECIFIED_REGIONS", [], ["us-east-1"]),
        ("NO_REGIONS", [], ["us-east-1"]),
        ("SOMETHING_NEW", [], ["us-east-1"]),
    ],
)
def test_region_linking_modes(mode: str, regions: list[str], missing: list[str]) -> None:
    config = {"aggregation_region": "eu-west-1", "linking_mode": mode, "regions": regions}
    assert uncovered(config, ["eu-west-1", "us-east-1"]) == missing
