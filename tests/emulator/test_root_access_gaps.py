"""The emulator's centralized root access: ListOrganizationsFeatures errors as AWS answers
them, and root passwords in the credential report before and after the feature."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wellsec.emulator import Emulator

NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as em:
        yield em
        em.reset()  # moto's state is process-wide: leave it empty


@pytest.fixture
def fresh(emulator: Emulator) -> Emulator:
    emulator.reset()
    return emulator


def _session(account_id: str | None, url: str) -> boto3.Session:
    base = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    if account_id is None:
        return base
    creds = base.client("sts", endpoint_url=url, config=NO_RETRIES).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
        RoleSessionName="test",
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def _client(em: Emulator, service: str, account_id: str | None = None) -> Any:
    session = _session(account_id, em.endpoint_url)
    return session.client(service, endpoint_url=em.endpoint_url, config=NO_RETRIES)


def _error(call: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def _new_account(orgs: Any, name: str) -> str:
    status = orgs.create_account(AccountName=name, Email=f"{name}@example.com")
    return str(status["CreateAccountStatus"]["AccountId"])


def _root_row(em: Emulator, account_id: str) -> dict[str, str]:
    iam = _client(em, "iam", account_id)
    while iam.generate_credential_report()["State"] != "COMPLETE":
        time.sleep(0.05)
    content = iam.get_credential_report()["Content"].decode("utf-8")
    return next(csv.DictReader(io.StringIO(content)))


def test_no_organization(fresh: Emulator) -> None:
    call = _client(fresh, "iam").list_organizations_features
    assert _error(call) == ("OrganizationNotFoundException", 400)


def test_consolidated_billing_organization(fresh: Emulator) -> None:
    _client(fresh, "organizations").create_organization(FeatureSet="CONSOLIDATED_BILLING")
    call = _client(fresh, "iam").list_organizations_features
    assert _error(call) == ("OrganizationNotInAllFeaturesModeException", 400)


def test_trusted_access_for_iam_decides_between_error_and_list(fresh: Emulator) -> None:
    orgs = _client(fresh, "organizations")
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    member = _new_account(orgs, "member")
    iam = _client(fresh, "iam")
    assert _error(iam.list_organizations_features) == ("ServiceAccessNotEnabledException", 400)
    # A member is refused before trusted access is even looked at.
    member_call = _client(fresh, "iam", member).list_organizations_features
    assert _error(member_call)[0] == "AccountNotManagementOrDelegatedAdministratorException"
    orgs.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    answer = iam.list_organizations_features()
    assert answer["OrganizationId"] == org_id
    assert answer["EnabledFeatures"] == []


def test_root_credentials_management_deletes_no_password(fresh: Emulator) -> None:
    orgs = _client(fresh, "organizations")
    orgs.create_organization(FeatureSet="ALL")
    before = _new_account(orgs, "before")
    orgs.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    iam = _client(fresh, "iam")
    iam.enable_organizations_root_credentials_management()
    after = _new_account(orgs, "after")
    assert iam.list_organizations_features()["EnabledFeatures"] == ["RootCredentialsManagement"]
    old = _root_row(fresh, before)
    assert old["password_enabled"] == "true"
    assert old["password_last_changed"] not in ("N/A", "not_supported")
    new = _root_row(fresh, after)
    assert new["password_enabled"] == "false"
    assert new["password_last_changed"] == "N/A"
    assert new["password_last_used"] == "N/A"
    assert new["access_key_1_active"] == "false"
