"""`wellsec validate`: one clear line per bad file, exit 2; valid files summarised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import CLEAN_ENV
from wellsec.cli import app
from wellsec.lens import load_lens


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", *args], env=CLEAN_ENV)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("wellsec.yaml", "name: ok-name\nregions: [moon]\n", "regions[0]"),
        ("lens.json", json.dumps({"schemaVersion": "2021-11-01", "name": "x"}), "description"),
        ("snap.json", json.dumps({"schema": "wellsec.snapshot/7"}), "newer wellsec"),
        (
            "model.tc.json",
            json.dumps({"schema": 1, "threats": [{"id": "t", "numericId": "x"}]}),
            "threats[0]",
        ),
        ("broken.tc.json", "{not json", "line 1"),
    ],
)
def test_bad_files_exit_2_with_file_place_and_problem(
    tmp_path: Path, name: str, content: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    code, _out, err = _run(str(path))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0] and where in lines[0]


def test_valid_files_are_summarised(tmp_path: Path) -> None:
    lens = tmp_path / "lens.json"
    lens.write_text(json.dumps(load_lens().to_wa_json()))
    workload = tmp_path / "wellsec.yaml"
    workload.write_text("name: payments\n")
    code, out, _ = _run(str(lens), str(workload))
    assert code == 0
    assert "valid lens" in out and "valid workload 'payments'" in out
