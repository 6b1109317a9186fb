"""The BP04/BP06 gap-layer answers over real HTTP, with boto3: GuardDuty organization
configuration, Inspector account status, Shield subscription state, Systems Manager
instance information and CloudFormation drift information."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wellsec.emulator import Emulator
from wellsec.emulator.config_gaps import (
    ManagedInstance,
    record_stack_drift,
    register_managed_instance,
)

NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})
REGION = "us-east-1"
OTHER = "eu-west-1"
NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)
TEMPLATE = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})


class Org:
    """A management account with two members: ``admin`` (GuardDuty administrator) and
    ``member``."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.management_session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        orgs = self.client(None, "organizations")
        self.management = orgs.create_organization(FeatureSet="ALL")["Organization"][
            "MasterAccountId"
        ]
        self.admin = self._account(orgs, "security-tooling")
        self.member = self._account(orgs, "workload")

    @staticmethod
    def _account(orgs: Any, name: str) -> str:
        status = orgs.create_account(AccountName=name, Email=f"{name}@example.com")
        return str(status["CreateAccountStatus"]["AccountId"])

    def session(self, account_id: str | None) -> boto3.Session:
        if account_id is None or account_id == self.management:
            return self.management_session
        creds = self.management_session.client(
            "sts", endpoint_url=self.emulator.endpoint_url, config=NO_RETRIES
        ).assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
            RoleSessionName="test",
        )["Credentials"]
        return boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=REGION,
        )

    def client(self, account_id: str | None, service: str, region: str = REGION) -> Any:
        factory: Any = self.session(account_id).client
        return factory(
            service, endpoint_url=self.emulator.endpoint_url, region_name=region, config=NO_RETRIES
        )


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:
        yield em
        em.reset()  # moto's state is process-wide: leave it empty


@pytest.fixture(scope="module")
def org(emulator: Emulator) -> Org:
    return Org(emulator)


def error_code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


# --- GuardDuty organization configuration ---------------------------------------------------


def test_guardduty_org_configuration_is_refused_outside_the_administrator(org: Org) -> None:
    guardduty = org.client(org.member, "guardduty")
    detector = guardduty.create_detector(Enable=True)["DetectorId"]
    with pytest.raises(ClientError) as exc:
        guardduty.describe_organization_configuration(DetectorId=detector)
    assert error_code(exc) == "BadRequestException"
    assert "not the GuardDuty delegated administrator" in str(exc.value)
    with pytest.raises(ClientError) as exc:
        guardduty.update_organization_configuration(
            DetectorId=detector, AutoEnableOrganizationMembers="ALL"
        )
    assert error_code(exc) == "BadRequestException"


def test_guardduty_administrator_sees_and_sets_auto_enable(org: Org) -> None:
    org.client(None, "guardduty", OTHER).enable_organization_admin_account(AdminAccountId=org.admin)
    guardduty = org.client(org.admin, "guardduty", OTHER)
    detector = guardduty.create_detector(Enable=True)["DetectorId"]
    before = guardduty.describe_organization_configuration(DetectorId=detector)
    assert before["AutoEnableOrganizationMembers"] == "NONE"
    assert before["AutoEnable"] is False
    assert before["MemberAccountLimitReached"] is False
    guardduty.update_organization_configuration(
        DetectorId=detector,
        AutoEnableOrganizationMembers="ALL",
        Features=[{"Name": "S3_DATA_EVENTS", "AutoEnable": "ALL"}],
    )
    after = guardduty.describe_organization_configuration(DetectorId=detector)
    assert after["AutoEnableOrganizationMembers"] == "ALL"
    assert after["AutoEnable"] is True
    assert after["Features"] == [{"Name": "S3_DATA_EVENTS", "AutoEnable": "ALL"}]
    guardduty.update_organization_configuration(DetectorId=detector, AutoEnable=False)
    legacy = guardduty.describe_organization_configuration(DetectorId=detector)
    assert legacy["AutoEnableOrganizationMembers"] == "NONE"


def test_guardduty_administrator_is_designated_per_region(org: Org) -> None:
    """Designated in OTHER only: in REGION the same account is refused."""
    guardduty = org.client(org.admin, "guardduty", REGION)
    detector = guardduty.create_detector(Enable=True)["DetectorId"]
    with pytest.raises(ClientError) as exc:
        guardduty.describe_organization_configuration(DetectorId=detector)
    assert error_code(exc) == "BadRequestException"


# --- Inspector account status ----------------------------------------------------------------


def test_inspector_reports_never_enabled_accounts_as_disabled(org: Org) -> None:
    inspector = org.client(org.member, "inspector2")
    reply = inspector.batch_get_account_status(accountIds=[org.member])
    (entry,) = reply["accounts"]
    assert entry["accountId"] == org.member
    assert entry["state"]["status"] == "DISABLED"
    assert {k: v["status"] for k, v in entry["resourceState"].items()} == {
        "ec2": "DISABLED",
        "ecr": "DISABLED",
        "lambda": "DISABLED",
        "lambdaCode": "DISABLED",
    }
    assert reply["failedAccounts"] == []
    assert inspector.batch_get_account_status()["accounts"][0]["accountId"] == org.member


def test_inspector_reports_other_accounts_as_failed(org: Org) -> None:
    reply = org.client(org.member, "inspector2").batch_get_account_status(
        accountIds=[org.member, org.admin]
    )
    assert [a["accountId"] for a in reply["accounts"]] == [org.member]
    (failed,) = reply["failedAccounts"]
    assert failed["accountId"] == org.admin
    assert failed["errorCode"] == "ACCESS_DENIED"


