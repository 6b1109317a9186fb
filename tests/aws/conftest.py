"""An emulator with an organization of two member accounts, reached over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest

from wellsec.aws import Connector, Credentials
from wellsec.emulator import Emulator

KEYS = Credentials("testing", "testing")


@dataclass
class Org:
    emulator: Emulator
    members: tuple[str, str]

    def connector(self, **options: object) -> Connector:
        """A fresh connector (fresh clients, budgets and credentials) on the emulator."""
        return Connector(endpoint_url=self.emulator.endpoint_url, credentials=KEYS, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def org() -> Iterator[Org]:
    with Emulator() as emulator:
        client = boto3.client(
            "organizations",
            endpoint_url=emulator.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_organization(FeatureSet="ALL")
        members = tuple(
            client.create_account(Email=f"{name}@example.com", AccountName=name)[
                "CreateAccountStatus"
            ]["AccountId"]
            for name in ("alpha", "bravo")
        )
        yield Org(emulator, (members[0], members[1]))


@pytest.fixture(autouse=True)
def _clean(org: Org) -> Iterator[None]:
    org.emulator.reset_counters()
    yield
    org.emulator.clear_faults()
    org.emulator.reset_counters()
