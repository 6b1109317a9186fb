"""Region guardrails end to end: what the region SCP must restrict, and regions the
organization's own SCP denies to the scan (issue 13, items 6 and 9)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import DONE, Demo
from wellsec.emulator.scenario import DEMO_REGIONS, GLOBAL_SERVICES
from wellsec.emulator.scp_gaps import enforce_region_scps
from wellsec.emulator.sessions import session_for

GUARDRAIL = "region-guardrail"


def _orgs(demo: Demo) -> Any:
    url = demo.emulator.endpoint_url
    return session_for(url).client("organizations", endpoint_url=url)


def _guardrail_id(demo: Demo) -> str:
    policies = _orgs(demo).list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
    return str(next(p["Id"] for p in policies if p["Name"] == GUARDRAIL))


@pytest.fixture
def guardrail(demo: Demo) -> Iterator[Any]:
    """Replace the demo's region guardrail with other statements for one test."""
    orgs, policy_id = _orgs(demo), _guardrail_id(demo)
    original = orgs.describe_policy(PolicyId=policy_id)["Policy"]["Content"]

    def set_statement(**statement: Any) -> None:
        body = {"Sid": "UnderTest", "Effect": "Deny", "Resource": "*", **statement}
        content = json.dumps({"Version": "2012-10-17", "Statement": [body]})
        orgs.update_policy(PolicyId=policy_id, Content=content)

    yield set_statement
    orgs.update_policy(PolicyId=policy_id, Content=original)


def _prod_guardrail(demo: Demo) -> dict[str, Any]:
    run = demo.review("--regions", ",".join(DEMO_REGIONS))
    assert run.exit_code in DONE, run.stderr
    (finding,) = run.findings("regions_restricted_by_scp", demo.account("prod"))
    return finding


def test_the_demo_guardrail_allows_exactly_the_workload_regions(demo: Demo) -> None:
    finding = _prod_guardrail(demo)
    assert finding["status"] == "PASS", finding["message"]
    assert "allows only the workload's regions eu-west-1, us-east-1" in finding["message"]


def test_a_guardrail_denying_one_action_outside_the_regions_fails(
    demo: Demo, guardrail: Any
) -> None:
    condition = {"StringNotEquals": {"aws:RequestedRegion": list(DEMO_REGIONS)}}
    guardrail(Action="ec2:RunInstances", Condition=condition)
    finding = _prod_guardrail(demo)
    assert finding["status"] == "FAIL"
    assert "denies only ec2:RunInstances outside its regions" in finding["message"]


def test_a_guardrail_allowing_only_another_region_fails(demo: Demo, guardrail: Any) -> None:
    condition = {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1"]}}
    guardrail(NotAction=GLOBAL_SERVICES, Condition=condition)
    finding = _prod_guardrail(demo)
    assert finding["status"] == "FAIL"
    assert "an SCP denies the workload's regions: eu-west-1" in finding["message"]


@pytest.fixture
def enforced(demo: Demo) -> Iterator[None]:
    enforce_region_scps(demo.emulator.state)
    yield
    enforce_region_scps(demo.emulator.state, on=False)


def test_regions_our_own_guardrail_denies_are_not_applicable_not_unknown(
    demo: Demo, enforced: None
) -> None:
    """Without regions in wellsec.yaml the scan reads every enabled region; prod's SCP
    denies all but two, so prod answers AccessDenied there."""
    workload = yaml.safe_load(demo.config.read_text())
    workload.pop("regions", None)
    config = demo.tmp / "all-regions.yaml"
    config.write_text(yaml.safe_dump(workload))
    snapshot = demo.tmp / "all-regions.snapshot.json"
    url = demo.emulator.endpoint_url
    run = demo.cli(
        "review", "--config", str(config), "--endpoint-url", url, "--snapshot", str(snapshot)
    )
    assert run.exit_code in DONE, run.stderr
    assert run.report is not None
    prod = demo.account("prod")
    scanned = set(run.report["scan"]["regions"])
    assert "eu-central-1" in scanned
    denied = scanned - set(DEMO_REGIONS)
    mine = [f for f in run.report["findings"] if f["account"] == prod]
    refused = [f for f in mine if f["status"] == "UNKNOWN" and "service control policy" in str(f)]
    assert refused == []
    there = [f for f in mine if f["region"] in denied]
    assert there and all(f["status"] == "NOT_APPLICABLE" for f in there)
    assert all(f"denied by the organization's SCP {GUARDRAIL}" in f["message"] for f in there)
    listed = run.report["scan"]["scp_denied_regions"]
    assert {d["region"] for d in listed} == denied
    assert {d["account"] for d in listed} == {prod}
    # Offline, from the raw snapshot: the text report's scan section says so too.
    text = demo.cli("evaluate", str(snapshot), "--config", str(config), json_out=False)
    assert text.exit_code in DONE, text.stderr
    assert "prod): regions" in text.stdout
    assert f"denied by the organization's SCP {GUARDRAIL}" in text.stdout
