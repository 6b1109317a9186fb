"""A crash has its own exit code (70, EX_SOFTWARE), distinct from --fail-on's 1 (issue 14).

The crash here is a real one: a hand-edited snapshot whose SCP document has a list where
the policy language has a condition block reaches a check that reads it. (Evidence of the
wrong shape no longer gets that far: loading it makes it Unavailable, see
tests/evidence/test_saved_shapes.py; policy documents are kept as AWS wrote them.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import CLEAN_ENV
from wellsec.cli import app
from wellsec.snapshot import SCHEMA

BUG = 70


@pytest.fixture
def broken_snapshot(tmp_path: Path) -> Path:
    deny = {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": ["not a block"]}
    scp = {
        "id": "p-1",
        "name": "guardrails",
        "aws_managed": False,
        "content": {"Statement": [deny]},
        "targets": [{"id": "r-1", "type": "ROOT"}],
    }
    snapshot = {
        "schema": SCHEMA,
        "created_at": "2026-12-01T00:00:00+00:00",
        "caller_account": "111111111111",
        "regions": ["us-east-1"],
        "organization": {
            "organization": {"in_organization": True, "management_account_id": "111111111111"},
            "scps": [scp],
            "tree": {"ous": {}, "parents": {"222222222222": "r-1"}, "roots": ["r-1"]},
        },
        "accounts": [
            {"id": "222222222222", "name": "w", "role": "member", "regions": {"us-east-1": {}}}
        ],
    }
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(snapshot))
    return path


def _invoke(*args: str, debug_env: bool = False) -> tuple[int, str]:
    env = {**CLEAN_ENV, "WELLSEC_DEBUG": "1" if debug_env else None}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stderr


def _trace_file(stderr: str) -> Path:
    found = re.search(r"traceback in (\S+wellsec-crash-\S+\.txt)", stderr)
    assert found, stderr
    return Path(found.group(1))


def test_a_crash_exits_70_with_one_line_and_the_traceback_in_a_file(
    broken_snapshot: Path, tmp_path: Path
) -> None:
    code, stderr = _invoke("evaluate", str(broken_snapshot), "-o", str(tmp_path / "r.txt"))
    assert code == BUG, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error (a bug in wellsec" in lines[0], stderr
    assert "Traceback" not in stderr
    trace = _trace_file(stderr)
    try:
        assert "AttributeError" in trace.read_text()
    finally:
        trace.unlink()


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_prints_the_traceback(broken_snapshot: Path, how: str) -> None:
    args = ("--debug",) if how == "flag" else ()
    code, stderr = _invoke(*args, "evaluate", str(broken_snapshot), debug_env=how == "env")
    assert code == BUG
    assert "Traceback (most recent call last)" in stderr and "AttributeError" in stderr
    _trace_file(stderr).unlink()


def test_usage_and_input_errors_keep_exit_2(tmp_path: Path) -> None:
    assert _invoke("evaluate", "--no-such-flag")[0] == 2
    assert _invoke("no-such-command")[0] == 2
    assert _invoke("evaluate", str(tmp_path / "missing.json"))[0] == 2
