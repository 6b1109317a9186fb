"""Demo scenario: Config, Systems Manager, CloudFormation drift, ECR scanning, pipelines (BP06)
and threat detection (BP04).

The gaps it leaves, on purpose:

- GuardDuty on everywhere except dev in eu-west-1; security-tooling is the GuardDuty
  administrator in both regions and auto-enables it for ALL members.
- Inspector scans EC2 in prod, but not ECR although prod has an ECR repository; dev
  scans EC2 and Lambda, which it runs.
- prod has an internet-facing ALB and no Shield Advanced subscription.
- Config records all resource types everywhere, except dev in eu-west-1 (recorder
  stopped, no rules); dev records no global resource types; security-tooling records
  them in both regions. An organization aggregator lives in the management account.
- prod runs two EC2 instances, one managed by Systems Manager; dev runs one, managed.
- prod's stacks were checked for drift 10 days ago; dev's stack never was.
- prod's ECR repository has no scan on push; a CodePipeline pipeline deploys prod.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from wellsec.emulator.config_gaps import (
    ManagedInstance,
    record_stack_drift,
    register_managed_instance,
)
from wellsec.emulator.sessions import session_for

if TYPE_CHECKING:
    import boto3

    from wellsec.emulator.server import Emulator

REGIONS = ("us-east-1", "eu-west-1")
HOME = "us-east-1"
GUARDDUTY_FEATURES = {
    "prod": ("S3_DATA_EVENTS", "EKS_RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION"),
    "security-tooling": ("S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION"),
    "management": ("S3_DATA_EVENTS",),
    "dev": (),
}
ALL_FEATURES = ("S3_DATA_EVENTS", "EKS_RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION")
STACK_TEMPLATE = json.dumps(
    {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"Notifications": {"Type": "AWS::SNS::Topic"}},
    }
)


@dataclass(frozen=True)
class ConfigPlan:
    """AWS Config in one account and region."""

    recording: bool = True
    global_types: bool = False
    rules: tuple[str, ...] = ("S3_BUCKET_PUBLIC_READ_PROHIBITED", "CLOUD_TRAIL_ENABLED")


CONFIG: dict[tuple[str, str], ConfigPlan] = {
    ("management", "us-east-1"): ConfigPlan(global_types=True),
    ("management", "eu-west-1"): ConfigPlan(),
    ("security-tooling", "us-east-1"): ConfigPlan(global_types=True),
    ("security-tooling", "eu-west-1"): ConfigPlan(global_types=True),
    ("prod", "us-east-1"): ConfigPlan(global_types=True),
    ("prod", "eu-west-1"): ConfigPlan(),
    ("dev", "us-east-1"): ConfigPlan(rules=("S3_BUCKET_PUBLIC_READ_PROHIBITED",)),
    ("dev", "eu-west-1"): ConfigPlan(recording=False, rules=()),
}


def _trust(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": f"{service}.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


class _Account:
    """Clients for one demo account."""

    def __init__(self, session: boto3.Session, url: str, account_id: str) -> None:
        self.session, self.url, self.id = session, url, account_id

    def client(self, service: str, region: str = HOME) -> Any:
        factory: Any = self.session.client
        return factory(service, endpoint_url=self.url, region_name=region)

    def role(self, name: str, service: str) -> str:
        iam = self.client("iam")
        return str(
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(service))["Role"]["Arn"]
        )


def _guardduty(accounts: dict[str, _Account], admin: str) -> None:
    for region in REGIONS:
        accounts["management"].client("guardduty", region).enable_organization_admin_account(
            AdminAccountId=accounts[admin].id
        )
    for name, account in accounts.items():
        for region in REGIONS:
            if (name, region) == ("dev", "eu-west-1"):
                continue  # the gap: no detector
            features = [
                {"Name": f, "Status": "ENABLED" if f in GUARDDUTY_FEATURES[name] else "DISABLED"}
                for f in ALL_FEATURES
            ]
            account.client("guardduty", region).create_detector(Enable=True, Features=features)
    for region in REGIONS:
        guardduty = accounts[admin].client("guardduty", region)
        detector = guardduty.list_detectors()["DetectorIds"][0]
        guardduty.update_organization_configuration(
            DetectorId=detector, AutoEnableOrganizationMembers="ALL"
        )


def _config(accounts: dict[str, _Account], aggregator_home: str) -> None:
    for (name, region), plan in CONFIG.items():
        account = accounts[name]
        config = account.client("config", region)
        config.put_configuration_recorder(
            ConfigurationRecorder={
                "name": "default",
                "roleARN": f"arn:aws:iam::{account.id}:role/aws-service-role/"
                "config.amazonaws.com/AWSServiceRoleForConfig",
                "recordingGroup": {
                    "allSupported": True,
                    "includeGlobalResourceTypes": plan.global_types,
                },
            }
        )
        config.put_delivery_channel(
            DeliveryChannel={"name": "default", "s3BucketName": f"config-{account.id}"}
        )
        if plan.recording:
            config.start_configuration_recorder(ConfigurationRecorderName="default")
        for identifier in plan.rules:
            config.put_config_rule(
                ConfigRule={
                    "ConfigRuleName": identifier.lower().replace("_", "-"),
                    "Source": {"Owner": "AWS", "SourceIdentifier": identifier},
                }
            )
    owner = accounts[aggregator_home]
    owner.client("config").put_configuration_aggregator(
        ConfigurationAggregatorName="organization",
        OrganizationAggregationSource={
            "RoleArn": owner.role("config-aggregator", "config"),
            "AllAwsRegions": True,
        },
    )


def _image(ec2: Any) -> str:
    """A private AMI to launch from (independent of moto's optional default AMIs)."""
    reply = ec2.register_image(
        Name="payments-base-al2023",
        Architecture="x86_64",
        RootDeviceName="/dev/xvda",
        VirtualizationType="hvm",
    )
    return str(reply["ImageId"])


def _instances(
    emulator: Emulator, account: _Account, count: int, managed: int, now: datetime
) -> None:
    ec2 = account.client("ec2")
    started = ec2.run_instances(
        ImageId=_image(ec2), MinCount=count, MaxCount=count, InstanceType="t3.small"
    )["Instances"]
    for instance in started[:managed]:
        register_managed_instance(
            emulator.state,
            account.id,
            HOME,
            ManagedInstance(instance["InstanceId"], last_ping=now - timedelta(minutes=3)),
        )


def _stacks(emulator: Emulator, account: _Account, stacks: dict[str, datetime | None]) -> None:
    cloudformation = account.client("cloudformation")
    for name, checked in stacks.items():
        cloudformation.create_stack(StackName=name, TemplateBody=STACK_TEMPLATE)
        if checked is not None:
            record_stack_drift(emulator.state, account.id, HOME, name, "IN_SYNC", checked)


def _public_alb(account: _Account) -> None:
    ec2 = account.client("ec2")
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])
    ids = sorted(s["SubnetId"] for s in subnets["Subnets"])[:2]
    account.client("elbv2").create_load_balancer(
        Name="payments-public", Subnets=ids, Scheme="internet-facing", Type="application"
    )


