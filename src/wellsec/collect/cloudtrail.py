"""CloudTrail trails and the root-activity alerting built on them."""

from __future__ import annotations

import json
import re
from typing import Any

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import Unavailable, is_unavailable, keys, unavailable_for
from wellsec.evidence import shapes as s
from wellsec.evidence import shapes_region as r
from wellsec.snapshot import Evidence

ROOT_FILTER = re.compile(r"\$\.userIdentity\.type\s*=\s*\"?Root\"?")
# EventBridge RuleState values of a rule that matches events (botocore events model,
# RuleState): the second also delivers read-only management events.
RULE_ENABLED = frozenset({"ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"})
# catalogue: logs:DescribeMetricFilters. A trail's log group that does not exist is
# watched by no filter: a fact, not a failed read.
_NO_LOG_GROUP: dict[str, Any] = {"ResourceNotFoundException": None}
# catalogue: sns:ListSubscriptionsByTopic. An alarm's topic that does not exist has
# nobody subscribed.
_NO_TOPIC: dict[str, Any] = {"NotFound": []}


@collectors.register(
    keys=(keys.CLOUDTRAIL_TRAILS, keys.LOGS_ROOT_METRIC_ALERTING),
    actions=(
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
        "logs:DescribeMetricFilters",
        "cloudwatch:DescribeAlarmsForMetric",
        "sns:ListSubscriptionsByTopic",
    ),
)
def trails(reader: Reader, region: str) -> Evidence:
    reply = reader.call("cloudtrail", region, "DescribeTrails", includeShadowTrails=True)
    if is_unavailable(reply):
        return unavailable_for(reply, keys.CLOUDTRAIL_TRAILS, keys.LOGS_ROOT_METRIC_ALERTING)
    found: list[s.Trail] = []
    alerting: dict[str, s.LogGroupAlerting | Unavailable] = {}
    for trail in reply.get("trailList", []):
        arn = trail.get("TrailARN", "")
        home = trail.get("HomeRegion") or region
        log_group = trail.get("CloudWatchLogsLogGroupArn")
        found.append(
            {
                "name": trail.get("Name", ""),
                "arn": arn,
                "home_region": home,
                "multi_region": bool(trail.get("IsMultiRegionTrail")),
                "organization_trail": bool(trail.get("IsOrganizationTrail")),
                "log_group_arn": log_group,
                "is_logging": _is_logging(reader, home, arn),
                "management_events": _management_events(reader, home, arn),
            }
        )
        if log_group and trail.get("IsMultiRegionTrail") and log_group not in alerting:
            alerting[log_group] = _metric_alerting(reader, log_group)
    return {**keys.CLOUDTRAIL_TRAILS.of(found), **keys.LOGS_ROOT_METRIC_ALERTING.of(alerting)}


def _is_logging(reader: Reader, region: str, arn: str) -> bool | Unavailable:
    status = reader.call("cloudtrail", region, "GetTrailStatus", Name=arn)
    return status if is_unavailable(status) else bool(status.get("IsLogging"))


def _management_events(reader: Reader, region: str, arn: str) -> bool | Unavailable:
    reply = reader.call("cloudtrail", region, "GetEventSelectors", TrailName=arn)
    if is_unavailable(reply):
        return reply
    if not reply.get("EventSelectors") and not reply.get("AdvancedEventSelectors"):
        return True  # no selectors: a trail logs all management events by default
    for selector in reply.get("EventSelectors") or []:
        if selector.get("IncludeManagementEvents", True) and selector.get(
            "ReadWriteType", "All"
        ) in {"All", "WriteOnly"}:
            return True
    for selector in reply.get("AdvancedEventSelectors") or []:
        fields = {f.get("Field"): f for f in selector.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {}).get("Equals", [])
        read_only = fields.get("readOnly", {}).get("Equals", [])
        if "Management" in category and read_only != ["true"]:
            return True
    return False


def _log_group_parts(arn: str) -> tuple[str, str, str] | None:
    """(region, account, name) of ``arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]``."""
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "logs" or parts[5] != "log-group":
        return None
    name = ":".join(parts[6:])
    return parts[3], parts[4], name.removesuffix(":*")


