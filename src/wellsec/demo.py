"""The demo: an emulated organization on 127.0.0.1 and the workload file that goes with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from wellsec.aws.session import Connector, Credentials
from wellsec.workload import Attestation, Workload

DEMO_REGIONS = ["us-east-1", "eu-west-1"]
DEMO_CREDENTIALS = Credentials("testing", "testing")
# The demo's attestations: (id, by, how many days ago), and the evidence some of them cite.
DEMO_ATTESTATIONS = [
    ("root_password_rotation", "platform-lead@example.com", 60),
    ("compliance_requirements_identified", "ciso@example.com", 100),
    ("threat_intelligence_followed", "secops@example.com", 30),
    ("security_recommendations_followed", "secops@example.com", 45),
    ("threat_model_maintained", "app-owner@example.com", 400),
    ("security_review_calendar", "secops@example.com", 20),
]
DEMO_EVIDENCE = {
    "root_password_rotation": "https://wiki.example.com/security/break-glass",
    "compliance_requirements_identified": "https://wiki.example.com/compliance/payments",
    "security_recommendations_followed": "https://wiki.example.com/security/aws-bulletins",
    "threat_model_maintained": "https://git.example.com/payments/threat-model.tc.json",
}


def demo_workload(today: dt.date) -> Workload:
    """The demo workload: a realistic mix of current, expired and missing attestations, and
    a Threat Composer export shipped with the package (prioritised, partly mitigated, with
    an open High threat without a mitigation and a threat without STRIDE categories)."""
    from importlib.resources import files

    threat_model = files("wellsec") / "emulator" / "data" / "demo-payments.tc.json"

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    return Workload(
        name="demo-payments",
        environment="production",
        owner="security-team@example.com",
        description="Payments platform (emulated organization)",
        regions=DEMO_REGIONS,
        review_cadence_days=90,
        compliance=["cis", "pci-dss"],  # CIS fails in places; PCI DSS mostly holds
        threat_model=[str(threat_model)],
        attestations=[
            Attestation(id=id, by=by, date=ago(days), evidence=DEMO_EVIDENCE.get(id))
            for id, by, days in DEMO_ATTESTATIONS
        ],
    )


@dataclass(frozen=True)
class DemoEnvironment:
    endpoint_url: str
    management_account_id: str
    accounts: dict[str, str]
    workload: Workload

    def connector(self, **kwargs: object) -> Connector:
        return Connector(
            endpoint_url=self.endpoint_url,
            credentials=DEMO_CREDENTIALS,
            home_region="us-east-1",
            **kwargs,  # type: ignore[arg-type]
        )


def _improve(emulator: Any, org: Any, workload: Workload, today: dt.date) -> Workload:
    """Close some of the demo's gaps, as a team would between two reviews."""
    from dataclasses import replace

    from wellsec.emulator.sessions import session_for

    url = emulator.endpoint_url
    dev, prod = org.accounts["dev"], org.accounts["prod"]
    emulator.state.set_root_user(dev, replace(emulator.state.root_user(dev), mfa="hardware"))
    session_for(url, prod).client("account", endpoint_url=url).put_alternate_contact(
        AlternateContactType="SECURITY",
        Name="Security team",
        Title="Security",
        EmailAddress="security@example.com",
        PhoneNumber="+10000000000",
    )
    orgs = session_for(url).client("organizations", endpoint_url=url)
    orgs.move_account(
        AccountId=dev, SourceParentId=org.root_id, DestinationParentId=org.ous["Workloads"]
    )
    extra = Attestation(id="security_recommendations_followed", by="secops@example.com", date=today)
    return workload.model_copy(update={"attestations": [*workload.attestations, extra]})


@contextmanager
def demo_environment(
    now: dt.datetime | None = None, improved: bool = False
) -> Iterator[DemoEnvironment]:
    """Start the emulator, build the demo organization, and yield how to reach it.

    ``improved`` closes some gaps first (dev's root MFA and OU, prod's security
    contact, one more attestation), so two demo reviews show progress.
    """
    try:
        from wellsec.emulator.scenario import build_demo_org
        from wellsec.emulator.server import Emulator
    except ImportError as exc:  # moto is an optional dependency
        raise RuntimeError(
            f"the demo needs the emulator's dependencies: pip install 'wellsec[demo]' ({exc.name})"
        ) from None
    when = now or dt.datetime.now(dt.UTC)
    with Emulator() as emulator:
        org = build_demo_org(emulator, now=when)
        workload = demo_workload(when.date())
        if improved:
            workload = _improve(emulator, org, workload, when.date())
        yield DemoEnvironment(
            endpoint_url=emulator.endpoint_url,
            management_account_id=org.management_account_id,
            accounts=dict(org.accounts),
            workload=workload,
        )
