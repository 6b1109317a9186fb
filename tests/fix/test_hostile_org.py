"""Hostile state planted in the emulated organization, then ``wellsec review`` and
``wellsec fix`` through the real CLI: one member's odd recorder name refuses that row
alone, a name with ``/`` reaches the script whole, and a guardrail whose exemption any
member can claim is not counted as one."""

from __future__ import annotations

import datetime as dt
import json
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import DONE, Demo
from tests.fix.awscli import script_calls
from wellsec.demo import demo_workload
from wellsec.emulator import Emulator, build_demo_org
from wellsec.emulator.sessions import session_for

SLASHED = "team/recorder"
HOSTILE = "x\n$(touch /tmp/pwned-wellsec)\u202e"
REGION = "eu-west-1"
EXEMPT_ANY_STACKSETS_ROLE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyStoppingCloudTrail",
            "Effect": "Deny",
            "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
            "Resource": "*",
            "Condition": {
                "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/stacksets-exec-*"}
            },
        }
    ],
}


def _stopped_recorder(demo: Demo, account: str, name: str) -> None:
    """Replace the account's recorder in REGION by a stopped one called ``name``."""
    url = demo.emulator.endpoint_url
    config = session_for(url, account).client("config", endpoint_url=url, region_name=REGION)
    for recorder in config.describe_configuration_recorders()["ConfigurationRecorders"]:
        config.delete_configuration_recorder(ConfigurationRecorderName=recorder["name"])
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": name,
            "roleARN": f"arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/"
            "AWSServiceRoleForConfig",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": False},
        }
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    now = dt.datetime.now(dt.UTC)
    tmp = tmp_path_factory.mktemp("hostile-org")
    with Emulator() as emulator:
        emulator.reset()
        org = build_demo_org(emulator, now=now)
        config = tmp / "wellsec.yaml"
        config.write_text(yaml.safe_dump(demo_workload(now.date()).model_dump(mode="json")))
        demo = Demo(emulator, org, config, tmp)
        _stopped_recorder(demo, demo.account("dev"), SLASHED)
        _stopped_recorder(demo, demo.account("prod"), HOSTILE)
        orgs = session_for(emulator.endpoint_url).client(
            "organizations", endpoint_url=emulator.endpoint_url
        )
        policy = orgs.create_policy(
            Name="StackSetGuard",
            Description="exempts any role named stacksets-exec-*",
            Type="SERVICE_CONTROL_POLICY",
            Content=json.dumps(EXEMPT_ANY_STACKSETS_ROLE),
        )["Policy"]["PolicySummary"]["Id"]
        orgs.attach_policy(PolicyId=policy, TargetId=demo.account("dev"))
        yield demo


@pytest.fixture(scope="module")
def reviewed(hostile: Demo) -> dict[str, Any]:
    run = hostile.review()
    assert run.exit_code in DONE, run.stderr
    assert run.report is not None
    return run.report


@pytest.fixture(scope="module")
def fixed(hostile: Demo, reviewed: dict[str, Any]) -> tuple[Path, str]:
    out = hostile.tmp / "fixes"
    made = hostile.cli(
        "fix", "-d", str(out), "--workload", "demo-payments", "--contact-phone", "+1 555 0100",
        json_out=False,
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    return out, made.stderr


def test_an_exemption_any_member_can_claim_is_no_guardrail(
    hostile: Demo, reviewed: dict[str, Any]
) -> None:
    (finding,) = [
        f
        for f in reviewed["findings"]
        if f["check"] == "custom_scp_applied" and f["account"] == hostile.account("dev")
    ]
    assert finding["status"] == "FAIL", finding
    assert "exempts arn:aws:iam::*:role/stacksets-exec-*" in finding["message"]
    assert "a member account can create or take over a role so named" in finding["message"]


def test_a_recorder_name_with_a_slash_reaches_the_script_whole(
    hostile: Demo, fixed: tuple[Path, str]
) -> None:
    out, _ = fixed
    starts = [
        c for c in script_calls(out / "commands" / "remediate.sh", out)
        if c.operation == "StartConfigurationRecorder"
    ]  # fmt: skip
    assert [(c.account, c.region, c.params) for c in starts] == [
        (hostile.account("dev"), REGION, {"ConfigurationRecorderName": SLASHED})
    ]


def test_a_hostile_recorder_name_is_refused_alone(hostile: Demo, fixed: tuple[Path, str]) -> None:
    out, stderr = fixed
    prod = hostile.account("prod")
    refused = [line for line in stderr.splitlines() if line.startswith("refused ")]
    assert refused == [
        f"refused config_recording_all_resources for account prod ({prod}) in {REGION}: its "
        "configuration recorder name holds a control or invisible character, which no "
        "reviewed command can carry safely (see PLAN.md)"
    ]
    plan = (out / "PLAN.md").read_text()
    assert (
        "## Refused" in plan and f"| config\\_recording\\_all\\_resources | prod ({prod}) |" in plan
    )
    script = (out / "commands" / "remediate.sh").read_text()
    assert "pwned" not in script and "\u202e" not in script
    assert "start-configuration-recorder" in script  # dev's recorder is still started
    assert subprocess.run(["sh", "-n", str(out / "commands" / "remediate.sh")]).returncode == 0
    assert json.loads((out / "plan.json").read_text())["refused"] == [
        {
            "check": "config_recording_all_resources",
            "account": prod,
            "region": REGION,
            "reason": "its configuration recorder name holds a control or invisible character, "
            "which no reviewed command can carry safely",
        }
    ]
    for line in (out / "commands" / "remediate.sh").read_text().splitlines():
        if line.startswith("run_in"):
            shlex.split(line)  # every command line still parses alone
