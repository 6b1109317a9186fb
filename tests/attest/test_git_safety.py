"""A threat model's repository cannot make wellsec run a program of its choosing.

``git log`` reads the repository's own configuration; with ``log.showSignature`` set it
verifies commit signatures by running ``gpg.program``, a path the repository names. A
review reads the commit dates of declared threat models, so a hostile repository could
run code on the reviewer's machine.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import yaml
from typer.testing import CliRunner

from tests.attest.tc import commit, export, git, needs_git, write
from wellsec.attest.threat_model import last_commit_date
from wellsec.cli import app
from wellsec.snapshot import Snapshot

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
SIGNATURE = (
    "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n"
)


def hostile_repository(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose HEAD carries a signature and whose config runs ``gpg.program``
    (a script that leaves a marker file) to show it; returns (model, marker)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    model = write(repo, export())
    commit(repo, model, NOW - dt.timedelta(days=10))
    raw = git(repo, "cat-file", "commit", "HEAD")
    head, _, rest = raw.partition("\n\n")
    signed = f"{head}\n{SIGNATURE}\n{rest}"
    new = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=repo,
        input=signed,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(repo, "update-ref", "HEAD", new)
    marker = tmp_path / "ran"
    program = tmp_path / "evil-gpg"
    program.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    program.chmod(0o755)
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "gpg.program", str(program))
    return model, marker


@needs_git
def test_the_hostile_repository_does_run_its_program_under_plain_git(tmp_path: Path) -> None:
    model, marker = hostile_repository(tmp_path)
    git(model.parent, "log", "-1", "--format=%cI", "--", model.name)
    assert marker.exists()  # the attack is real: plain git runs it


@needs_git
def test_reading_the_commit_date_runs_nothing_the_repository_names(tmp_path: Path) -> None:
    model, marker = hostile_repository(tmp_path)
    when, note = last_commit_date(model, NOW)
    assert note is None
    assert when == NOW - dt.timedelta(days=10)
    assert not marker.exists()


@needs_git
def test_evaluate_through_the_cli_runs_nothing_the_repository_names(tmp_path: Path) -> None:
    model, marker = hostile_repository(tmp_path)
    snapshot = tmp_path / "snap.json"
    snap = Snapshot(created_at=NOW, caller_account="111111111111", regions=["us-east-1"])
    snapshot.write_text(json.dumps(snap.to_dict()))
    config = tmp_path / "wellsec.yaml"
    workload = {"name": "payments", "regions": ["us-east-1"], "threat_model": [str(model)]}
    config.write_text(yaml.safe_dump(workload))
    result = CliRunner().invoke(
        app, ["evaluate", str(snapshot), "--config", str(config), "-f", "json"]
    )
    assert result.exit_code in (0, 1, 4), result.output
    report = json.loads(result.stdout)
    current = [f for f in report["findings"] if f["check"] == "threat_model_current"]
    assert [f["status"] for f in current] == ["PASS"]  # dated by git, 10 days old
    assert not marker.exists()
