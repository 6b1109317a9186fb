"""StackSets and Control Tower where they live (issue 13, item 5): StackSets read in
every region, as a delegated administrator with CallAs=DELEGATED_ADMIN, and a landing
zone that governs only its registered OUs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.e2e.conftest import DONE, Demo, Run
from wellsec.emulator.controltower_gaps import LandingZone, set_landing_zone
from wellsec.emulator.scenario import DEMO_REGIONS, STACKSET_TEMPLATE
from wellsec.emulator.sessions import session_for
from wellsec.emulator.stackset_gaps import STACKSETS_PRINCIPAL
from wellsec.evidence import is_unavailable, keys
from wellsec.snapshot import load_snapshot

CHECK = "standard_controls_deployed"


def _review(
    demo: Demo, env: dict[str, str | None] | None = None, extra: tuple[str, ...] = ()
) -> Run:
    run = demo.cli(
        "review",
        "--config",
        str(demo.config),
        "--endpoint-url",
        demo.emulator.endpoint_url,
        "--lens",
        "sec01@2025",
        "--regions",
        ",".join(DEMO_REGIONS),
        *extra,
        env=env,
    )
    assert run.exit_code in DONE, run.stderr
    return run


def _finding(run: Run, demo: Demo, name: str) -> dict[str, Any]:
    (found,) = run.findings(CHECK, demo.account(name))
    return found


@pytest.fixture(params=["us-east-1", "eu-west-1"])
def landing_zone(demo: Demo, request: pytest.FixtureRequest) -> Iterator[str]:
    """A landing zone with only the Security OU registered, its home region the scan's
    (us-east-1) or another."""
    zone = LandingZone(request.param, DEMO_REGIONS, (demo.org.ous["Security"],))
    set_landing_zone(demo.emulator.state, demo.org.management_account_id, zone)
    yield str(request.param)
    set_landing_zone(demo.emulator.state, demo.org.management_account_id, None)


def test_a_landing_zone_does_not_govern_an_account_outside_its_registered_ous(
    demo: Demo, landing_zone: str
) -> None:
    run = _review(demo)
    dev = _finding(run, demo, "dev")  # dev sits at the root, which is not registered
    assert dev["status"] == "FAIL", dev["message"]
    assert "does not govern its OU" in dev["message"]
    tooling = _finding(run, demo, "security-tooling")
    assert tooling["status"] == "PASS"
    zone = f"arn:aws:controltower:{landing_zone}:"
    assert f"governed by the Control Tower landing zone {zone}" in tooling["message"]
    (org_finding,) = run.findings("landing_zone_or_stacksets")
    assert f"governs OUs {demo.org.ous['Security']}" in org_finding["message"]


def test_a_stack_set_administered_from_another_region_counts(demo: Demo) -> None:
    """The scan's home region is us-east-1; this StackSet lives in eu-west-1."""
    url, dev = demo.emulator.endpoint_url, demo.account("dev")
    cfn = session_for(url).client("cloudformation", endpoint_url=url, region_name="eu-west-1")
    cfn.create_stack_set(
        StackSetName="dev-baseline",
        TemplateBody=STACKSET_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": False},
    )
    targets = {
        "OrganizationalUnitIds": [demo.org.root_id],
        "Accounts": [dev],
        "AccountFilterType": "INTERSECTION",
    }
    cfn.create_stack_instances(
        StackSetName="dev-baseline", DeploymentTargets=targets, Regions=["eu-west-1"]
    )
    try:
        found = _finding(_review(demo), demo, "dev")
        assert found["status"] == "PASS", found["message"]
        assert found["message"] == "deployed by StackSets: dev-baseline (eu-west-1)"
    finally:
        # moto deletes by account list only (it ignores DeploymentTargets).
        cfn.delete_stack_instances(
            StackSetName="dev-baseline", Accounts=[dev], Regions=["eu-west-1"], RetainStacks=False
        )
        cfn.delete_stack_set(StackSetName="dev-baseline")


def test_a_delegated_administrator_reads_the_organizations_stack_sets(demo: Demo) -> None:
    """A scan run from the StackSets delegated administrator sees the service-managed
    StackSets of the management account only with CallAs=DELEGATED_ADMIN."""
    url, tooling = demo.emulator.endpoint_url, demo.account("security-tooling")
    session_for(url).client("organizations", endpoint_url=url).register_delegated_administrator(
        AccountId=tooling, ServicePrincipal=STACKSETS_PRINCIPAL
    )
    creds = session_for(url, tooling).get_credentials().get_frozen_credentials()
    as_admin: dict[str, str | None] = {
        "AWS_ACCESS_KEY_ID": creds.access_key,
        "AWS_SECRET_ACCESS_KEY": creds.secret_key,
        "AWS_SESSION_TOKEN": creds.token,
    }
    assert (
        boto3.Session(
            aws_access_key_id=creds.access_key,
            aws_secret_access_key=creds.secret_key,
            aws_session_token=creds.token,
        )
        .client("sts", endpoint_url=url, region_name="us-east-1")
        .get_caller_identity()["Account"]
        == tooling
    )
    snapshot = demo.tmp / "delegated.snapshot.json"
    run = _review(demo, env=as_admin, extra=("--snapshot", str(snapshot)))
    # The organization's service-managed StackSets, read with CallAs=DELEGATED_ADMIN.
    (found,) = run.findings("landing_zone_or_stacksets")
    assert found["status"] == "PASS", found["message"]
    assert found["message"] == "StackSets baseline: security-baseline"
    saved = load_snapshot(snapshot)
    regions = saved.org_get(keys.STACK_SET_REGIONS)
    assert not is_unavailable(regions) and regions["call_as"] == "DELEGATED_ADMIN"
    instances = saved.org_get(keys.STACK_SET_INSTANCES)
    assert not is_unavailable(instances)
    (stack_set,) = [s for s in instances if s["region"] == "us-east-1"]
    assert not is_unavailable(stack_set["instances"])
    assert {i["account"] for i in stack_set["instances"]} >= {tooling, demo.account("prod")}
