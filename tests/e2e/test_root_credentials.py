"""Root credentials against centralized root access, through the real CLI (issue 13).

Enabling RootCredentialsManagement deletes no root password: only members created
afterwards start without one, so only those may go without root MFA. IAM's
ServiceAccessNotEnabledException is the fact "centralized root access is off".
"""

from __future__ import annotations

from typing import Any

import boto3

from tests.e2e.conftest import DONE, Demo
from wellsec.emulator.faults import FaultKind, FaultSpec


def _management(demo: Demo, service: str) -> Any:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    return session.client(service, endpoint_url=demo.emulator.endpoint_url)


def test_root_mfa_follows_root_credentials_not_the_feature(demo: Demo) -> None:
    dev = demo.account("dev")  # root password, no MFA, no access keys

    # 1. IAM trusted access off (the demo): IAM's error is the fact, a FAIL with its reason.
    run = demo.review()
    assert run.exit_code in DONE, run.stdout
    (central,) = run.findings("centralized_root_access")
    assert central["status"] == "FAIL"
    assert "trusted access for IAM is not enabled" in central["message"]
    assert run.status("root_mfa_enabled", dev) == "FAIL"

    # 2. Centralized root access on: dev's root keeps its password, so still FAIL.
    orgs = _management(demo, "organizations")
    iam = _management(demo, "iam")
    orgs.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    iam.enable_organizations_root_credentials_management()
    iam.enable_organizations_root_sessions()
    # 3. A member created from now on starts without root credentials.
    status = orgs.create_account(AccountName="sandbox", Email="sandbox@example.com")
    sandbox = str(status["CreateAccountStatus"]["AccountId"])

    run = demo.review()
    assert run.exit_code in DONE, run.stdout
    (central,) = run.findings("centralized_root_access")
    assert central["status"] == "PASS", central["message"]
    (mfa,) = run.findings("root_mfa_enabled", dev)
    assert mfa["status"] == "FAIL", mfa["message"]
    assert "password" in mfa["message"]
    assert run.status("root_hardware_mfa", dev) == "FAIL"
    assert run.practice("SEC01-BP02")["status"] == "NOT_MET"
    (fresh,) = run.findings("root_mfa_enabled", sandbox)
    assert fresh["status"] == "NOT_APPLICABLE", fresh["message"]
    assert "no credentials" in fresh["message"]
    assert run.status("root_hardware_mfa", sandbox) == "NOT_APPLICABLE"

    # 4. Without the credential report the new member's root cannot be cleared: UNKNOWN.
    demo.emulator.inject(FaultSpec(FaultKind.DENY, "iam:GetCredentialReport", account_id=sandbox))
    run = demo.review()
    assert run.exit_code in DONE, run.stdout
    (blind,) = run.findings("root_mfa_enabled", sandbox)
    assert blind["status"] == "UNKNOWN", blind["message"]
    assert run.status("root_mfa_enabled", dev) == "FAIL"
