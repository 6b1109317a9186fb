"""SEC01-BP02 trail and root-alerting checks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.builders import (
    HOME,
    MEMBER,
    MGMT,
    OUTSIDER,
    OrgBuilder,
    account,
    alarm,
    call,
    event_rule,
    foreign_alerting,
    log_group_arn,
    only,
    owned_alerting,
    root_filter,
    run,
    set_evidence,
    set_unavailable,
    trail,
    unavailable,
)
from wellsec.findings import Status
from wellsec.snapshot import Snapshot

# --- cloudtrail_multi_region_logging --------------------------------------------------------


def _trails(snapshot: Snapshot, *trails: dict[str, Any], account_id: str = MEMBER) -> None:
    set_evidence(snapshot, "cloudtrail.trails", list(trails), account_id=account_id)


def test_multi_region_logging_names_the_good_trails(snapshot: Snapshot) -> None:
    _trails(snapshot, trail(MEMBER, name="b-trail"), trail(MEMBER, name="a-trail"))
    (verdict,) = call("cloudtrail_multi_region_logging", snapshot, MEMBER)
    assert verdict.status is Status.PASS
    assert verdict.message.endswith("management events: a-trail, b-trail")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"multi_region": False}, id="single-region"),
        pytest.param({"is_logging": False}, id="stopped"),
        pytest.param({"management_events": False}, id="data-events-only"),
    ],
)
def test_multi_region_logging_fails_for_a_trail_that_cannot_back_it(
    changes: dict[str, Any], snapshot: Snapshot
) -> None:
    _trails(snapshot, trail(MEMBER, **changes))
    (verdict,) = call("cloudtrail_multi_region_logging", snapshot, MEMBER)
    assert verdict.status is Status.FAIL


def test_multi_region_logging_fails_without_trails(snapshot: Snapshot) -> None:
    _trails(snapshot)
    assert call("cloudtrail_multi_region_logging", snapshot, MEMBER)[0].status is Status.FAIL


def test_multi_region_logging_is_unknown_when_trail_status_is_unreadable(
    snapshot: Snapshot,
) -> None:
    missing = unavailable("GetTrailStatus denied", "cloudtrail:GetTrailStatus", "AccessDenied")
    _trails(snapshot, trail(MEMBER, is_logging=missing))
    (verdict,) = call("cloudtrail_multi_region_logging", snapshot, MEMBER)
    assert verdict.status is Status.UNKNOWN
    assert "GetTrailStatus denied" in verdict.message


def test_one_proven_trail_outweighs_an_unreadable_one(snapshot: Snapshot) -> None:
    doubtful = trail(MEMBER, name="other", management_events=unavailable("selectors denied"))
    _trails(snapshot, doubtful, trail(MEMBER))
    (verdict,) = call("cloudtrail_multi_region_logging", snapshot, MEMBER)
    assert verdict.status is Status.PASS


def test_a_single_region_trail_with_unreadable_status_is_no_doubt(snapshot: Snapshot) -> None:
    _trails(snapshot, trail(MEMBER, multi_region=False, is_logging=unavailable("denied")))
    (verdict,) = call("cloudtrail_multi_region_logging", snapshot, MEMBER)
    assert verdict.status is Status.FAIL


def test_a_stopped_trail_fails_even_when_its_selectors_are_unreadable(snapshot: Snapshot) -> None:
    _trails(snapshot, trail(MEMBER, is_logging=False, management_events=unavailable("denied")))
    (verdict,) = call("cloudtrail_multi_region_logging", snapshot, MEMBER)
    assert verdict.status is Status.FAIL


# --- root_usage_alerting --------------------------------------------------------------------


def _alerting(snapshot: Snapshot, value: Any, account_id: str = MEMBER) -> None:
    set_evidence(snapshot, "logs.root_metric_alerting", value, account_id=account_id)


def _own_alarms(snapshot: Snapshot, *alarms: Any) -> None:
    """The member's own log group, with one root filter whose metric has these alarms."""
    _alerting(
        snapshot, {log_group_arn(MEMBER): owned_alerting(MEMBER, [root_filter(list(alarms))])}
    )


def _no_metric_alerting(snapshot: Snapshot) -> None:
    _alerting(snapshot, {log_group_arn(MEMBER): owned_alerting(MEMBER, [])})


