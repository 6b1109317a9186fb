"""Writing is all or nothing; the starters are documents wellsec itself can read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from wellsec.attest.threat_composer import assess, parse_export
from wellsec.errors import WorkloadError
from wellsec.fix import FixError, FixPlan, write_plan
from wellsec.fix.manifest import MANIFEST_NAME, manifest_text
from wellsec.fix.starters import PROMPTS
from wellsec.workload import parse_workload


def test_writes_every_file_with_an_executable_script(files: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    write_plan(files, out)
    written = {str(p.relative_to(out)): p.read_text() for p in out.rglob("*") if p.is_file()}
    assert written == {**files, MANIFEST_NAME: manifest_text(files)}
    assert os.access(out / "commands" / "remediate.sh", os.X_OK)
    assert [p.name for p in out.parent.iterdir()] == ["out"]  # no staging left behind


def test_a_directory_with_other_files_is_never_replaced(
    files: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    for force in (False, True):
        with pytest.raises(FixError, match=r"'mine\.txt' was not written by wellsec"):
            write_plan(files, out, force=force)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_an_earlier_plan_is_replaced_only_with_force(files: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan(files, out)
    with pytest.raises(FixError, match="earlier wellsec fix plan; pass --force"):
        write_plan(files, out)
    smaller = {k: v for k, v in files.items() if not k.startswith("starters/")}
    write_plan(smaller, out, force=True)
    assert not (out / "starters").exists() and (out / "PLAN.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failure_half_way_leaves_nothing(files: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    broken = {**files, "zz/../../escape.txt": "no"}  # written last, refused
    with pytest.raises(ValueError, match="unsafe output path"):
        write_plan(broken, out)
    assert list(tmp_path.iterdir()) == []
    previous = {"PLAN.md": "the previous plan"}
    write_plan(previous, out)
    with pytest.raises(ValueError):
        write_plan(broken, out, force=True)
    assert (out / "PLAN.md").read_text() == "the previous plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_file_in_the_way_is_an_input_error(files: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file")
    with pytest.raises(FixError, match="not a directory"):
        write_plan(files, tmp_path / "out")


def test_the_threat_model_skeleton_is_a_valid_threat_composer_export(
    files: dict[str, str],
) -> None:
    model = parse_export(files["starters/payments.tc.json"].encode())
    assert not isinstance(model, str), model
    assert model.name == "payments"
    assert sorted(letter for t in model.threats for letter in t.stride) == sorted("STRIDE")
    assert all(t.priority == "Medium" and t.status == "threatIdentified" for t in model.threats)
    figures = assess(model)
    assert figures.threats == len(PROMPTS) and figures.open_threats == len(PROMPTS)


def test_attestation_stubs_need_a_person_before_they_count(
    files: dict[str, str], plan: FixPlan
) -> None:
    text = files["starters/attestations.yaml"]
    stubs: dict[str, Any] = yaml.safe_load(text)
    ids = [s["id"] for s in stubs["attestations"]]
    failing = sorted(
        {u.check.removeprefix("attest.") for u in plan.unremedied if u.check.startswith("attest.")}
    )
    assert ids == failing and "root_password_rotation" in ids
    workload = {"name": "payments", "attestations": stubs["attestations"]}
    with pytest.raises(WorkloadError, match="date"):
        parse_workload(workload)
    dated = [{**s, "date": "2026-11-30"} for s in stubs["attestations"]]
    assert len(parse_workload({**workload, "attestations": dated}).attestations) == len(ids)
