"""Sessions into the emulated organization: the management account's, or a member's
through the role Organizations creates in every account it creates.

The bottom of the scenario modules: ``scenario`` and every ``scenario_*`` module import
from here, never from each other upwards.
"""

from __future__ import annotations

import boto3

HOME_REGION = "us-east-1"
# The role Organizations creates in an account it creates (Organizations User Guide,
# orgs_manage_accounts_access.html).
MEMBER_ROLE = "OrganizationAccountAccessRole"


def session_for(endpoint_url: str, account_id: str | None = None) -> boto3.Session:
    """A boto3 session acting in ``account_id`` (None: the management account)."""
    base = boto3.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=HOME_REGION,
    )
    if account_id is None:
        return base
    creds = base.client("sts", endpoint_url=endpoint_url).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{MEMBER_ROLE}",
        RoleSessionName="wellsec-demo-setup",
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=HOME_REGION,
    )