def test_inspector_keeps_moto_status_once_enabled(org: Org) -> None:
    inspector = org.client(org.admin, "inspector2")
    inspector.enable(accountIds=[org.admin], resourceTypes=["EC2", "LAMBDA"])
    (entry,) = inspector.batch_get_account_status(accountIds=[org.admin])["accounts"]
    assert entry["state"]["status"] == "ENABLED"
    assert entry["resourceState"]["ec2"]["status"] == "ENABLED"
    assert entry["resourceState"]["ecr"]["status"] == "DISABLED"
    assert entry["resourceState"]["lambda"]["status"] == "ENABLED"


# --- Shield -------------------------------------------------------------------------------------


def test_shield_subscription_state_follows_the_subscription(org: Org) -> None:
    shield = org.client(org.admin, "shield")
    assert shield.get_subscription_state()["SubscriptionState"] == "INACTIVE"
    shield.create_subscription()
    assert shield.get_subscription_state()["SubscriptionState"] == "ACTIVE"
    other = org.client(org.member, "shield")
    assert other.get_subscription_state()["SubscriptionState"] == "INACTIVE"


# --- Systems Manager -----------------------------------------------------------------------------


def test_ssm_instance_information_lists_registered_instances(org: Org, emulator: Emulator) -> None:
    ssm = org.client(org.member, "ssm")
    assert ssm.describe_instance_information()["InstanceInformationList"] == []
    state = emulator.state
    register_managed_instance(state, org.member, REGION, ManagedInstance("i-0001", last_ping=NOW))
    register_managed_instance(
        state, org.member, REGION, ManagedInstance("i-0002", ping_status="ConnectionLost")
    )
    register_managed_instance(state, org.member, OTHER, ManagedInstance("i-0003"))
    listed = ssm.describe_instance_information()["InstanceInformationList"]
    assert [(i["InstanceId"], i["PingStatus"]) for i in listed] == [
        ("i-0001", "Online"),
        ("i-0002", "ConnectionLost"),
    ]
    assert listed[0]["LastPingDateTime"] == NOW
    assert listed[0]["ResourceType"] == "EC2Instance"
    online = ssm.describe_instance_information(
        Filters=[{"Key": "PingStatus", "Values": ["Online"]}]
    )["InstanceInformationList"]
    assert [i["InstanceId"] for i in online] == ["i-0001"]
    legacy = ssm.describe_instance_information(
        InstanceInformationFilterList=[{"key": "InstanceIds", "valueSet": ["i-0002"]}]
    )["InstanceInformationList"]
    assert [i["InstanceId"] for i in legacy] == ["i-0002"]
    assert (
        org.client(org.admin, "ssm").describe_instance_information()["InstanceInformationList"]
        == []
    )


def test_ssm_instance_information_paginates(org: Org, emulator: Emulator) -> None:
    for n in range(7):
        register_managed_instance(emulator.state, org.admin, OTHER, ManagedInstance(f"i-p{n}"))
    ssm = org.client(org.admin, "ssm", OTHER)
    pages = list(
        ssm.get_paginator("describe_instance_information").paginate(
            PaginationConfig={"PageSize": 5}
        )
    )
    assert [len(p["InstanceInformationList"]) for p in pages] == [5, 2]
    with pytest.raises(ClientError) as exc:
        ssm.describe_instance_information(NextToken="not-a-token")
    assert error_code(exc) == "InvalidNextToken"


# --- CloudFormation drift --------------------------------------------------------------------


def test_stacks_carry_drift_information(org: Org, emulator: Emulator) -> None:
    cloudformation = org.client(org.member, "cloudformation")
    for name in ("network", "app"):
        cloudformation.create_stack(
            StackName=name, TemplateBody=TEMPLATE, Tags=[{"Key": "team", "Value": "payments"}]
        )
    checked = NOW - dt.timedelta(days=10)
    record_stack_drift(emulator.state, org.member, REGION, "network", "IN_SYNC", checked)
    stacks = {s["StackName"]: s for s in cloudformation.describe_stacks()["Stacks"]}
    assert stacks["network"]["DriftInformation"] == {
        "StackDriftStatus": "IN_SYNC",
        "LastCheckTimestamp": checked,
    }
    assert stacks["app"]["DriftInformation"] == {"StackDriftStatus": "NOT_CHECKED"}
    assert stacks["app"]["Tags"] == [{"Key": "team", "Value": "payments"}]
    summaries = {
        s["StackName"]: s["DriftInformation"]
        for s in cloudformation.list_stacks()["StackSummaries"]
    }
    assert summaries["network"]["StackDriftStatus"] == "IN_SYNC"
    assert summaries["app"] == {"StackDriftStatus": "NOT_CHECKED"}
    # Drift is recorded per account and region.
    elsewhere = org.client(org.member, "cloudformation", OTHER)
    elsewhere.create_stack(StackName="network", TemplateBody=TEMPLATE)
    (other,) = elsewhere.describe_stacks()["Stacks"]
    assert other["DriftInformation"] == {"StackDriftStatus": "NOT_CHECKED"}


def test_gap_answers_are_counted_and_deniable(org: Org, emulator: Emulator) -> None:
    shield = org.client(org.member, "shield")
    emulator.reset_counters()
    shield.get_subscription_state()
    assert emulator.requests_by_operation() == {"shield:GetSubscriptionState": 1}
    emulator.deny("ssm:DescribeInstanceInformation", account_id=org.member)
    try:
        with pytest.raises(ClientError) as exc:
            org.client(org.member, "ssm").describe_instance_information()
        assert error_code(exc) == "AccessDeniedException"
    finally:
        emulator.clear_faults()
