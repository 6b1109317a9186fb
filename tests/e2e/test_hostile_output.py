"""Names a member account's owner chooses reach every output inert (issue 14, items 3-5).

AWS accepts control characters in both names planted here: Organizations' ``AccountName``
has the pattern ``[\\s\\S]*`` (up to 128 characters) and Config's ``RecorderName`` has none
(1-256 characters) (botocore/data/organizations/2016-11-28/service-2.json,
botocore/data/config/2014-11-12/service-2.json)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CLEAN_ENV, DONE, Demo
from wellsec.emulator.sessions import session_for

# Window title (OSC 0), clipboard write (OSC 52), clear screen, a fake verdict, 8-bit CSI,
# a bidi override and Rich markup that does not close.
ACCOUNT = (
    "team[/]x\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIC8=\x07\x1b[2J\x1b[H"
    "Risk: NONE\u202e[bold red]\u009b31m[link=https://evil.example]y"
)
# More names the progress bar would read as markup, so that one is on screen at a refresh.
MARKUP_NAMES = ("ops[/bold]", "[link=https://evil.example]pay[/link][/]", "dev[/]")
RECORDER = "rec\x1b[8m\r\nRisk: NONE\u2066\x7f\x01=cmd|' /C calc'!A0"
# Anything a terminal, XML parser or reader would obey; \n is layout and allowed.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMATS = ("text", "markdown", "csv", "html", "junit", "sarif")
# How the names show: Markdown and SARIF escape the escape once more; the text report's
# account columns are narrow, its findings are capped per practice.
SHOWN = {"text": "team[", "markdown": "rec\\\\x1b\\[8m", "sarif": "rec\\\\x1b[8m"}


def _controls(text: str) -> list[str]:
    return sorted({repr(c) for c in CONTROL.findall(text)})


def _strings(tree: Any) -> list[str]:
    if isinstance(tree, str):
        return [tree]
    if isinstance(tree, dict):
        return [s for v in tree.values() for s in _strings(v)]
    if isinstance(tree, list):
        return [s for v in tree for s in _strings(v)]
    return []


@pytest.fixture(scope="module")
def planted(demo: Demo) -> Demo:
    """The demo organization plus an account and a recorder with hostile names, reviewed
    once before the recorder exists (so that ``wellsec diff`` replays it as new)."""
    url = demo.emulator.endpoint_url
    orgs = session_for(url).client("organizations", endpoint_url=url)
    status = orgs.create_account(AccountName=ACCOUNT, Email="hostile@example.com")
    account_id = status["CreateAccountStatus"]["AccountId"]
    for i, name in enumerate(MARKUP_NAMES):
        orgs.create_account(AccountName=name, Email=f"markup{i}@example.com")
    assert demo.review().exit_code in DONE
    config = session_for(url, account_id).client(
        "config", endpoint_url=url, region_name="us-east-1"
    )
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": RECORDER,
            "roleARN": f"arn:aws:iam::{account_id}:role/config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    return demo


@pytest.fixture(scope="module")
def json_report(planted: Demo) -> tuple[dict[str, Any], str]:
    run = planted.review()
    assert run.exit_code in DONE, run.stderr
    assert run.report is not None
    return run.report, (planted.tmp / "report.json").read_text()


def test_json_keeps_the_names_faithful_and_escaped(
    json_report: tuple[dict[str, Any], str],
) -> None:
    report, raw = json_report
    assert ACCOUNT in [a["name"] for a in report["scan"]["accounts"]]
    assert any(RECORDER in f["message"] for f in report["findings"])
    assert not _controls(raw), _controls(raw)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_no_control_character(planted: Demo, fmt: str) -> None:
    out = planted.tmp / f"report.{fmt}"
    run = planted.cli(
        "review",
        "--config",
        str(planted.config),
        "--endpoint-url",
        planted.emulator.endpoint_url,
        "--no-store",
        "-f",
        fmt,
        "-o",
        str(out),
        json_out=False,
    )
    assert run.exit_code in DONE, run.stderr
    text = out.read_text(encoding="utf-8")
    assert not _controls(text), _controls(text)
    assert not _controls(run.stderr), _controls(run.stderr)
    # The recorder's name is there, shown and not obeyed (Markdown escapes its brackets).
    assert SHOWN.get(fmt, "rec\\x1b[8m") in text
    if fmt == "junit":
        root = ET.fromstring(text)  # CI reads it: one control character would fail here
        assert int(root.get("failures") or 0) > 0
    elif fmt == "sarif":
        assert json.loads(text)["runs"][0]["results"]
    elif fmt == "html":
        HTMLParser().feed(text)
        assert "<script" not in text.split("</style>")[1].split("<script")[0]
    elif fmt == "csv":
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    elif fmt == "text":
        assert not re.search(r"^\s*Risk: NONE", text, re.M), "a name painted its own line"


def test_diff_and_history_replay_nothing(planted: Demo, json_report: object) -> None:
    diff = planted.cli("diff", "previous", "latest", json_out=False)
    assert diff.exit_code == 0, diff.stderr
    assert "rec\\x1b[8m" in diff.stdout  # the new recorder finding, escaped
    assert not _controls(diff.stdout), _controls(diff.stdout)
    as_json = planted.cli("diff", "previous", "latest", "--json", json_out=False)
    assert as_json.exit_code == 0
    assert not _controls(as_json.stdout), _controls(as_json.stdout)
    assert any(RECORDER in s for s in _strings(json.loads(as_json.stdout)))  # data kept
    history = planted.cli("history", json_out=False)
    assert history.exit_code == 0 and not _controls(history.stdout)


def test_interactive_progress_survives_markup_in_names(planted: Demo, tmp_path: Path) -> None:
    """A terminal run shows a progress bar with the account names: FORCE_COLOR makes Rich
    treat the captured stderr as a terminal, as a user's console is."""
    env = {k: v for k, v in {**os.environ, **CLEAN_ENV}.items() if v is not None}
    env.update(FORCE_COLOR="1", WELLSEC_STORE=f"sqlite:///{tmp_path / 'store.db'}")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wellsec",
            "review",
            "--config",
            str(planted.config),
            "--endpoint-url",
            planted.emulator.endpoint_url,
            "--no-store",
            "-o",
            str(tmp_path / "report.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode in DONE, done.stderr[-2000:]
    assert "scanning" in done.stderr  # the bar was drawn
    assert "MarkupError" not in done.stderr and "Exception in thread" not in done.stderr
    # Rich's own colour and cursor codes are allowed; nothing the name carried is.
    assert "\x1b]" not in done.stderr and "\x1b[2J" not in done.stderr
    assert "\u202e" not in done.stderr and "\u009b" not in done.stderr
