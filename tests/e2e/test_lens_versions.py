"""Both lens versions end to end on the emulated demo organization: a review under each,
an upgrade of a stored 2022 review, history and diff across versions, the lens commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import CLEAN_ENV, DONE, Demo, Run
from tests.store.reports import report
from tests.wa.wa import (
    NONE_OF_THESE,
    WORKLOAD_ID,
    answer_reply,
    capture,
    choices,
    stubbed,
    workload_reply,
)
from wellsec.cli import app
from wellsec.lens import load_lens, load_lens_file
from wellsec.render.json_report import review_to_dict
from wellsec.review import evaluate
from wellsec.snapshot import load_snapshot
from wellsec.store.store import Store
from wellsec.workload import load_workload

Verdicts = dict[tuple[str, str, str, str], str]


def _verdicts(report: dict[str, Any]) -> Verdicts:
    return {
        (f["check"], f["account"] or "", f["region"] or "", f["resource"]): f["status"]
        for f in report["findings"]
    }


@pytest.fixture(scope="module")
def reviews(demo: Demo) -> tuple[Run, Run]:
    seed = demo.review("--no-store", "--lens", "sec01@2022")
    current = demo.review("--no-store", "--lens", "sec01@2025")
    assert seed.exit_code in DONE and current.exit_code in DONE, current.stderr
    return seed, current


def test_review_under_each_lens_version(demo: Demo, reviews: tuple[Run, Run]) -> None:
    seed, current = reviews
    assert seed.report is not None and current.report is not None
    for run, key in ((seed, "sec01@2022"), (current, "sec01@2025")):
        assert run.report is not None
        assert f"{run.report['lens']['id']}@{run.report['lens']['version']}" == key
        lens = load_lens(key)
        assert [(p["id"], p["choice_id"], p["title"]) for p in run.report["best_practices"]] == [
            (bp.id, bp.choice_id, bp.title) for bp in lens.best_practices
        ]
    # evidence the seed's text does not ask for is checked under the current lens only
    assert seed.findings("managed_services_share") == []
    assert seed.findings("standard_controls_deployed") == []
    prod, dev, mgmt = (demo.account(n) for n in ("prod", "dev", "management"))
    [share] = current.findings("managed_services_share", prod)
    assert share["status"] == "FAIL" and share["best_practice"] == "SEC01-BP05"
    assert "0 of 2 compute and database resources (0%)" in share["message"]
    assert "self-managed: 2 EC2 instances" in share["message"]
    [dev_share] = current.findings("managed_services_share", dev)
    assert dev_share["status"] == "UNKNOWN"  # dev's Config recorder in eu-west-1 is stopped
    assert "eu-west-1: the AWS Config recorder default is stopped" in dev_share["message"]
    assert "1 Lambda function" in dev_share["message"]
    assert current.status("managed_services_share", mgmt) == "NOT_APPLICABLE"
    assert current.status("standard_controls_deployed", prod) == "PASS"
    assert current.status("standard_controls_deployed", dev) == "FAIL"  # dev sits at the root
    assert current.practice("SEC01-BP05")["status"] == "NOT_MET"
    assert current.practice("SEC01-BP05")["risk_if_missing"] == "MEDIUM"
    assert seed.practice("SEC01-BP05")["risk_if_missing"] == "HIGH"
    # the same check files under each version's practice, with the same verdict
    assert {f["best_practice"] for f in seed.findings("securityhub_enabled")} == {"SEC01-BP05"}
    assert {f["best_practice"] for f in current.findings("securityhub_enabled")} == {"SEC01-BP04"}
    before, after = _verdicts(seed.report), _verdicts(current.report)
    shared = set(before) & set(after)
    assert len(shared) > 150
    assert {k: before[k] for k in shared} == {k: after[k] for k in shared}
    plan = {e["best_practice"]: e for e in current.report["improvement_plan"]}
    assert plan["SEC01-BP05"]["title"] == "Reduce security management scope"
    assert any(f["check"] == "managed_services_share" for f in plan["SEC01-BP05"]["findings"])


def test_upgrade_of_a_stored_2022_review(demo: Demo, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    env: dict[str, str | None] = {"WELLSEC_STORE": store}
    snapshot = tmp_path / "snapshot.json"
    first = demo.review("--snapshot", str(snapshot), env=env)
    assert first.exit_code in DONE and "recorded review 1" in first.stderr
    assert first.report is not None and first.report["lens"]["version"] == "2022"

    upgraded = demo.cli("upgrade", "--config", str(demo.config), "--json", json_out=False, env=env)
    assert upgraded.exit_code == 0, upgraded.stderr
    done = json.loads(upgraded.stdout)
    assert (done["source"], done["review"]) == (1, 2)
    assert done["diff"]["lens"] == {"before": "sec01@2022", "after": "sec01@2025"}
    changes = {(p["practice"], p["account"]): p["change"] for p in done["diff"]["practices"]}
    assert changes[("SEC01-BP05@2022", None)] == "removed"
    assert changes[("SEC01-BP05@2025", None)] == "added"
    assert ("SEC01-BP01", None) not in changes  # unchanged practice, same verdict

    opened = Store(store)
    try:
        stored = opened.get("latest", "demo-payments")
        upgraded_report = opened.report(stored.id)
        source = opened.get("1", "demo-payments")
    finally:
        opened.close()
    assert (stored.id, stored.lens_key, stored.created_at) == (2, "sec01@2025", source.created_at)
    assert upgraded_report["generated_at"] == first.report["generated_at"]
    # the upgrade is what the current lens makes of the very same evidence
    workload = load_workload(demo.config)
    when = dt.datetime.fromisoformat(upgraded_report["generated_at"])
    direct = evaluate(load_snapshot(snapshot), workload, load_lens("2025"), now=when, history=())
    assert _verdicts(upgraded_report) == _verdicts(review_to_dict(direct))
    assert upgraded_report["question"]["risk"] == direct.risk.value

    history = json.loads(demo.cli("history", "--json", json_out=False, env=env).stdout)
    assert [(r["id"], r["lens"]) for r in history] == [(1, "sec01@2022"), (2, "sec01@2025")]
    table = demo.cli("history", json_out=False, env=env).stdout
    assert "BP5/22" in table and "BP5/25" in table and "BP4" in table
    diff = demo.cli("diff", "previous", "latest", json_out=False, env=env)
    assert diff.exit_code == 0 and "(lens sec01@2022 -> sec01@2025)" in diff.stdout

    again = demo.cli("upgrade", "--config", str(demo.config), json_out=False, env=env)
    assert again.exit_code == 2 and "already on sec01@2025" in again.stderr
    no_config = demo.cli("upgrade", "1", json_out=False, env=env)
    assert no_config.exit_code == 2 and "pass --config" in no_config.stderr


def test_upgrade_without_a_stored_snapshot_says_why(demo: Demo, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    opened = Store(store)
    try:
        old = report(dt.datetime.now(dt.UTC), workload="demo-payments")
        opened.record(report=old, cadence_days=90)  # as reviews were kept before snapshots
    finally:
        opened.close()
    run = demo.cli(
        "upgrade",
        "latest",
        "--config",
        str(demo.config),
        json_out=False,
        env={"WELLSEC_STORE": store},
    )
    assert run.exit_code == 2
    assert "without its evidence snapshot" in run.stderr and "--lens sec01@2025" in run.stderr


def test_lens_commands_take_either_version(demo: Demo, tmp_path: Path) -> None:
    shown = demo.cli("lens", "show", "--lens", "sec01@2025", json_out=False)
    assert shown.exit_code == 0
    assert "SEC01-BP05  Reduce security management scope  [risk if missing: MEDIUM]" in shown.stdout
    assert "checks: managed_services_share" in shown.stdout
    out = tmp_path / "current.json"
    exported = demo.cli("lens", "export", "--lens", "2025", "-o", str(out), json_out=False)
    assert exported.exit_code == 0 and "x-wellsec" not in out.read_text()
    plain = load_lens_file(out)
    assert [bp.choice_id for bp in plain.best_practices] == [
        bp.choice_id for bp in load_lens("sec01@2025").best_practices
    ]
    diff = demo.cli("lens", "diff", "2022", "sec01@2025", "--json", json_out=False)
    data = json.loads(diff.stdout)
    assert (data["before"], data["after"]) == ("sec01@2022", "sec01@2025")
    kinds = {(c["kind"], c["practice"]) for c in data["changes"]}
    assert ("renamed", "SEC01-BP04") in kinds and ("added", "SEC01-BP06@2025") in kinds
    text = demo.cli("lens", "diff", "2022", "2025", json_out=False).stdout
    assert "Practices removed:" in text and "securityhub_enabled" in text
    listed = json.loads(demo.cli("checks", "--json", json_out=False).stdout)
    served = {c["id"]: c["practices"] for c in listed}
    assert served["securityhub_enabled"] == {"sec01@2022": "SEC01-BP05", "sec01@2025": "SEC01-BP04"}
    assert served["managed_services_share"] == {"sec01@2022": None, "sec01@2025": "SEC01-BP05"}
    unknown = demo.cli("lens", "show", "--lens", "sec01@1999", json_out=False)
    assert unknown.exit_code == 2 and "no built-in lens" in unknown.stderr


def test_push_of_a_2025_review_to_a_stubbed_wa_tool_workload(demo: Demo, tmp_path: Path) -> None:
    env: dict[str, str | None] = {"WELLSEC_STORE": f"sqlite:///{tmp_path / 'store.db'}"}
    reviewed = demo.review("--lens", "sec01@2025", env=env)
    assert reviewed.exit_code in DONE and reviewed.report is not None
    current = load_lens("sec01@2025")
    question = choices(current, extra=())  # the workload's question, on the 2025 lens
    with stubbed() as (client, stub):
        sent = capture(client, "UpdateAnswer")
        stub.add_response("get_workload", workload_reply(name="demo-payments"))
        stub.add_response(
            "get_answer",
            answer_reply(question, selected=[NONE_OF_THESE]),
            {
                "WorkloadId": WORKLOAD_ID,
                "LensAlias": "wellarchitected",
                "QuestionId": "securely-operate",
            },
        )
        stub.add_response("update_answer", answer_reply(question, risk="HIGH"))
        pushed = CliRunner().invoke(
            app,
            ["push", "--review", "latest", "--workload-id", WORKLOAD_ID, "--config",
             str(demo.config), "--apply", "--no-milestone", "--json"],
            env={**CLEAN_ENV, **env},
            obj={"wellarchitected": client},
        )  # fmt: skip
    assert pushed.exit_code == 0, pushed.stderr
    done = json.loads(pushed.stdout)
    assert (done["lens"], done["applied"], done["risk_after"]) == ("sec01@2025", True, "HIGH")
    [params] = sent
    statuses = {p["choice_id"]: p["status"] for p in reviewed.report["best_practices"]}
    assert (
        set(params["ChoiceUpdates"])
        == set(statuses)
        == {bp.choice_id for bp in current.best_practices}
    )
    expected = {"MET": "SELECTED", "NOT_MET": "UNSELECTED", "NOT_APPLICABLE": "NOT_APPLICABLE"}
    for choice_id, status in statuses.items():
        if status in expected:
            assert params["ChoiceUpdates"][choice_id]["Status"] == expected[status]
    scope = params["ChoiceUpdates"]["sec_securely_operate_reduce_management_scope"]
    assert scope["Status"] == "UNSELECTED" and "NOT MET" in scope["Notes"]
    assert "wellsec review 1" in scope["Notes"]  # the note points to the stored review
