"""``wellsec push`` and ``wellsec pull`` as a user runs them; the WA Tool client is a real
botocore client under Stubber, handed to the CLI as its context object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.wa.wa import (
    UPDATED,
    WORKLOAD_ID,
    answer_reply,
    capture,
    choices,
    milestones_reply,
    report_data,
    stubbed,
    workload_reply,
)
from wellsec.cli import app
from wellsec.lens import load_lens
from wellsec.store.store import Store

LENS = load_lens("sec01@2022")
IDS = {bp.id: bp.choice_id for bp in LENS.best_practices}
ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
}


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a review report and a store; the CLI runs in it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.json").write_text(json.dumps(report_data({"SEC01-BP02": "NOT_MET"})))
    return tmp_path


def run(client: Any, *args: str, store: Path | None = None) -> Any:
    env = {**ENV, "WELLSEC_STORE": f"sqlite:///{store or Path.cwd() / 'store.db'}"}
    return CliRunner().invoke(app, list(args), env=env, obj={"wellarchitected": client})


def reads(stub: Any, existing_milestones: list[str] | None = None) -> None:
    stub.add_response("get_workload", workload_reply(), {"WorkloadId": WORKLOAD_ID})
    stub.add_response("get_answer", answer_reply(choices(LENS)))
    if existing_milestones is not None:
        stub.add_response("list_milestones", milestones_reply(existing_milestones))


def test_push_is_a_dry_run_by_default(files: Path) -> None:
    with stubbed() as (client, stub):
        reads(stub, [])
        result = run(client, "push", "--review", "report.json", "--workload-id", WORKLOAD_ID)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Dry run: nothing changes in the WA Tool")
    assert "would send CreateMilestone" in out and "would send UpdateAnswer" in out
    assert f"SEC01-BP01 {IDS['SEC01-BP01']}: UNSELECTED -> SELECTED  [review: MET]" in out
    assert "Full report: report.json [/wellsec]" in out


def test_push_apply_json(files: Path) -> None:
    with stubbed() as (client, stub):
        sent = capture(client, "UpdateAnswer")
        reads(stub)
        stub.add_response("update_answer", answer_reply(choices(LENS), risk="HIGH"))
        stub.add_response("list_milestones", milestones_reply([]))
        stub.add_response("create_milestone", {"WorkloadId": WORKLOAD_ID, "MilestoneNumber": 1})
        result = run(
            client, "push", "--review", "report.json", "--workload-id", WORKLOAD_ID,
            "--apply", "--json", "--report-url", "https://r.example.com/1",
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(s["operation"], s["done"]) for s in data["steps"]] == [
        ("UpdateAnswer", True),
        ("CreateMilestone", True),
    ]
    assert data["steps"][0]["params"] == sent[0]
    assert IDS["SEC01-BP02"] not in sent[0]["SelectedChoices"]


def test_push_the_latest_stored_review_to_the_workload_named_in_wellsec_yaml(files: Path) -> None:
    (files / "wellsec.yaml").write_text("name: payments\nowner: owner@example.com\n")
    store = Store(f"sqlite:///{files / 'store.db'}")
    review_id = store.record(report=report_data(), cadence_days=90)
    store.close()
    with stubbed() as (client, stub):
        stub.add_response(
            "list_workloads",
            {"WorkloadSummaries": [{"WorkloadId": WORKLOAD_ID, "WorkloadName": "payments"}]},
            {"WorkloadNamePrefix": "payments", "MaxResults": 50},
        )
        reads(stub, [])
        result = run(client, "push")
    assert result.exit_code == 0, result.output
    assert f"Review: review {review_id} in the store" in result.stdout
    assert f"wellsec review {review_id} in the review history" in result.stdout
    assert f'"MilestoneName": "wellsec review {review_id} of 2026-11-28' in result.stdout


def test_push_milestone_limit_exits_incomplete(files: Path) -> None:
    with stubbed() as (client, stub):
        reads(stub)
        stub.add_response("update_answer", answer_reply(choices(LENS)))
        stub.add_response("list_milestones", milestones_reply([f"m{i:03d}" for i in range(100)]))
        result = run(
            client, "push", "--review", "report.json", "--workload-id", WORKLOAD_ID, "--apply"
        )
    assert result.exit_code == 4
    assert "100 milestones" in result.stdout


@pytest.mark.parametrize(
    ("code", "exit_code"), [("ResourceNotFoundException", 2), ("AccessDeniedException", 3)]
)
def test_push_errors_are_one_line(files: Path, code: str, exit_code: int) -> None:
    with stubbed() as (client, stub):
        stub.add_client_error("get_workload", service_error_code=code, service_message="no")
        result = run(client, "push", "--review", "report.json", "--workload-id", WORKLOAD_ID)
    assert result.exit_code == exit_code
    assert result.stderr == f"wellsec: error: Well-Architected Tool GetWorkload: {code}: no\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "bad.json: line 1: not valid JSON"),
        ('{"schema": "other"}', "bad.json: not a wellsec review report"),
        (
            json.dumps({**report_data(), "best_practices": [{"id": "x"}]}),
            "bad.json: best_practices[0]",
        ),
    ],
)
def test_a_bad_review_file_is_named(files: Path, content: str, problem: str) -> None:
    (files / "bad.json").write_text(content)
    with stubbed() as (client, _):
        result = run(client, "push", "--review", "bad.json", "--workload-id", WORKLOAD_ID)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"wellsec: error: {problem}")
    assert result.stderr.count("\n") == 1


def test_push_refuses_two_targets(files: Path) -> None:
    result = run(None, "push", "--workload-id", WORKLOAD_ID, "--create-workload")
    assert result.exit_code == 2


def test_pull_writes_attestations_and_reports_disagreements(files: Path) -> None:
    config = files / "wellsec.yaml"
    config.write_text("# ours\nname: payments\nattestations: []\n# examples below\n")
    with stubbed() as (client, stub):
        stub.add_response("get_workload", workload_reply(), {"WorkloadId": WORKLOAD_ID})
        stub.add_response(
            "get_answer",
            answer_reply(choices(LENS), selected=[IDS["SEC01-BP02"], IDS["SEC01-BP07"]]),
        )
        result = run(
            client, "pull", "--workload-id", WORKLOAD_ID, "--write", "--review", "report.json",
            "--fail-on-disagreement",
        )  # fmt: skip
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert (
        "SEC01-BP02 sec_securely_operate_aws_account: selected in the WA Tool, "
        "but the review found it not met" in out
    )
    assert f"written to {config.name}" in out
    written = yaml.safe_load(config.read_text())
    ids = {a["id"] for a in written["attestations"]}
    assert {"root_password_rotation", "threat_model_maintained"} <= ids
    assert all(a["by"] == "owner@example.com" for a in written["attestations"])
    assert all(str(a["date"]) == str(UPDATED.date()) for a in written["attestations"])
    assert config.read_text().startswith("# ours\nname: payments\n")
    assert config.read_text().endswith("# examples below\n")


def test_integration_policies_are_apart_from_the_scan_policy(files: Path) -> None:
    push_policy = json.loads(run(None, "integration-policy", "push").stdout)
    actions = push_policy["Statement"][0]["Action"]
    assert "wellarchitected:UpdateAnswer" in actions
    pull_actions = json.loads(run(None, "integration-policy", "pull").stdout)["Statement"][0]
    assert not [a for a in pull_actions["Action"] if "Update" in a or "Create" in a]
    scan = json.loads(run(None, "iam-policy").stdout)["Statement"][0]["Action"]
    assert not set(scan) & (set(actions) | {"securityhub:BatchImportFindings"})
