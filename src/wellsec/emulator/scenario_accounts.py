"""Per-account setup of the demo organization (root user, contacts, trails, alerting)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import boto3

from wellsec.emulator.sessions import HOME_REGION
from wellsec.emulator.state import RootAccessKey, RootUser

if TYPE_CHECKING:
    from wellsec.emulator.server import Emulator

ROOT_USAGE_PATTERN = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
    '&& $.eventType != "AwsServiceEvent" }'
)
ROOT_EVENT_PATTERN = json.dumps(
    {
        "detail-type": ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"],
        "detail": {"userIdentity": {"type": ["Root"]}},
    }
)
CLOUDTRAIL_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@dataclass(frozen=True)
class AccountPlan:
    """What one demo account should look like."""

    root: RootUser
    trail_name: str
    multi_region_trail: bool = True
    security_contact: bool = True
    log_group: str | None = None  # CloudTrail -> CloudWatch Logs with a root-usage alarm
    root_rule_region: str | None = None  # EventBridge root-activity rule
    opted_in_regions: frozenset[str] = field(default_factory=frozenset)


def demo_plans(now: datetime) -> dict[str, AccountPlan]:
    """The demo accounts by name, with dates relative to ``now``.

    Every account predates centralized root access (which is off in the demo), so every
    root user still has its password, as a real organization of that age would.
    """
    created = now - timedelta(days=730)
    return {
        "management": AccountPlan(
            root=RootUser(
                mfa="hardware",
                password_last_used=now - timedelta(days=2),
                created=created,
                password_changed=now - timedelta(days=180),
            ),
            trail_name="management-trail",
            log_group="cloudtrail/management",
        ),
        "security-tooling": AccountPlan(
            root=RootUser(mfa="virtual", created=created, password_changed=created),
            trail_name="security-tooling-trail",
            root_rule_region="us-east-1",
        ),
        "prod": AccountPlan(
            root=RootUser(
                mfa="hardware",
                access_keys=(
                    RootAccessKey(
                        active=True,
                        created=now - timedelta(days=200),
                        last_used=now - timedelta(days=30),
                        last_used_region="eu-west-1",
                        last_used_service="s3",
                    ),
                ),
                created=created,
            ),
            trail_name="prod-trail",
            security_contact=False,
            root_rule_region="eu-west-1",
        ),
        "dev": AccountPlan(
            root=RootUser(
                mfa=None,
                password_last_used=now - timedelta(days=400),
                created=created,
                password_changed=now - timedelta(days=400),
            ),
            trail_name="dev-trail",
            multi_region_trail=False,
            opted_in_regions=frozenset({"ap-east-1"}),
        ),
    }


def _security_contact(session: boto3.Session, url: str, account_id: str) -> None:
    session.client("account", endpoint_url=url).put_alternate_contact(
        AlternateContactType="SECURITY",
        Name="Security Operations",
        Title="Security Lead",
        EmailAddress=f"security+{account_id}@example.com",
        PhoneNumber="+1-555-0100",
    )


def _cloudwatch_logs(session: boto3.Session, url: str, log_group: str) -> tuple[str, str]:
    logs = session.client("logs", endpoint_url=url, region_name=HOME_REGION)
    logs.create_log_group(logGroupName=log_group)
    group = logs.describe_log_groups(logGroupNamePrefix=log_group)["logGroups"][0]
    role = session.client("iam", endpoint_url=url).create_role(
        RoleName="CloudTrailToCloudWatchLogs", AssumeRolePolicyDocument=CLOUDTRAIL_TRUST
    )["Role"]["Arn"]
    return str(group["arn"]), str(role)


def _trail(session: boto3.Session, url: str, account_id: str, plan: AccountPlan) -> None:
    bucket = f"aws-cloudtrail-logs-{account_id}-{plan.trail_name}"
    session.client("s3", endpoint_url=url, region_name=HOME_REGION).create_bucket(Bucket=bucket)
    extra: dict[str, str] = {}
    if plan.log_group is not None:
        group_arn, role_arn = _cloudwatch_logs(session, url, plan.log_group)
        extra = {"CloudWatchLogsLogGroupArn": group_arn, "CloudWatchLogsRoleArn": role_arn}
    trails = session.client("cloudtrail", endpoint_url=url, region_name=HOME_REGION)
    trails.create_trail(
        Name=plan.trail_name,
        S3BucketName=bucket,
        IsMultiRegionTrail=plan.multi_region_trail,
        IncludeGlobalServiceEvents=True,
        **extra,
    )
    trails.start_logging(Name=plan.trail_name)


def _email_topic(session: boto3.Session, url: str, region: str, name: str, email: str) -> str:
    sns = session.client("sns", endpoint_url=url, region_name=region)
    topic = str(sns.create_topic(Name=name)["TopicArn"])
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=email)
    return topic


def _root_usage_alarm(session: boto3.Session, url: str, account_id: str, group: str) -> None:
    session.client("logs", endpoint_url=url, region_name=HOME_REGION).put_metric_filter(
        logGroupName=group,
        filterName="RootUsage",
        filterPattern=ROOT_USAGE_PATTERN,
        metricTransformations=[
            {
                "metricName": "RootUsageCount",
                "metricNamespace": "CloudTrailMetrics",
                "metricValue": "1",
            }
        ],
    )
    topic = _email_topic(
        session, url, HOME_REGION, "root-alerts", f"security+{account_id}@example.com"
    )
    session.client("cloudwatch", endpoint_url=url, region_name=HOME_REGION).put_metric_alarm(
        AlarmName="root-usage",
        AlarmDescription="Root user activity",
        MetricName="RootUsageCount",
        Namespace="CloudTrailMetrics",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="notBreaching",
        AlarmActions=[topic],
    )


def _root_activity_rule(session: boto3.Session, url: str, account_id: str, region: str) -> None:
    topic = _email_topic(
        session, url, region, "root-activity-alerts", f"security+{account_id}@example.com"
    )
    events = session.client("events", endpoint_url=url, region_name=region)
    events.put_rule(
        Name="root-activity",
        EventPattern=ROOT_EVENT_PATTERN,
        State="ENABLED",
        Description="Root user sign-in and API activity",
    )
    events.put_targets(Rule="root-activity", Targets=[{"Id": "root-alerts", "Arn": topic}])


def setup_account(
    emulator: Emulator, session: boto3.Session, account_id: str, plan: AccountPlan
) -> None:
    """Give ``account_id`` (reached through ``session``) what ``plan`` describes."""
    url = emulator.endpoint_url
    emulator.state.set_root_user(account_id, plan.root)
    emulator.state.set_opted_in_regions(account_id, plan.opted_in_regions)
    if plan.security_contact:
        _security_contact(session, url, account_id)
    _trail(session, url, account_id, plan)
    if plan.log_group is not None:
        _root_usage_alarm(session, url, account_id, plan.log_group)
    if plan.root_rule_region is not None:
        _root_activity_rule(session, url, account_id, plan.root_rule_region)
