"""Names and messages from AWS are hostile until proven otherwise: in PLAN.md they stay
text, they never reach the script, and every value a command carries is quoted."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.fix.awscli import plan_steps, script_calls
from tests.fix.conftest import OPTIONS
from tests.render.hostile import HOSTILE, SCRIPT, hostile_report
from wellsec.fix import FixError, build_plan, facts, plan_files, write_plan
from wellsec.snapshot import Snapshot

SHELL = "x'; touch /tmp/pwned; echo '$(id)`id`\"$HOME"
MARKUP = ("<script>", "<img", "](javascript:", "**bold**", "| **")


def hostile(report: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(json.dumps(report))
    data["workload"]["name"] = f"shop {SCRIPT} ```sh\nrm -rf /\n```"
    for account in data["scan"]["accounts"]:
        account["name"] = f"{HOSTILE}\n# in account 999999999999\naws iam delete-user"
    for finding in data["findings"]:
        finding["message"] += " " + HOSTILE
    return data


@pytest.fixture(scope="module")
def written(
    report: dict[str, Any], snapshot: Snapshot, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    options = replace(OPTIONS, contact_name=SHELL, contact_phone="+1 (555) 0100")
    files = plan_files(build_plan(facts(hostile(report), snapshot), options))
    out = tmp_path_factory.mktemp("hostile") / "out"
    write_plan(files, out)
    return out


def test_plan_md_keeps_hostile_text_inert(written: Path) -> None:
    text = (written / "PLAN.md").read_text()
    for raw in MARKUP:
        assert raw not in text, raw
    assert "&lt;script&gt;" in text
    # names cannot open, close or inject into a command block
    assert not re.search(r"^# in account 999999999999", text, re.M)
    assert not re.search(r"^aws iam delete-user", text, re.M)
    assert len(re.findall(r"^```", text, re.M)) % 2 == 0
    for line in text.splitlines():
        assert not line.startswith("```") or line in ("```", "```sh"), line


def test_plan_commands_are_still_the_generated_ones(written: Path) -> None:
    calls = [s.call for s in plan_steps(written / "PLAN.md") if s.call is not None]
    assert calls and {c.account for c in calls} == {"111111111111"}
    assert all(c.service == "cloudformation" for c in calls)


def test_the_script_carries_no_names_and_quotes_every_value(written: Path) -> None:
    script = written / "commands" / "remediate.sh"
    text = script.read_text()
    assert "<script>" not in text and "delete-user" not in text and "999999999999" not in text
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    contacts = [c for c in script_calls(script, written) if c.operation == "PutAlternateContact"]
    assert [c.params["Name"] for c in contacts] == [SHELL]
    line = next(x for x in text.splitlines() if "put-alternate-contact" in x)
    assert shlex.split(line)[shlex.split(line).index("--name") + 1] == SHELL


def test_running_the_script_with_hostile_values_executes_nothing_else(
    written: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "calls.log"
    (fake / "aws").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {log}\n')
    (fake / "aws").chmod(0o755)
    ran = subprocess.run(
        ["/bin/sh", str(written / "commands" / "remediate.sh"), "--apply"],
        env={"PATH": f"{fake}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert not Path("/tmp/pwned").exists()
    assert SHELL in log.read_text().splitlines()


def test_a_control_character_in_a_value_is_refused(
    report: dict[str, Any], snapshot: Snapshot
) -> None:
    plan = build_plan(facts(report, snapshot), replace(OPTIONS, contact_name="Sec\nteam"))
    with pytest.raises(FixError, match="control character"):
        plan_files(plan)


def test_the_render_suite_hostile_report_gives_a_safe_plan(tmp_path: Path) -> None:
    data = hostile_report()
    data["workload"]["regions"] = ["eu-west-1"]
    data["workload"]["owner"] = f"{SCRIPT}@example.com"
    files = plan_files(build_plan(facts(data, None), OPTIONS))
    for raw in MARKUP:
        assert raw not in files["PLAN.md"], raw
    assert "root\\_mfa\\_enabled" in files["PLAN.md"]  # listed, as text