def _lambda(account: _Account) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return event\n")
    account.client("lambda").create_function(
        FunctionName="dev-thumbnailer",
        Runtime="python3.12",
        Role=account.role("dev-thumbnailer", "lambda"),
        Handler="handler.handle",
        Code={"ZipFile": buffer.getvalue()},
    )


def _pipeline(account: _Account) -> None:
    source = {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}
    deploy = {"category": "Deploy", "owner": "AWS", "provider": "CloudFormation", "version": "1"}
    account.client("codepipeline").create_pipeline(
        pipeline={
            "name": "payments-deploy",
            "roleArn": account.role("codepipeline-payments", "codepipeline"),
            "artifactStore": {"type": "S3", "location": f"pipeline-artifacts-{account.id}"},
            "stages": [
                {
                    "name": "Source",
                    "actions": [
                        {
                            "name": "Source",
                            "actionTypeId": source,
                            "configuration": {"S3Bucket": "payments-src", "S3ObjectKey": "app.zip"},
                            "outputArtifacts": [{"name": "src"}],
                        }
                    ],
                },
                {
                    "name": "Deploy",
                    "actions": [
                        {
                            "name": "Deploy",
                            "actionTypeId": deploy,
                            "configuration": {"StackName": "payments-app"},
                            "inputArtifacts": [{"name": "src"}],
                        }
                    ],
                },
            ],
        }
    )


def build(emulator: Emulator, accounts: dict[str, str], ous: dict[str, str], now: datetime) -> None:
    """Add this part of the demo organization (accounts by name: management,
    security-tooling, prod, dev)."""
    url = emulator.endpoint_url
    management = accounts["management"]
    demo = {
        name: _Account(session_for(url, None if aid == management else aid), url, aid)
        for name, aid in accounts.items()
    }
    prod, dev = demo["prod"], demo["dev"]
    _guardduty(demo, admin="security-tooling")
    prod.client("inspector2").enable(accountIds=[prod.id], resourceTypes=["EC2"])
    dev.client("inspector2").enable(accountIds=[dev.id], resourceTypes=["EC2", "LAMBDA"])
    _public_alb(prod)
    _config(demo, aggregator_home="management")
    _instances(emulator, prod, count=2, managed=1, now=now)
    _instances(emulator, dev, count=1, managed=1, now=now)
    _stacks(
        emulator,
        prod,
        {"payments-network": now - timedelta(days=10), "payments-app": now - timedelta(days=10)},
    )
    _stacks(emulator, dev, {"dev-sandbox": None})
    prod.client("ecr").create_repository(
        repositoryName="payments-api", imageScanningConfiguration={"scanOnPush": False}
    )
    _lambda(dev)
    _pipeline(prod)
