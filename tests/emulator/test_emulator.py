"""The emulator over real HTTP: the demo organization and every gap-layer answer."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wellsec.emulator import DemoOrg, Emulator, build_demo_org

NOW = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:  # starts with an empty moto
        yield em
        em.reset()  # moto's state is process-wide: leave it empty


@pytest.fixture(scope="module")
def org(emulator: Emulator) -> DemoOrg:
    return build_demo_org(emulator, now=NOW)


@pytest.fixture(autouse=True)
def _no_faults(emulator: Emulator) -> Iterator[None]:
    yield
    emulator.clear_faults()


def session(emulator: Emulator, account_id: str | None = None) -> boto3.Session:
    """A session in the management account, or in a member via its access role."""
    base = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    if account_id is None:
        return base
    creds = base.client("sts", endpoint_url=emulator.endpoint_url, config=NO_RETRIES).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
        RoleSessionName="test",
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def client(emulator: Emulator, org: DemoOrg, name: str, service: str, **kw: Any) -> Any:
    """A boto3 client acting in the demo account called ``name``."""
    account = org.accounts[name]
    sess = session(emulator, None if account == org.management_account_id else account)
    factory: Any = sess.client
    return factory(service, endpoint_url=emulator.endpoint_url, config=NO_RETRIES, **kw)


def iso(when: datetime) -> str:
    return when.isoformat()


def credential_report(iam: Any) -> list[dict[str, str]]:
    for _ in range(20):
        if iam.generate_credential_report()["State"] == "COMPLETE":
            break
        time.sleep(0.05)
    content = iam.get_credential_report()["Content"].decode("utf-8")
    return list(csv.DictReader(io.StringIO(content)))


# -- the organization built by build_demo_org -----------------------------------


def test_demo_org_structure(emulator: Emulator, org: DemoOrg) -> None:
    orgs = client(emulator, org, "management", "organizations")
    assert set(org.accounts) == {"management", "security-tooling", "prod", "dev"}
    assert org.management_account_id == "123456789012"
    assert org.regions == ("us-east-1", "eu-west-1")
    parents = {
        name: orgs.list_parents(ChildId=acct)["Parents"][0]["Id"]
        for name, acct in org.accounts.items()
    }
    assert parents["security-tooling"] == org.ous["Security"]
    assert parents["prod"] == org.ous["Workloads"]
    assert parents["dev"] == org.root_id
    scp_names = {
        target: {
            p["Name"]
            for p in orgs.list_policies_for_target(
                TargetId=target, Filter="SERVICE_CONTROL_POLICY"
            )["Policies"]
        }
        for target in (org.ous["Security"], org.ous["Workloads"], org.root_id)
    }
    # AWS attaches FullAWSAccess to every new OU; the custom SCPs come on top.
    assert scp_names[org.ous["Security"]] == {"FullAWSAccess", "deny-root-and-leave"}
    assert scp_names[org.ous["Workloads"]] == {
        "FullAWSAccess",
        "deny-root-and-leave",
        "region-guardrail",
    }
    assert "FullAWSAccess" in scp_names[org.root_id]
    guardrail = next(
        p
        for p in orgs.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "region-guardrail"
    )
    content = json.loads(orgs.describe_policy(PolicyId=guardrail["Id"])["Policy"]["Content"])
    condition = content["Statement"][0]["Condition"]["StringNotEquals"]
    assert condition["aws:RequestedRegion"] == ["us-east-1", "eu-west-1"]
    admins = orgs.list_delegated_administrators(ServicePrincipal="guardduty.amazonaws.com")
    assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [
        org.accounts["security-tooling"]
    ]
    stack_set = client(emulator, org, "management", "cloudformation").describe_stack_set(
        StackSetName="security-baseline"
    )["StackSet"]
    assert stack_set["PermissionModel"] == "SERVICE_MANAGED"


def test_demo_accounts_logging_and_alerting(emulator: Emulator, org: DemoOrg) -> None:
    multi_region = {}
    for name in org.accounts:
        trails = client(emulator, org, name, "cloudtrail").describe_trails()["trailList"]
        assert len(trails) == 1
        status = client(emulator, org, name, "cloudtrail").get_trail_status(
            Name=trails[0]["TrailARN"]
        )
        assert status["IsLogging"] is True
        multi_region[name] = trails[0]["IsMultiRegionTrail"]
    assert multi_region == {
        "management": True,
        "security-tooling": True,
        "prod": True,
        "dev": False,
    }
    mgmt_trail = client(emulator, org, "management", "cloudtrail").describe_trails()["trailList"]
    assert mgmt_trail[0]["Name"] == "management-trail"
    assert "cloudtrail/management" in mgmt_trail[0]["CloudWatchLogsLogGroupArn"]
    filters = client(emulator, org, "management", "logs").describe_metric_filters(
        logGroupName="cloudtrail/management"
    )["metricFilters"]
    assert filters[0]["metricTransformations"][0]["metricName"] == "RootUsageCount"
    alarms = client(emulator, org, "management", "cloudwatch").describe_alarms()["MetricAlarms"]
    assert alarms[0]["MetricName"] == "RootUsageCount"
    assert alarms[0]["AlarmActions"][0].endswith(":root-alerts")
    rule_regions = {}
    for name in org.accounts:
        for region in org.regions:
            events = client(emulator, org, name, "events", region_name=region)
            if events.list_rules(NamePrefix="root-activity")["Rules"]:
                assert events.list_targets_by_rule(Rule="root-activity")["Targets"]
                rule_regions[name] = region
    assert rule_regions == {"security-tooling": "us-east-1", "prod": "eu-west-1"}


def test_demo_security_contacts(emulator: Emulator, org: DemoOrg) -> None:
    found = {}
    for name in org.accounts:
        acct = client(emulator, org, name, "account")
        try:
            acct.get_alternate_contact(AlternateContactType="SECURITY")
            found[name] = True
        except ClientError as exc:
            assert exc.response["Error"]["Code"] == "ResourceNotFoundException"
            found[name] = False
    assert found == {"management": True, "security-tooling": True, "prod": False, "dev": True}


# -- root user (gap layer) ------------------------------------------------------


def test_account_summary_reflects_root_user(emulator: Emulator, org: DemoOrg) -> None:
    seen = {}
    for name in org.accounts:
        summary = client(emulator, org, name, "iam").get_account_summary()["SummaryMap"]
        seen[name] = (summary["AccountMFAEnabled"], summary["AccountAccessKeysPresent"])
    assert seen == {
        "management": (1, 0),
        "security-tooling": (1, 0),
        "prod": (1, 1),
        "dev": (0, 0),
    }


def test_credential_report_has_root_row_first(emulator: Emulator, org: DemoOrg) -> None:
    iam = client(emulator, org, "dev", "iam")
    iam.create_user(UserName="report-user")
    rows = credential_report(iam)
    header = list(rows[0].keys())
    assert header[:8] == [
        "user", "arn", "user_creation_time", "password_enabled", "password_last_used",
        "password_last_changed", "password_next_rotation", "mfa_active",
    ]  # fmt: skip
    assert len(header) == 22
    root = rows[0]
    assert root["user"] == "<root_account>"
    assert root["arn"] == f"arn:aws:iam::{org.accounts['dev']}:root"
    # Commercial AWS writes true/false for the root user's password (IAM User Guide).
    assert root["password_enabled"] == "true"
    assert root["password_last_changed"] == iso(NOW - timedelta(days=400))
    assert root["password_last_used"] == iso(NOW - timedelta(days=400))
    assert root["mfa_active"] == "false"
    assert root["access_key_1_active"] == "false"
    assert root["access_key_1_last_used_date"] == "N/A"
    assert [r["user"] for r in rows[1:]] == ["report-user"]


def test_credential_report_root_keys_and_sign_in(emulator: Emulator, org: DemoOrg) -> None:
    prod = credential_report(client(emulator, org, "prod", "iam"))[0]
    assert prod["mfa_active"] == "true"
    assert prod["access_key_1_active"] == "true"
    assert prod["access_key_1_last_used_date"] == iso(NOW - timedelta(days=30))
    assert prod["access_key_2_active"] == "false"
    assert prod["password_last_used"] == "no_information"
    mgmt = credential_report(client(emulator, org, "management", "iam"))[0]
    assert mgmt["password_last_used"] == iso(NOW - timedelta(days=2))
    assert mgmt["access_key_1_active"] == "false"


def test_credential_report_generated_time_is_now(emulator: Emulator, org: DemoOrg) -> None:
    iam = client(emulator, org, "security-tooling", "iam")
    before = datetime.now(UTC) - timedelta(seconds=5)
    credential_report(iam)
    generated = iam.get_credential_report()["GeneratedTime"]
    assert generated >= before


def test_root_virtual_mfa_device(emulator: Emulator, org: DemoOrg) -> None:
    account = org.accounts["security-tooling"]
    iam = client(emulator, org, "security-tooling", "iam")
    devices = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in devices] == [
        f"arn:aws:iam::{account}:mfa/root-account-mfa-device"
    ]
    assert devices[0]["User"]["Arn"] == f"arn:aws:iam::{account}:root"
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert not iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    # Hardware MFA: no virtual device assigned to root.
    mgmt = client(emulator, org, "management", "iam").list_virtual_mfa_devices()
    assert mgmt["VirtualMFADevices"] == []


def test_root_virtual_mfa_device_listed_with_user_devices(emulator: Emulator, org: DemoOrg) -> None:
    iam = client(emulator, org, "security-tooling", "iam")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="unassigned-device")
    serials = {d["SerialNumber"] for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]}
    account = org.accounts["security-tooling"]
    assert serials == {
        f"arn:aws:iam::{account}:mfa/root-account-mfa-device",
        f"arn:aws:iam::{account}:mfa/unassigned-device",
    }


# -- organization features, regions, Control Tower -----------------------------------


def test_list_organizations_features(emulator: Emulator, org: DemoOrg) -> None:
    iam = client(emulator, org, "management", "iam")
    # The demo never enabled IAM trusted access: AWS answers with an error, not a list.
    with pytest.raises(ClientError) as off:
        iam.list_organizations_features()
    assert off.value.response["Error"]["Code"] == "ServiceAccessNotEnabledException"
    assert off.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # (test_root_access_gaps.py covers the answers with trusted access on.)
    with pytest.raises(ClientError) as denied:
        client(emulator, org, "prod", "iam").list_organizations_features()
    code = denied.value.response["Error"]["Code"]
    assert code == "AccountNotManagementOrDelegatedAdministratorException"


def test_describe_regions_opt_in(emulator: Emulator, org: DemoOrg) -> None:
    dev = client(emulator, org, "dev", "ec2")
    default = {r["RegionName"]: r["OptInStatus"] for r in dev.describe_regions()["Regions"]}
    assert default["ap-east-1"] == "opted-in"
    assert default["us-east-1"] == "opt-in-not-required"
    assert "af-south-1" not in default
    assert not any(name.startswith(("cn-", "us-gov-")) for name in default)
    every = {
        r["RegionName"]: r["OptInStatus"] for r in dev.describe_regions(AllRegions=True)["Regions"]
    }
    assert every["af-south-1"] == "not-opted-in"
    assert every["eu-south-1"] == "not-opted-in"
    assert set(default) < set(every)
    opted = dev.describe_regions(
        AllRegions=True, Filters=[{"Name": "opt-in-status", "Values": ["opted-in"]}]
    )["Regions"]
    assert [r["RegionName"] for r in opted] == ["ap-east-1"]
    prod = client(emulator, org, "prod", "ec2").describe_regions()["Regions"]
    assert {r["OptInStatus"] for r in prod} == {"opt-in-not-required"}


def test_account_list_regions(emulator: Emulator, org: DemoOrg) -> None:
    acct = client(emulator, org, "dev", "account")
    enabled = acct.list_regions(RegionOptStatusContains=["ENABLED"])["Regions"]
    assert enabled == [{"RegionName": "ap-east-1", "RegionOptStatus": "ENABLED"}]
    mgmt = client(emulator, org, "management", "account")
    by_id = mgmt.list_regions(AccountId=org.accounts["dev"], RegionOptStatusContains=["ENABLED"])
    assert [r["RegionName"] for r in by_id["Regions"]] == ["ap-east-1"]
    assert mgmt.list_regions(RegionOptStatusContains=["ENABLED"])["Regions"] == []


def test_control_tower_has_no_landing_zone(emulator: Emulator, org: DemoOrg) -> None:
    ct = client(emulator, org, "management", "controltower")
    assert ct.list_landing_zones()["landingZones"] == []


def test_unmodelled_service_fails_fast(emulator: Emulator, org: DemoOrg) -> None:
    wa = client(emulator, org, "management", "wellarchitected")
    with pytest.raises(ClientError) as err:
        wa.list_workloads()
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert err.value.response["ResponseMetadata"]["RetryAttempts"] == 0


# -- faults ---------------------------------------------------------------------------


def _error_code(call: Any) -> str:
    with pytest.raises(ClientError) as err:
        call()
    return str(err.value.response["Error"]["Code"])


def test_deny_query_protocol_operation(emulator: Emulator, org: DemoOrg) -> None:
    iam = client(emulator, org, "management", "iam")
    emulator.deny("iam:GetAccountSummary")
    assert _error_code(iam.get_account_summary) == "AccessDenied"
    emulator.clear_faults()
    assert iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 1


def test_deny_json_protocol_operation(emulator: Emulator, org: DemoOrg) -> None:
    orgs = client(emulator, org, "management", "organizations")
    emulator.deny("organizations:ListPolicies")
    code = _error_code(lambda: orgs.list_policies(Filter="SERVICE_CONTROL_POLICY"))
    assert code == "AccessDeniedException"
    assert orgs.list_roots()["Roots"]  # other operations still work


def test_deny_ec2_and_rest_json(emulator: Emulator, org: DemoOrg) -> None:
    emulator.deny("ec2:DescribeRegions")
    emulator.deny("account:GetAlternateContact")
    ec2 = client(emulator, org, "management", "ec2")
    acct = client(emulator, org, "management", "account")
    assert _error_code(ec2.describe_regions) == "UnauthorizedOperation"
    code = _error_code(lambda: acct.get_alternate_contact(AlternateContactType="SECURITY"))
    assert code == "AccessDeniedException"


def test_deny_query_compatible_json(emulator: Emulator, org: DemoOrg) -> None:
    emulator.deny("cloudwatch:DescribeAlarms")
    cw = client(emulator, org, "management", "cloudwatch")
    assert _error_code(cw.describe_alarms) == "AccessDenied"


def test_deny_scoped_to_account_and_region(emulator: Emulator, org: DemoOrg) -> None:
    emulator.deny("iam:GetAccountSummary", account_id=org.accounts["prod"])
    emulator.deny("events:ListRules", region="eu-west-1")
    prod_iam = client(emulator, org, "prod", "iam")
    assert _error_code(prod_iam.get_account_summary) == "AccessDenied"
    assert client(emulator, org, "dev", "iam").get_account_summary()["SummaryMap"]
    eu = client(emulator, org, "prod", "events", region_name="eu-west-1")
    us = client(emulator, org, "prod", "events", region_name="us-east-1")
    assert _error_code(eu.list_rules) == "AccessDeniedException"
    assert us.list_rules()["Rules"] == []


def test_block_assume_role(emulator: Emulator, org: DemoOrg) -> None:
    emulator.block_assume_role(org.accounts["dev"])
    with pytest.raises(ClientError) as err:
        session(emulator, org.accounts["dev"])
    assert err.value.response["Error"]["Code"] == "AccessDenied"
    assert session(emulator, org.accounts["prod"]) is not None
    emulator.clear_faults()
    assert session(emulator, org.accounts["dev"]) is not None


# -- request accounting ------------------------------------------------------------


def test_request_counting(emulator: Emulator, org: DemoOrg) -> None:
    iam = client(emulator, org, "management", "iam")
    orgs = client(emulator, org, "management", "organizations")
    emulator.reset_counters()
    assert emulator.request_count == 0
    iam.get_account_summary()
    iam.get_account_summary()
    orgs.describe_organization()
    emulator.deny("iam:ListUsers")
    _error_code(iam.list_users)  # denied requests are counted too
    assert emulator.request_count == 4
    assert emulator.requests_by_operation() == {
        "iam:GetAccountSummary": 2,
        "organizations:DescribeOrganization": 1,
        "iam:ListUsers": 1,
    }
    assert emulator.operations_seen() == {
        "iam:GetAccountSummary",
        "organizations:DescribeOrganization",
        "iam:ListUsers",
    }
    client(emulator, org, "prod", "iam")  # assumes a role: one more request
    assert emulator.requests_by_operation()["sts:AssumeRole"] == 1
