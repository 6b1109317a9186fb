"""Root-usage alerting through the real CLI, on AWS answers the demo does not start with:
an EventBridge rule in its second enabled state, and alerting that points at a log group
or an SNS topic that no longer exists (facts, not missing evidence).

Sources: RuleState in botocore's events model; DescribeMetricFilters answers
ResourceNotFoundException for a missing log group and ListSubscriptionsByTopic answers
NotFound for a missing topic (docs/aws-behaviour.md).
"""

from __future__ import annotations

from tests.e2e.conftest import DONE, Demo
from wellsec.emulator.scenario_accounts import ROOT_EVENT_PATTERN
from wellsec.emulator.sessions import session_for

CHECK = "root_usage_alerting"


def test_rule_enabled_with_all_management_events_alerts(demo: Demo) -> None:
    account = demo.account("security-tooling")  # alerts only through its EventBridge rule
    events = session_for(demo.emulator.endpoint_url, account).client(
        "events", endpoint_url=demo.emulator.endpoint_url, region_name="us-east-1"
    )
    events.put_rule(
        Name="root-activity",
        EventPattern=ROOT_EVENT_PATTERN,
        State="ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    )
    run = demo.review()
    assert run.exit_code in DONE, run.stderr
    assert run.status(CHECK, account) == "PASS", run.findings(CHECK, account)


def test_alerting_to_a_deleted_topic_then_a_deleted_log_group_fails(demo: Demo) -> None:
    account = demo.org.management_account_id  # alerts only through its metric filter
    url = demo.emulator.endpoint_url
    session = session_for(url)
    sns = session.client("sns", endpoint_url=url, region_name="us-east-1")
    topic = next(
        t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":root-alerts")
    )
    sns.delete_topic(TopicArn=topic)
    run = demo.review()
    assert run.exit_code in DONE, run.stderr
    assert run.status(CHECK, account) == "FAIL", run.findings(CHECK, account)

    session.client("logs", endpoint_url=url, region_name="us-east-1").delete_log_group(
        logGroupName="cloudtrail/management"
    )
    run = demo.review()
    assert run.exit_code in DONE, run.stderr
    assert run.status(CHECK, account) == "FAIL", run.findings(CHECK, account)


def test_member_covered_by_the_organization_trail_passes(demo: Demo) -> None:
    # dev has only a single-region trail of its own; an organization trail from the
    # management account covers it (members see it and read its status by ARN).
    dev = demo.account("dev")
    url = demo.emulator.endpoint_url
    session = session_for(url)
    session.client("s3", endpoint_url=url).create_bucket(Bucket="org-trail-logs")
    trails = session.client("cloudtrail", endpoint_url=url, region_name="us-east-1")
    arn = trails.create_trail(
        Name="org-trail",
        S3BucketName="org-trail-logs",
        IsMultiRegionTrail=True,
        IsOrganizationTrail=True,
    )["TrailARN"]
    trails.start_logging(Name=arn)
    run = demo.review()
    assert run.exit_code in DONE, run.stderr
    check = "cloudtrail_multi_region_logging"
    assert run.status(check, dev) == "PASS", run.findings(check, dev)
    assert "org-trail" in run.findings(check, dev)[0]["message"]