def _alerting_verdict(snapshot: Snapshot) -> Any:
    return only(run(snapshot), "root_usage_alerting", MEMBER)


def test_root_alerting_via_own_metric_filter(snapshot: Snapshot) -> None:
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.PASS
    assert finding.message == "root activity alerts via metric filter and alarm on org-trail-logs"


@pytest.mark.parametrize(
    "alarms",
    [
        pytest.param([alarm(MEMBER, actions_enabled=False)], id="actions-disabled"),
        pytest.param([alarm(MEMBER, confirmed=0)], id="no-confirmed-subscription"),
        pytest.param([{"name": "x", "actions_enabled": True, "topics": {}}], id="no-sns-action"),
        pytest.param([], id="no-alarm"),
    ],
)
def test_root_alerting_fails_when_no_alarm_reaches_people(
    alarms: list[Any], snapshot: Snapshot
) -> None:
    _own_alarms(snapshot, *alarms)
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.FAIL
    assert "no EventBridge rule or metric-filter alarm" in finding.message


def test_one_good_alarm_among_bad_ones_passes(snapshot: Snapshot) -> None:
    _own_alarms(
        snapshot,
        alarm(MEMBER, actions_enabled=False),
        alarm(MEMBER, confirmed=unavailable("ListSubscriptionsByTopic denied")),
        alarm(MEMBER, confirmed=2),
    )
    assert _alerting_verdict(snapshot).status is Status.PASS


@pytest.mark.parametrize(
    ("alarms", "reason"),
    [
        pytest.param(
            unavailable("DescribeAlarmsForMetric denied", "cloudwatch:DescribeAlarmsForMetric"),
            "DescribeAlarmsForMetric denied",
            id="alarms-unreadable",
        ),
        pytest.param(
            [alarm(MEMBER, confirmed=unavailable("topic policy denies", "sns:ListSubs"))],
            "topic policy denies",
            id="subscriptions-unreadable",
        ),
    ],
)
def test_root_alerting_unknown_when_alarm_evidence_is_missing(
    alarms: Any, reason: str, snapshot: Snapshot
) -> None:
    _alerting(snapshot, {log_group_arn(MEMBER): owned_alerting(MEMBER, [root_filter(alarms)])})
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.UNKNOWN
    assert finding.message.startswith("no proven root alert, and some evidence is missing: ")
    assert reason in finding.message


def test_a_disabled_alarm_with_unreadable_topics_is_no_doubt(snapshot: Snapshot) -> None:
    _own_alarms(snapshot, alarm(MEMBER, actions_enabled=False, confirmed=unavailable("denied")))
    assert _alerting_verdict(snapshot).status is Status.FAIL


def test_root_alerting_unknown_when_metric_filters_are_unreadable(snapshot: Snapshot) -> None:
    missing = unavailable("DescribeMetricFilters denied", "logs:DescribeMetricFilters")
    _alerting(snapshot, {log_group_arn(MEMBER): missing})
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.UNKNOWN
    assert missing.reason in finding.message


def test_metric_filters_on_another_trails_log_group_do_not_count(snapshot: Snapshot) -> None:
    other = log_group_arn(MEMBER, "some-other-group")
    _alerting(snapshot, {other: owned_alerting(MEMBER, [root_filter([alarm(MEMBER)])])})
    assert _alerting_verdict(snapshot).status is Status.FAIL


# --- log group in another account -----------------------------------------------------------


def _member_logs_to(owner: str) -> Snapshot:
    """The member's org trail delivers to a log group in ``owner``'s account."""
    snap = OrgBuilder.standard(scan_management=True).build()
    set_evidence(
        snap, "cloudtrail.trails", [trail(owner, log_group_owner=owner)], account_id=MEMBER
    )
    _alerting(snap, {log_group_arn(owner): foreign_alerting(owner)})
    return snap


def test_root_alerting_via_a_log_group_owned_by_another_scanned_account() -> None:
    snap = _member_logs_to(MGMT)  # the management account's own evidence has the alarm
    finding = _alerting_verdict(snap)
    assert finding.status is Status.PASS
    assert "metric filter and alarm on org-trail-logs" in finding.message


def test_owner_accounts_alarm_must_reach_people_too() -> None:
    snap = _member_logs_to(MGMT)
    group = log_group_arn(MGMT)
    failing = {group: owned_alerting(MGMT, [root_filter([alarm(MGMT, confirmed=0)])])}
    _alerting(snap, failing, account_id=MGMT)
    assert _alerting_verdict(snap).status is Status.FAIL


