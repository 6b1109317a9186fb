"""CLI behaviour: standalone accounts, exit codes, bad input, lens export, init, demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
from typer.testing import CliRunner

from tests.e2e.conftest import CLEAN_ENV, DONE, Demo
from wellsec.cli import app
from wellsec.lens import load_lens_file
from wellsec.workload import load_workload


def _credentials_in(demo: Demo, account_id: str) -> dict[str, str | None]:
    sts = boto3.client(
        "sts",
        endpoint_url=demo.emulator.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/Admin", RoleSessionName="standalone-test"
    )["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }


def test_single_account_without_an_organization(demo: Demo) -> None:
    run = demo.cli(
        "review",
        "--endpoint-url",
        demo.emulator.endpoint_url,
        "--regions",
        "us-east-1",
        env=_credentials_in(demo, "999999999999"),
    )
    assert run.exit_code in DONE, run.stderr
    assert run.report is not None
    accounts = run.report["scan"]["accounts"]
    assert [(a["id"], a["role"], a["status"]) for a in accounts] == [
        ("999999999999", "standalone", "SCANNED")
    ]
    assert run.status("org_all_features", "999999999999") == "FAIL"
    assert run.status("centralized_root_access", "999999999999") == "NOT_APPLICABLE"
    assert run.status("custom_scp_applied", "999999999999") == "FAIL"
    assert run.practice("SEC01-BP01")["status"] == "NOT_MET"


def test_no_credentials_exits_3(demo: Demo, tmp_path: Path) -> None:
    run = demo.cli(
        "review",
        "--endpoint-url",
        demo.emulator.endpoint_url,
        env={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
    )
    assert run.exit_code == 3
    assert "no AWS credentials" in run.stderr
    assert run.report is None


def test_bad_workload_file_exits_2_with_one_line(demo: Demo, tmp_path: Path) -> None:
    bad = tmp_path / "wellsec.yaml"
    bad.write_text("name: shop\nregions: [nowhere]\n")
    run = demo.cli("review", "--config", str(bad), "--endpoint-url", demo.emulator.endpoint_url)
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(bad) in lines[0] and "regions[0]" in lines[0]
    assert run.report is None


def test_bad_snapshot_and_lens_exit_2(demo: Demo, tmp_path: Path) -> None:
    snap = tmp_path / "snap.json"
    snap.write_text(json.dumps({"schema": "wellsec.snapshot/9"}))
    run = demo.cli("evaluate", str(snap))
    assert run.exit_code == 2
    assert "newer wellsec" in run.stderr
    lens = tmp_path / "lens.json"
    lens.write_text("{}")
    run = demo.cli("lens", "show", "--lens", str(lens), json_out=False)
    assert run.exit_code == 2
    assert str(lens) in run.stderr


def test_bad_regions_option_exits_2(demo: Demo) -> None:
    run = demo.cli("review", "--regions", "us-east-1,moon", "--endpoint-url", "http://x")
    assert run.exit_code == 2
    assert "'moon'" in run.stderr


def test_lens_export_round_trips(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "lens.json"
    run = demo.cli("lens", "export", "-o", str(out), json_out=False)
    assert run.exit_code == 0
    assert "x-wellsec" not in out.read_text()
    lens = load_lens_file(out)
    assert len(lens.best_practices) == 8
    shown = demo.cli("lens", "show", json_out=False)
    assert "SEC01-BP08" in shown.stdout and "Risk rules" in shown.stdout


def test_checks_listing(demo: Demo) -> None:
    run = demo.cli("checks", "--json", json_out=False)
    listed = json.loads(run.stdout)
    assert {"SEC01-BP01", "SEC01-BP02"} <= {c["best_practice"] for c in listed}
    assert all(c["remediation"] for c in listed)
    # Checks of AWS evidence name their IAM actions; threat-model and review-history
    # checks read local files and the store.
    local = {"threat_model", "review_history"}
    assert all(c["iam_actions"] or set(c["evidence"]) <= local for c in listed)


def test_init_writes_a_valid_starter(tmp_path: Path) -> None:
    target = tmp_path / "wellsec.yaml"
    answers = "payments\nproduction\nme@example.com\nus-east-1, eu-west-1\n\nWorkloads\n90\n"
    done = CliRunner().invoke(app, ["init", "-o", str(target)], input=answers, env=CLEAN_ENV)
    assert done.exit_code == 0, done.stderr
    workload = load_workload(target)
    assert workload.name == "payments"
    assert workload.regions == ["us-east-1", "eu-west-1"]
    assert workload.ous == ["Workloads"]
    assert "threat_model_maintained" in target.read_text()
    again = CliRunner().invoke(app, ["init", "-o", str(target), "--yes"], env=CLEAN_ENV)
    assert again.exit_code == 2  # refuses to overwrite


def test_demo_command_in_a_fresh_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({k: v for k, v in CLEAN_ENV.items() if v is not None})
    env["WELLSEC_STORE"] = f"sqlite:///{tmp_path / 'store.db'}"
    out = tmp_path / "demo.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "wellsec",
            "demo",
            "-f",
            "json",
            "-o",
            str(out),
            "--fail-on",
            "high",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr  # the demo organization has high-risk gaps
    report = json.loads(out.read_text())
    assert report["question"]["risk"] == "HIGH"
    assert len(report["scan"]["accounts"]) == 4
