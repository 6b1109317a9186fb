"""Hostile input files end in a one-line exit-2 error naming the file, quickly: no
RecursionError traceback, no minutes of parsing (issue 14, item 12)."""

from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import CLEAN_ENV
from wellsec.cli import app
from wellsec.limits import MAX_FILE_BYTES, MAX_SNAPSHOT_BYTES

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)
WORKLOADS = {
    "deep-flow": "name: shop\nx: " + "[" * 100 + "]" * 100 + "\n",
    "deeper-than-libyaml": "name: shop\nx: " + "[" * 100_000 + "\n",
    "deep-block": "name: shop\nx:\n" + "".join(" " * i + "- \n" for i in range(0, 300)),
    "billion-laughs": "name: shop\n" + LAUGHS,
    "alias-cycle": "name: shop\nx: &x [*x]\n",
}


def _lens(condition: str) -> str:
    ref = resources.files("wellsec.lens").joinpath("data", "sec01-2022.json")
    data = json.loads(ref.read_text(encoding="utf-8"))
    data["pillars"][0]["questions"][0]["riskRules"][0]["condition"] = condition
    return json.dumps(data)


def _run(*args: str) -> tuple[int, str, float]:
    start = time.monotonic()
    result = CliRunner().invoke(app, list(args), env=CLEAN_ENV)
    return result.exit_code, result.stderr, time.monotonic() - start


def _one_line_error(code: int, stderr: str, seconds: float, path: Path) -> None:
    assert code == 2, stderr[-1500:]
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr[-1500:]
    assert lines[0].startswith(f"wellsec: error: {path}"), lines[0]
    assert seconds < 20, seconds


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_hostile_workload_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / "wellsec.yaml"
    path.write_text(WORKLOADS[name])
    for args in (("validate", str(path)), ("evaluate", "x.json", "--config", str(path))):
        _one_line_error(*_run(*args), path)


def test_workload_larger_than_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "wellsec.yaml"
    path.write_text("name: shop\n" + "#" * MAX_FILE_BYTES + "\n")
    code, stderr, seconds = _run("validate", str(path))
    _one_line_error(code, stderr, seconds, path)
    assert "larger than the limit of 10 MB" in stderr


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # deeper than the JSON decoder recurses
        '{"a":' * 70 + "1" + "}" * 70,
        _lens("!" * 3000 + "sec_securely_operate_multi_accounts"),
        _lens("(" * 1000 + "sec_securely_operate_multi_accounts" + ")" * 1000),
    ],
    ids=["deep-json", "deep-70", "not-chain", "parentheses"],
)
def test_hostile_lens_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "lens.json"
    path.write_text(text)
    _one_line_error(*_run("validate", "--kind", "lens", str(path)), path)
    _one_line_error(*_run("evaluate", "x.json", "--lens", str(path)), path)


def test_hostile_threat_composer_export(tmp_path: Path) -> None:
    path = tmp_path / "model.tc.json"
    path.write_text('{"schema": 1, "x": ' + "[" * 500 + "]" * 500 + "}")
    code, stderr, seconds = _run("validate", str(path))
    _one_line_error(code, stderr, seconds, path)
    assert "nested deeper than 64 levels" in stderr


def test_hostile_snapshots(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: no disk or memory spent
        handle.truncate(MAX_SNAPSHOT_BYTES + 1)
    for path in (deep, huge):
        _one_line_error(*_run("validate", "--kind", "snapshot", str(path)), path)
        _one_line_error(*_run("evaluate", str(path)), path)
    assert "larger than the limit of 1 GiB" in _run("evaluate", str(huge))[1]