def _metric_alerting(reader: Reader, log_group_arn: str) -> s.LogGroupAlerting | Unavailable:
    """Root-usage metric filters on a trail's log group, their alarms and SNS subscribers."""
    parts = _log_group_parts(log_group_arn)
    if parts is None:
        return Unavailable(
            f"unrecognised log group ARN {log_group_arn!r}", "logs:DescribeMetricFilters"
        )
    region, account, name = parts
    if account != reader.account_id:
        return {"owner_account": account, "filters": None}
    filters = reader.paginate(
        "logs",
        region,
        "DescribeMetricFilters",
        "metricFilters",
        expected=_NO_LOG_GROUP,
        logGroupName=name,
    )
    if filters is None:
        return {"owner_account": account, "region": region, "filters": [], "missing": True}
    if is_unavailable(filters):
        return filters
    out: list[s.MetricFilter] = []
    for flt in filters:
        pattern = str(flt.get("filterPattern", ""))
        if not ROOT_FILTER.search(pattern):
            continue
        metrics: list[s.Metric] = [
            {
                "name": m.get("metricName"),
                "namespace": m.get("metricNamespace"),
                "alarms": _alarms(reader, region, m.get("metricName"), m.get("metricNamespace")),
            }
            for m in flt.get("metricTransformations", [])
        ]
        out.append({"name": flt.get("filterName"), "pattern": pattern, "metrics": metrics})
    return {"owner_account": account, "region": region, "filters": out}


def _alarms(
    reader: Reader, region: str, metric: str, namespace: str
) -> list[s.Alarm] | Unavailable:
    reply = reader.call(
        "cloudwatch", region, "DescribeAlarmsForMetric", MetricName=metric, Namespace=namespace
    )
    if is_unavailable(reply):
        return reply
    alarms: list[s.Alarm] = []
    for alarm in reply.get("MetricAlarms", []):
        topics = {
            arn: _confirmed_subscriptions(reader, arn)
            for arn in alarm.get("AlarmActions", [])
            if str(arn).startswith("arn:") and str(arn).split(":")[2] == "sns"
        }
        alarms.append(
            {
                "name": alarm.get("AlarmName"),
                "actions_enabled": bool(alarm.get("ActionsEnabled", True)),
                "topics": topics,
            }
        )
    return alarms


def _confirmed_subscriptions(reader: Reader, topic_arn: str) -> int | Unavailable:
    region = topic_arn.split(":")[3]
    subs = reader.paginate(
        "sns",
        region,
        "ListSubscriptionsByTopic",
        "Subscriptions",
        expected=_NO_TOPIC,
        TopicArn=topic_arn,
    )
    if is_unavailable(subs):
        return subs
    return sum(1 for s in subs if str(s.get("SubscriptionArn", "")).startswith("arn:"))


def pattern_matches_root(pattern_text: str) -> bool:
    """Does an EventBridge event pattern select events whose userIdentity.type is Root?"""
    try:
        pattern = json.loads(pattern_text)
    except (json.JSONDecodeError, TypeError):
        return False
    identity = (
        (pattern.get("detail") or {}).get("userIdentity") if isinstance(pattern, dict) else None
    )
    types = identity.get("type") if isinstance(identity, dict) else None
    return isinstance(types, list) and "Root" in types


@collectors.register(
    keys=(keys.EVENTS_ROOT_RULES,), actions=("events:ListRules", "events:ListTargetsByRule")
)
def root_event_rules(reader: Reader, region: str) -> Evidence:
    rules = reader.paginate("events", region, "ListRules", "Rules")
    if is_unavailable(rules):
        return keys.EVENTS_ROOT_RULES.of(rules)
    out: list[r.RootRule] = []
    for rule in rules:
        if not pattern_matches_root(rule.get("EventPattern") or ""):
            continue
        targets = reader.paginate(
            "events", region, "ListTargetsByRule", "Targets", Rule=rule["Name"]
        )
        out.append(
            {
                "name": rule["Name"],
                "arn": rule.get("Arn"),
                "enabled": rule.get("State") in RULE_ENABLED,
                "targets": targets if is_unavailable(targets) else [t.get("Arn") for t in targets],
            }
        )
    return keys.EVENTS_ROOT_RULES.of(out)
