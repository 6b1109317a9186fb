"""``wellsec fix`` on the command line: from a report file or the latest stored review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from wellsec.cli import app
from wellsec.fix.manifest import MANIFEST_NAME, manifest_text
from wellsec.snapshot import Snapshot, dumps
from wellsec.store.store import Store

PHONE = ["--contact-phone", "+1 555 0100"]


def invoke(*args: str, store: Path | None = None) -> Any:
    env = {"WELLSEC_STORE": f"sqlite:///{store}"} if store else {}
    return CliRunner().invoke(app, ["fix", *args], env=env)


def test_dry_run_prints_the_plan_and_writes_nothing(
    review_files: tuple[Path, Path], tmp_path: Path
) -> None:
    review, snapshot = review_files
    result = invoke("--review", str(review), "--snapshot", str(snapshot), "--dry-run", *PHONE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Fix plan for payments")
    assert "aws cloudformation create-stack-set" in result.stdout
    assert "ou-wkld-prod" in result.stdout  # targets the failing account's OU
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.json", "snapshot.json"]


def test_writes_the_plan_and_refuses_to_overwrite(
    review_files: tuple[Path, Path], tmp_path: Path, files: dict[str, str]
) -> None:
    review, snapshot = review_files
    out = tmp_path / "fixes"
    args = ["--review", str(review), "--snapshot", str(snapshot), "--output-dir", str(out), *PHONE]
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert "artifacts closing" in result.stderr
    written = {str(p.relative_to(out)): p.read_text() for p in out.rglob("*") if p.is_file()}
    assert written == {**files, MANIFEST_NAME: manifest_text(files)}
    again = invoke(*args)
    assert again.exit_code == 2 and "earlier wellsec fix plan; pass --force" in again.stderr
    assert invoke(*args, "--force").exit_code == 0


def test_the_latest_stored_review_and_its_snapshot(
    report: dict[str, Any], snapshot: Snapshot, tmp_path: Path, files: dict[str, str]
) -> None:
    db = tmp_path / "store.db"
    store = Store(f"sqlite:///{db}")
    try:
        store.record(report=report, cadence_days=180, snapshot_json=dumps(snapshot))
    finally:
        store.close()
    out = tmp_path / "fixes"
    result = invoke("--workload", "payments", "--output-dir", str(out), *PHONE, store=db)
    assert result.exit_code == 0, result.stderr
    assert (out / "PLAN.md").read_text() == files["PLAN.md"]


def test_bad_input_exits_2(review_files: tuple[Path, Path], tmp_path: Path) -> None:
    review, _ = review_files
    assert invoke("--review", str(review)).exit_code == 2  # no --output-dir
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"schema": "wellsec.snapshot/1"}))
    result = invoke("--review", str(wrong), "--dry-run")
    assert result.exit_code == 2 and "not a wellsec.review/1 report" in result.stderr
    bad = invoke("--review", str(review), "--dry-run", "--security-account", "12")
    assert bad.exit_code == 2 and "not an account id" in bad.stderr
    empty = invoke("--workload", "nobody", "--dry-run", store=tmp_path / "empty.db")
    assert empty.exit_code == 2
