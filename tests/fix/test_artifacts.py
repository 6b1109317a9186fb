"""The generated files: every template passes cfn-lint, every SCP is valid policy JSON
within the size limit and passes the checks it targets, every command is one the AWS CLI
accepts, and the same review always gives the same bytes."""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import ManualArgs, lint

from tests.checks.builders import MEMBER, REGIONS, SECURITY, run, workload
from tests.fix.awscli import parse_tokens, plan_steps, script_calls, validate
from tests.fix.conftest import OPTIONS
from wellsec.findings import Status
from wellsec.fix import FixError, FixPlan, ReviewFacts, build_plan, facts, plan_files, write_plan
from wellsec.fix.scp import SCP_MAX_CHARS, deny_outside_regions, policy_text
from wellsec.snapshot import Snapshot

ACTION = re.compile(r"^([a-z0-9-]+:[A-Za-z0-9*]+|\*)$")
ALL_REGIONS = [
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
    "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
]  # fmt: skip


def templates(files: dict[str, str]) -> dict[str, str]:
    return {p: t for p, t in files.items() if p.startswith("templates/")}


def test_every_template_passes_cfn_lint(files: dict[str, str]) -> None:
    found = templates(files)
    assert {Path(p).stem for p in found} == {
        "cloudtrail-trail", "config-recorder", "config-rules", "conformance-pack-cis",
        "conformance-pack-pci-dss", "guardduty-detector", "health-event-routing",
        "root-activity-alerting", "scp-deny-leave-organization", "scp-deny-outside-regions",
        "scp-deny-root-user", "scp-protect-detective-controls", "securityhub-aggregator",
        "securityhub-delegated-admin", "securityhub-fsbp", "securityhub-hub",
        "securityhub-organization",
    }  # fmt: skip
    for path, text in found.items():
        problems = lint(text, config=ManualArgs(regions=REGIONS))
        assert problems == [], (path, [str(p) for p in problems])


def test_cfn_lint_catches_a_broken_template(files: dict[str, str]) -> None:
    """The lint gate is live: a template with a wrong property fails it."""
    body = yaml.safe_load(files["templates/cloudtrail-trail.yaml"])
    body["Resources"]["Trail"]["Properties"]["IsLoging"] = True
    assert lint(yaml.safe_dump(body), config=ManualArgs(regions=REGIONS))


def _check_policy(document: dict[str, Any]) -> None:
    assert document["Version"] == "2012-10-17"
    assert isinstance(document["Statement"], list) and document["Statement"]
    for stmt in document["Statement"]:
        assert stmt["Effect"] in ("Allow", "Deny")
        assert ("Action" in stmt) != ("NotAction" in stmt)
        actions = stmt.get("Action", stmt.get("NotAction"))
        for action in [actions] if isinstance(actions, str) else actions:
            assert ACTION.match(action), action
        resource = stmt["Resource"]
        assert resource == "*" or all(r.startswith("arn:aws:") for r in resource), resource
        assert set(stmt) <= {"Sid", "Effect", "Action", "NotAction", "Resource", "Condition"}


def test_every_scp_is_valid_policy_json_within_the_limit(files: dict[str, str]) -> None:
    scps = {p: t for p, t in files.items() if p.startswith("scps/")}
    assert len(scps) == 4
    for path, text in scps.items():
        assert len(text) <= SCP_MAX_CHARS, path
        document = json.loads(text)
        _check_policy(document)
        name = Path(path).stem
        template = yaml.safe_load(files[f"templates/scp-{name}.yaml"])
        assert template["Resources"]["Policy"]["Properties"]["Content"] == document


def test_a_region_guardrail_for_every_region_still_fits(review_facts: ReviewFacts) -> None:
    from dataclasses import replace

    wide = replace(review_facts, regions=tuple(ALL_REGIONS))
    text = policy_text(deny_outside_regions(wide))
    assert len(text) <= SCP_MAX_CHARS
    assert json.loads(text)["Statement"][0]["Condition"]["StringNotEquals"][
        "aws:RequestedRegion"
    ] == sorted(ALL_REGIONS)
    with pytest.raises(FixError, match="over the 5120 limit"):
        policy_text({"Statement": [{"Action": "x:" + "A" * SCP_MAX_CHARS}]})


def test_the_generated_scps_pass_the_checks_they_target(
    plan: FixPlan, snapshot: Snapshot, files: dict[str, str]
) -> None:
    from copy import deepcopy

    fixed = deepcopy(snapshot)
    scps = fixed.organization["scps"]
    for path, text in files.items():
        if path.startswith("scps/"):
            scps.append(
                {
                    "id": f"p-{Path(path).stem}",
                    "name": Path(path).stem,
                    "aws_managed": False,
                    "content": json.loads(text),
                    "targets": [{"id": a, "type": "ACCOUNT"} for a in (MEMBER, SECURITY)],
                }
            )
    checks = (
        "regions_restricted_by_scp",
        "scp_denies_root_actions",
        "scp_denies_leave_organization",
        "custom_scp_applied",
    )
    wl = workload(accounts=[MEMBER, SECURITY])
    for account in (MEMBER, SECURITY):
        for check in checks:
            before = [f for f in run(snapshot, wl) if f.check == check and f.account == account]
            after = [f for f in run(fixed, wl) if f.check == check and f.account == account]
            assert [f.status for f in before] == [Status.FAIL], (check, account)
            assert [f.status for f in after] == [Status.PASS], (check, account, after)


def test_every_command_is_one_the_aws_cli_accepts(files: dict[str, str], tmp_path: Path) -> None:
    write_plan(files, tmp_path / "out")
    steps = plan_steps(tmp_path / "out" / "PLAN.md")
    calls = [s.call for s in steps if s.call is not None]
    calls += script_calls(tmp_path / "out" / "commands" / "remediate.sh", tmp_path / "out")
    assert len(calls) > 40
    for call in calls:
        validate(call)
    assert any(s.script == "commands/remediate.sh" for s in steps)
    checked = subprocess.run(["sh", "-n", str(tmp_path / "out/commands/remediate.sh")], check=False)
    assert checked.returncode == 0


def test_the_script_only_prints_unless_applied(files: dict[str, str], tmp_path: Path) -> None:
    write_plan(files, tmp_path / "out")
    script = tmp_path / "out" / "commands" / "remediate.sh"
    env = {"PATH": "/nonexistent"}  # no aws to run: printing must not need it
    shown = subprocess.run(["/bin/sh", str(script)], capture_output=True, text=True, env=env)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines and all(line.startswith("+ [") for line in lines)
    assert len(lines) == len(script_calls(script, tmp_path / "out"))


def test_the_same_review_gives_the_same_bytes(
    report: dict[str, Any], snapshot: Snapshot, files: dict[str, str]
) -> None:
    shuffled = json.loads(json.dumps(report))
    random.Random(7).shuffle(shuffled["findings"])
    shuffled["scan"]["accounts"].reverse()
    again = plan_files(build_plan(facts(shuffled, snapshot), OPTIONS))
    assert again == files
    assert not any(
        re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", t)
        for p, t in files.items()
        if p != "PLAN.md" and not p.endswith("plan.json")
    )


def test_parse_tokens_reads_what_the_cli_would() -> None:
    call = parse_tokens(
        ["aws", "configservice", "start-configuration-recorder",
         "--configuration-recorder-name", "default", "--region", "eu-west-1"],
        Path("."),
    )  # fmt: skip
    assert (call.service, call.operation, call.params) == (
        "config",
        "StartConfigurationRecorder",
        {"ConfigurationRecorderName": "default"},
    )
