"""Emulator lifecycle: reset() empties moto and the gap layer; stop() frees the port."""

from __future__ import annotations

import socket

import boto3
import pytest
from botocore.exceptions import ClientError

from wellsec.emulator import Emulator, RootUser, build_demo_org


def test_reset_forgets_moto_and_gap_state() -> None:
    with Emulator() as emulator:
        org = build_demo_org(emulator)
        emulator.deny("iam:ListUsers")
        orgs = boto3.client(
            "organizations",
            endpoint_url=emulator.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        assert orgs.describe_organization()["Organization"]["Id"] == org.organization_id
        assert emulator.state.root_user(org.management_account_id).mfa == "hardware"
        assert emulator.request_count > 0

        emulator.reset()

        assert emulator.request_count == 0
        assert emulator.state.root_user(org.management_account_id) == RootUser(
            created=emulator.state.created
        )
        assert not emulator.state.is_denied("iam:ListUsers", org.management_account_id, "x")
        with pytest.raises(ClientError) as err:
            orgs.describe_organization()
        assert err.value.response["Error"]["Code"] == "AWSOrganizationsNotInUseException"
        # A fresh organization can be built again after a reset.
        assert build_demo_org(emulator).management_account_id == org.management_account_id
        emulator.reset()


def test_start_begins_with_empty_aws() -> None:
    with Emulator() as first:
        build_demo_org(first)
    with Emulator() as second:  # would fail with AlreadyInOrganization without the reset
        assert len(build_demo_org(second).accounts) == 4
        second.reset()


def test_stop_releases_port() -> None:
    emulator = Emulator().start()
    port = emulator.port
    url = emulator.endpoint_url
    assert url == f"http://127.0.0.1:{port}"
    emulator.stop()
    with pytest.raises(RuntimeError):
        _ = emulator.endpoint_url
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
