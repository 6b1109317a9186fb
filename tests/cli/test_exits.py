"""One table maps errors to exit codes, and every command follows it: an unusable store
exits 3 wherever a command reads it (fix and pull exited 2, "bad input", before)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.wa.test_cli_wa import ENV
from tests.wa.wa import WORKLOAD_ID, answer_reply, choices, stubbed, workload_reply
from wellsec.cli import app
from wellsec.cli.exits import (
    EXIT_BUG,
    EXIT_INPUT,
    EXIT_NOTHING,
    exit_code,
)
from wellsec.errors import CollectionError, InputError, LensError
from wellsec.lens import load_lens
from wellsec.store.records import StoreError, StoreUnavailable
from wellsec.wa.client import WaToolError

UNUSABLE = "sqlite:////proc/self/no-such-dir/wellsec.db"  # a folder that cannot be made


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (StoreUnavailable("store sqlite:///x: unreachable"), EXIT_NOTHING),
        (StoreError("no review 7 of 'x'"), EXIT_INPUT),
        (WaToolError("GetWorkload", "ResourceNotFoundException", "no such workload"), EXIT_INPUT),
        (WaToolError("GetAnswer", "ThrottlingException", "slow down"), EXIT_NOTHING),
        (InputError("wellsec.yaml", "not YAML"), EXIT_INPUT),
        (LensError("lens.json", "no practices"), EXIT_INPUT),
        (CollectionError("no credentials"), EXIT_NOTHING),
        (KeyError("a bug"), EXIT_BUG),
    ],
)
def test_each_error_has_one_exit_code(error: Exception, code: int) -> None:
    assert exit_code(error) == code


def _run(*args: str, obj: Any = None) -> Any:
    return CliRunner().invoke(app, list(args), env={**ENV, "WELLSEC_STORE": UNUSABLE}, obj=obj)


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_fix_on_an_unusable_store_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run("fix", "--dry-run", "-w", "payments")
    assert result.exit_code == EXIT_NOTHING, result.output
    assert _one_line(result.stderr).startswith("wellsec: error: store sqlite:")


def test_pull_on_an_unusable_store_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lens = load_lens("sec01@2022")
    with stubbed() as (client, stub):
        stub.add_response("get_workload", workload_reply(), {"WorkloadId": WORKLOAD_ID})
        stub.add_response("get_answer", answer_reply(choices(lens)))
        result = _run(
            "pull", "--workload-id", WORKLOAD_ID, "--review", "latest",
            obj={"wellarchitected": client},
        )  # fmt: skip
    assert result.exit_code == EXIT_NOTHING, result.output
    assert _one_line(result.stderr).startswith("wellsec: error: store sqlite:")


@pytest.mark.parametrize(
    "command", [("push", "--review", "latest"), ("export", "-f", "asff", "--review", "latest")]
)
def test_push_and_export_on_an_unusable_store_exit_3(
    command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(*command)
    assert result.exit_code == EXIT_NOTHING, result.output
    assert _one_line(result.stderr).startswith("wellsec: error: store sqlite:")