def test_root_alerting_unknown_when_the_log_group_owner_was_not_scanned() -> None:
    snap = _member_logs_to(OUTSIDER)
    finding = _alerting_verdict(snap)
    assert finding.status is Status.UNKNOWN
    assert (
        f"log group {log_group_arn(OUTSIDER)} belongs to account {OUTSIDER}, which was not scanned"
        in finding.message
    )


def test_root_alerting_unknown_when_the_owners_alerting_is_unreadable() -> None:
    snap = _member_logs_to(MGMT)
    missing = set_unavailable(snap, "logs.root_metric_alerting", account_id=MGMT)
    finding = _alerting_verdict(snap)
    assert finding.status is Status.UNKNOWN
    assert missing.reason in finding.message


# --- EventBridge ----------------------------------------------------------------------------


def test_root_alerting_via_an_eventbridge_rule(snapshot: Snapshot) -> None:
    _no_metric_alerting(snapshot)
    set_evidence(
        snapshot, "events.root_rules", [event_rule()], account_id=MEMBER, region="us-east-1"
    )
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.PASS
    assert finding.message == "root activity alerts via EventBridge rule root-activity in us-east-1"


def test_every_alerting_path_is_listed(snapshot: Snapshot) -> None:
    set_evidence(snapshot, "events.root_rules", [event_rule()], account_id=MEMBER, region=HOME)
    message = _alerting_verdict(snapshot).message
    assert "EventBridge rule root-activity in eu-west-1" in message
    assert "metric filter and alarm on org-trail-logs" in message


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(event_rule(enabled=False), id="disabled"),
        pytest.param(event_rule(targets=[]), id="no-targets"),
        pytest.param(
            event_rule(enabled=False, targets=unavailable("denied")),
            id="disabled-with-unreadable-targets",
        ),
    ],
)
def test_eventbridge_rule_that_cannot_alert_fails(rule: dict[str, Any], snapshot: Snapshot) -> None:
    _no_metric_alerting(snapshot)
    set_evidence(snapshot, "events.root_rules", [rule], account_id=MEMBER, region=HOME)
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.FAIL, finding.message


@pytest.mark.parametrize("where", ["rules", "targets"])
def test_root_alerting_unknown_when_eventbridge_is_unreadable(
    where: str, snapshot: Snapshot
) -> None:
    _no_metric_alerting(snapshot)
    missing = unavailable(f"events {where} denied", "events:ListRules", "AccessDenied")
    value = missing if where == "rules" else [event_rule(targets=missing)]
    set_evidence(snapshot, "events.root_rules", value, account_id=MEMBER, region="us-east-1")
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.UNKNOWN
    assert missing.reason in finding.message


def test_proven_path_outweighs_unreadable_regions(snapshot: Snapshot) -> None:
    set_unavailable(snapshot, "events.root_rules", account_id=MEMBER, region="us-east-1")
    assert _alerting_verdict(snapshot).status is Status.PASS


# --- the trail behind the alert -------------------------------------------------------------


def test_root_alerting_needs_a_backing_trail(snapshot: Snapshot) -> None:
    set_evidence(snapshot, "events.root_rules", [event_rule()], account_id=MEMBER, region=HOME)
    account(snapshot, MEMBER).evidence["cloudtrail.trails"][0]["multi_region"] = False
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.FAIL
    assert finding.message == "no root alerting: no multi-region trail logs management events"


def test_root_alerting_unknown_when_trails_are_unreadable(snapshot: Snapshot) -> None:
    missing = set_unavailable(snapshot, "cloudtrail.trails", account_id=MEMBER)
    finding = _alerting_verdict(snapshot)
    assert finding.status is Status.UNKNOWN
    assert finding.message.startswith("cannot tell whether a trail backs root alerting: ")
    assert missing.reason in finding.message


def test_a_trail_without_a_log_group_still_allows_eventbridge(snapshot: Snapshot) -> None:
    account(snapshot, MEMBER).evidence["cloudtrail.trails"][0]["log_group_arn"] = None
    assert _alerting_verdict(snapshot).status is Status.FAIL
    set_evidence(snapshot, "events.root_rules", [event_rule()], account_id=MEMBER, region=HOME)
    assert _alerting_verdict(snapshot).status is Status.PASS
