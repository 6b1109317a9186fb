"""Organization trails seen from a member account, over real HTTP with boto3: the member
lists the management account's organization trail and reads its status and selectors by
ARN, as AWS documents; its own trails and other accounts' trails stay as moto has them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wellsec.emulator import Emulator

NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})
HOME = "us-east-1"
OTHER = "eu-west-1"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:
        em.reset()
        yield em
        em.reset()  # moto's state is process-wide: leave it empty


def _client(emulator: Emulator, session: boto3.Session, service: str, region: str) -> Any:
    factory: Any = session.client
    return factory(
        service, endpoint_url=emulator.endpoint_url, region_name=region, config=NO_RETRIES
    )


@pytest.fixture(scope="module")
def org(emulator: Emulator) -> dict[str, Any]:
    management = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=HOME
    )
    orgs = _client(emulator, management, "organizations", HOME)
    orgs.create_organization(FeatureSet="ALL")
    member_id = orgs.create_account(AccountName="workload", Email="w@example.com")[
        "CreateAccountStatus"
    ]["AccountId"]
    _client(emulator, management, "s3", HOME).create_bucket(Bucket="org-trail-logs")
    trails = _client(emulator, management, "cloudtrail", HOME)
    arn = trails.create_trail(
        Name="org-trail",
        S3BucketName="org-trail-logs",
        IsMultiRegionTrail=True,
        IsOrganizationTrail=True,
    )["TrailARN"]
    trails.start_logging(Name=arn)
    creds = _client(emulator, management, "sts", HOME).assume_role(
        RoleArn=f"arn:aws:iam::{member_id}:role/OrganizationAccountAccessRole",
        RoleSessionName="test",
    )["Credentials"]
    member = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=HOME,
    )
    return {"member": member, "arn": arn}


def test_member_lists_the_organization_trail_in_every_region(
    emulator: Emulator, org: dict[str, Any]
) -> None:
    for region in (HOME, OTHER):
        trails = _client(emulator, org["member"], "cloudtrail", region)
        listed = trails.describe_trails(includeShadowTrails=True)["trailList"]
        assert [(t["TrailARN"], t["IsOrganizationTrail"], t["HomeRegion"]) for t in listed] == [
            (org["arn"], True, HOME)
        ]
    own_region_only = _client(emulator, org["member"], "cloudtrail", OTHER)
    assert own_region_only.describe_trails(includeShadowTrails=False)["trailList"] == []


def test_member_reads_the_organization_trail_by_arn(
    emulator: Emulator, org: dict[str, Any]
) -> None:
    trails = _client(emulator, org["member"], "cloudtrail", HOME)
    assert trails.get_trail_status(Name=org["arn"])["IsLogging"] is True
    selectors = trails.get_event_selectors(TrailName=org["arn"])
    assert selectors["TrailARN"] == org["arn"]


def test_member_cannot_read_a_trail_that_is_not_its_organizations(
    emulator: Emulator, org: dict[str, Any]
) -> None:
    trails = _client(emulator, org["member"], "cloudtrail", HOME)
    other = org["arn"].replace(":trail/org-trail", ":trail/not-there")
    with pytest.raises(ClientError) as err:
        trails.get_trail_status(Name=other)
    assert err.value.response["Error"]["Code"] == "TrailNotFoundException"
