"""Over real HTTP, with boto3: the root-alerting gap answers (CloudWatch Logs) and the
generic "error with code X" fault, in every wire protocol the scan uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wellsec.emulator import Emulator
from wellsec.emulator.faults import FaultKind, FaultSpec

NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})
REGION = "us-east-1"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:
        yield em
        em.reset()  # moto's state is process-wide: leave it empty


@pytest.fixture(autouse=True)
def _no_faults(emulator: Emulator) -> Iterator[None]:
    yield
    emulator.clear_faults()


def client(emulator: Emulator, service: str) -> Any:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    factory: Any = session.client
    return factory(service, endpoint_url=emulator.endpoint_url, config=NO_RETRIES)


def raised(call: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as err:
        call()
    response = err.value.response
    return str(response["Error"]["Code"]), int(response["ResponseMetadata"]["HTTPStatusCode"])


def test_metric_filters_of_a_missing_log_group_is_resource_not_found(emulator: Emulator) -> None:
    # AWS: "The specified log group does not exist." (moto alone answers an empty list)
    logs = client(emulator, "logs")
    code, status = raised(lambda: logs.describe_metric_filters(logGroupName="gone"))
    assert (code, status) == ("ResourceNotFoundException", 400)


def test_metric_filters_of_an_existing_log_group_come_from_moto(emulator: Emulator) -> None:
    logs = client(emulator, "logs")
    logs.create_log_group(logGroupName="trail")
    logs.put_metric_filter(
        logGroupName="trail",
        filterName="root",
        filterPattern='{ $.userIdentity.type = "Root" }',
        metricTransformations=[
            {"metricName": "Root", "metricNamespace": "CIS", "metricValue": "1"}
        ],
    )
    names = [
        f["filterName"] for f in logs.describe_metric_filters(logGroupName="trail")["metricFilters"]
    ]
    assert names == ["root"]


@pytest.mark.parametrize(
    ("service", "action", "code", "status", "call"),
    [
        ("iam", "iam:GetAccountSummary", "ServiceFailure", 500, "get_account_summary"),
        ("ec2", "ec2:DescribeRegions", "OptInRequired", 403, "describe_regions"),
        (
            "cloudtrail",
            "cloudtrail:DescribeTrails",
            "TrailNotFoundException",
            400,
            "describe_trails",
        ),
        ("securityhub", "securityhub:DescribeHub", "InvalidAccessException", 401, "describe_hub"),
        (
            "shield",
            "shield:GetSubscriptionState",
            "InternalErrorException",
            500,
            "get_subscription_state",
        ),
        (
            "cloudfront",
            "cloudfront:ListDistributions",
            "InvalidArgument",
            400,
            "list_distributions",
        ),
        ("sns", "sns:ListTopics", "NotFound", 404, "list_topics"),
        (
            "support",
            "support:DescribeTrustedAdvisorChecks",
            "SubscriptionRequiredException",
            400,
            "describe_trusted_advisor_checks",
        ),
    ],
)
def test_coded_error_reaches_botocore_as_that_code(
    emulator: Emulator, service: str, action: str, code: str, status: int, call: str
) -> None:
    emulator.inject(FaultSpec(FaultKind.ERROR, action, code=code, status=status))
    api = client(emulator, service)
    params = {"language": "en"} if service == "support" else {}
    assert raised(lambda: getattr(api, call)(**params)) == (code, status)
