"""Gap-layer answers for root-activity alerting (CloudWatch Logs) where moto differs from AWS.

- ``logs:DescribeMetricFilters`` (catalogue: logs:DescribeMetricFilters): for a
  ``logGroupName`` that does not exist AWS answers ``ResourceNotFoundException``
  ("The specified log group does not exist."); moto answers an empty list. Requests
  for an existing group go on to moto (an answerer returning None passes through).
  https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeMetricFilters.html
"""

from __future__ import annotations

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Answerer, Reply, RequestInfo, Rewriter, error_reply

MISSING_LOG_GROUP = "The specified log group does not exist."


def describe_metric_filters(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply | None:
    """catalogue: logs:DescribeMetricFilters. ResourceNotFoundException for a missing group."""
    from moto.logs.models import logs_backends

    name = info.json_body().get("logGroupName")
    if not isinstance(name, str):
        return None
    if name in logs_backends[info.account_id][info.region].groups:
        return None
    return error_reply(info, "ResourceNotFoundException", MISSING_LOG_GROUP, 400)


REWRITERS: dict[str, Rewriter] = {}
ANSWERERS: dict[str, Answerer] = {
    "logs:DescribeMetricFilters": describe_metric_filters,
}
