"""A hostile review file: one finding carries a name AWS would not accept or no command
can carry safely. ``wellsec fix`` refuses that row alone, says so on stderr and in
PLAN.md (the account's name escaped), and writes everything else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from wellsec.cli import app
from wellsec.snapshot import Snapshot, dumps

MEMBER = "222222222222"
EVIL_ACCOUNT = "payments\n\x1b[31mrefused nothing"
RECORDER = f"arn:aws:config:us-east-1:{MEMBER}:configuration-recorder/"
DETECTOR = f"arn:aws:guardduty:us-east-1:{MEMBER}:detector/"
CONTROL = "holds a control or invisible character"


def fix(tmp: Path, report: dict[str, Any], snapshot: Snapshot) -> tuple[int, str, Path]:
    (tmp / "review.json").write_text(json.dumps(report))
    (tmp / "snapshot.json").write_text(dumps(snapshot))
    out = tmp / "out"
    args = ["fix", "--review", str(tmp / "review.json"), "--snapshot", str(tmp / "snapshot.json")]
    result = CliRunner().invoke(app, [*args, "-d", str(out), "--contact-phone", "+1 555 0100"])
    return result.exit_code, result.stderr, out


def planted(report: dict[str, Any], prefix: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(report))
    for account in data["scan"]["accounts"]:
        if account["id"] == MEMBER:
            account["name"] = EVIL_ACCOUNT
    for finding in data["findings"]:
        if finding["resource"].startswith(prefix) and finding["status"] == "FAIL":
            finding["resource"] = prefix + name
    return data


@pytest.mark.parametrize(
    ("prefix", "name", "why"),
    [
        pytest.param(RECORDER, "rec\nname", CONTROL, id="recorder-newline"),
        pytest.param(RECORDER, "rec\x00name", CONTROL, id="recorder-nul"),
        pytest.param(RECORDER, "\u202erecorder", CONTROL, id="recorder-bidi"),
        pytest.param(RECORDER, "\u200bdefault", CONTROL, id="recorder-zero-width"),
        pytest.param(RECORDER, "r" * 257, "more than the 256 AWS accepts", id="recorder-too-long"),
        pytest.param(RECORDER, "", "names no configuration recorder", id="recorder-empty"),
        pytest.param(DETECTOR, "d-1\r\nrm -rf /", CONTROL, id="detector-crlf"),
        pytest.param(DETECTOR, "d" * 301, "more than the 300 AWS accepts", id="detector-too-long"),
    ],
)
def test_one_hostile_name_is_refused_and_the_rest_is_written(
    report: dict[str, Any], snapshot: Snapshot, tmp_path: Path, prefix: str, name: str, why: str
) -> None:
    code, stderr, out = fix(tmp_path, planted(report, prefix, name), snapshot)
    assert code == 0, stderr
    (line,) = [x for x in stderr.splitlines() if x.startswith("refused ")]
    assert f"for account payments\\n\\x1b[31mrefused nothing ({MEMBER}) in us-east-1:" in line
    assert why in line and "\x1b" not in stderr
    plan = (out / "PLAN.md").read_text()
    assert "## Refused" in plan and why in plan and "\x1b" not in plan
    script = (out / "commands" / "remediate.sh").read_text()
    assert "rm -rf" not in script and "\u202e" not in script and "\u200b" not in script
    assert (out / "scps" / "protect-detective-controls.json").exists()
    assert "put-alternate-contact" in script  # the other remedies are all there


def test_a_recorder_name_with_slashes_and_quotes_is_carried_whole(
    report: dict[str, Any], snapshot: Snapshot, tmp_path: Path
) -> None:
    from tests.fix.awscli import script_calls

    name = 'team/it\'s "$(id)"/rec'
    code, stderr, out = fix(tmp_path, planted(report, RECORDER, name), snapshot)
    assert code == 0 and "refused" not in stderr, stderr
    calls = script_calls(out / "commands" / "remediate.sh", out)
    starts = [c.params for c in calls if c.operation == "StartConfigurationRecorder"]
    assert starts == [{"ConfigurationRecorderName": name}]
