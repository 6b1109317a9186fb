"""SEC01-BP02 Secure AWS account: a logging trail and alerts on root use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wellsec.checks.actions import actions_of
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.support import Doubt, readable
from wellsec.checks.verdicts import account_resource, failed, passed, unknown
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence.shapes import Trail
from wellsec.findings import Scope, Severity
from wellsec.snapshot import AccountSnapshot

BP = "SEC01-BP02"
# One collector reads trails and the metric-filter alerting on their log groups.
TRAIL_ACTIONS = actions_of(keys.CLOUDTRAIL_TRAILS)


def backing_trails(account: AccountSnapshot) -> tuple[list[Trail], Unavailable | None]:
    """Multi-region trails proven to log management events, and the first doubt, if any."""
    trails = account.get(keys.CLOUDTRAIL_TRAILS)
    if is_unavailable(trails):
        return [], trails
    good: list[Trail] = []
    doubt: Unavailable | None = None
    for trail in trails:
        if not trail.get("multi_region"):
            continue
        logging, mgmt = trail.get("is_logging"), trail.get("management_events")
        if logging is False or mgmt is False:
            continue  # ruled out, whatever else is unknown about it
        for value in (logging, mgmt):
            if is_unavailable(value) and doubt is None:
                doubt = value
        if logging is True and mgmt is True:
            good.append(trail)
    return good, doubt


@checks.register(
    id="cloudtrail_multi_region_logging",
    title="A multi-region CloudTrail trail is logging management events",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.HIGH,
    evidence=(keys.CLOUDTRAIL_TRAILS,),
    iam_actions=TRAIL_ACTIONS,
    remediation="Create a multi-region (or organization) trail that logs management "
    "events, and keep it logging.",
)
def cloudtrail_multi_region_logging(
    ctx: CheckContext, account: AccountSnapshot
) -> Iterator[Verdict]:
    resource = account_resource(account)
    good, doubt = backing_trails(account)
    if good:
        names = ", ".join(sorted(t["name"] for t in good))
        yield passed(resource, f"multi-region trail logging management events: {names}")
    elif doubt is not None:
        yield unknown(resource, doubt)
    else:
        yield failed(resource, "no multi-region trail is logging management events")


def _metric_path(ctx: CheckContext, account: AccountSnapshot, log_group: str) -> Any:
    """True / False / Unavailable: does a root metric filter on this log group alarm to
    an SNS topic with a confirmed subscription?"""
    alerting = account.get(keys.LOGS_ROOT_METRIC_ALERTING)
    if is_unavailable(alerting):
        return alerting
    entry = alerting.get(log_group)
    if isinstance(entry, dict) and entry.get("filters") is None:
        owner = ctx.snapshot.account(str(entry.get("owner_account")))
        if owner is None:
            return Unavailable(
                f"log group {log_group} belongs to account {entry.get('owner_account')}, "
                "which was not scanned",
                "logs:DescribeMetricFilters",
            )
        owned = owner.get(keys.LOGS_ROOT_METRIC_ALERTING)
        entry = owned if is_unavailable(owned) else owned.get(log_group)
    if entry is None:
        return False
    if is_unavailable(entry):
        return entry
    doubt: Unavailable | None = None
    for flt in entry.get("filters") or []:
        for metric in flt.get("metrics", []):
            alarms = metric.get("alarms")
            if is_unavailable(alarms):
                doubt = doubt or alarms
                continue
            for alarm in alarms:
                if not alarm.get("actions_enabled"):
                    continue
                for confirmed in alarm.get("topics", {}).values():
                    if is_unavailable(confirmed):
                        doubt = doubt or confirmed
                    elif confirmed > 0:
                        return True
    return doubt if doubt else False


@checks.register(
    id="root_usage_alerting",
    title="Root-user activity raises an alert that reaches people",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=(keys.CLOUDTRAIL_TRAILS, keys.LOGS_ROOT_METRIC_ALERTING, keys.EVENTS_ROOT_RULES),
    iam_actions=(
        *TRAIL_ACTIONS,
        "events:ListRules",
        "events:ListTargetsByRule",
    ),
    remediation="Add an EventBridge rule matching userIdentity.type Root with an SNS "
    "target, or a CloudTrail metric filter and alarm to an SNS topic with a confirmed "
    "subscriber, backed by a multi-region trail.",
)
def root_usage_alerting(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = account_resource(account)
    good, trail_doubt = backing_trails(account)
    if not good:
        if trail_doubt is not None:
            yield unknown(resource, trail_doubt, "cannot tell whether a trail backs root alerting")
        else:
            yield failed(resource, "no root alerting: no multi-region trail logs management events")
        return
    paths: list[str] = []
    doubt = Doubt(trail_doubt)
    for region, rules in readable(account, keys.EVENTS_ROOT_RULES, doubt):
        for rule in rules:
            if not rule.get("enabled"):
                continue  # a disabled rule alerts nobody
            targets = rule.get("targets")
            if not doubt.note(targets) and targets:
                paths.append(f"EventBridge rule {rule['name']} in {region}")
    for trail in good:
        log_group = trail.get("log_group_arn")
        if not log_group:
            continue
        found = _metric_path(ctx, account, log_group)
        if found is True:
            name = log_group.split(":log-group:")[-1].removesuffix(":*")
            paths.append(f"metric filter and alarm on {name}")
        else:
            doubt.note(found)
    if paths:
        yield passed(resource, "root activity alerts via " + "; ".join(paths))
    elif doubt.first is not None:
        yield unknown(resource, doubt.first, "no proven root alert, and some evidence is missing")
    else:
        yield failed(
            resource,
            "no EventBridge rule or metric-filter alarm with a subscriber alerts on root use",
        )
