"""config:GetDiscoveredResourceCounts over real HTTP, with boto3: counts from moto's own
resources in the caller's account and region, and nothing while no recorder records."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from wellsec.emulator import Emulator

NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})
REGION = "us-east-1"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as running:
        running.reset()
        yield running


def _client(emulator: Emulator, service: str, region: str = REGION) -> Any:
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=emulator.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=NO_RETRIES,
    )


def _counts(emulator: Emulator, region: str = REGION, **params: Any) -> dict[str, int]:
    reply = _client(emulator, "config", region).get_discovered_resource_counts(**params)
    found = {c["resourceType"]: c["count"] for c in reply["resourceCounts"]}
    assert reply["totalDiscoveredResources"] == sum(found.values())
    return found


def _workload(emulator: Emulator) -> None:
    ec2 = _client(emulator, "ec2")
    image = ec2.register_image(Name="base", RootDeviceName="/dev/xvda")["ImageId"]
    ec2.run_instances(ImageId=image, MinCount=3, MaxCount=3, InstanceType="t3.small")
    role = _client(emulator, "iam").create_role(RoleName="fn", AssumeRolePolicyDocument=TRUST)
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return event\n")
    _client(emulator, "lambda").create_function(
        FunctionName="webhook",
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="handler.handle",
        Code={"ZipFile": code.getvalue()},
    )
    _client(emulator, "dynamodb").create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_counts_follow_the_recorder(emulator: Emulator) -> None:
    _workload(emulator)
    config = _client(emulator, "config")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": "arn:aws:iam::123456789012:role/config",
            "recordingGroup": {"allSupported": True},
        }
    )
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config"})
    assert _counts(emulator) == {}  # the recorder is not started: nothing discovered
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    assert _counts(emulator) == {
        "AWS::EC2::Instance": 3,
        "AWS::Lambda::Function": 1,
        "AWS::DynamoDB::Table": 1,
    }
    asked = _counts(emulator, resourceTypes=["AWS::Lambda::Function", "AWS::S3::Bucket"])
    assert asked == {"AWS::Lambda::Function": 1}
    assert _counts(emulator, "eu-west-1") == {}  # another region: no recorder there
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    assert _counts(emulator) == {}
