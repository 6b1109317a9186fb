"""A workload scoped to an OU, end to end: the organization tree must resolve the scope or
say it could not, and the accounts that hold organization-level evidence (management,
delegated administrators) are read without becoming workload accounts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import Demo, Run
from wellsec.emulator.faults import FaultKind, FaultSpec

FAST = ("--max-attempts", "2", "--read-timeout", "5", "--no-store")
LIST_OUS = "organizations:ListOrganizationalUnitsForParent"
LIST_ACCOUNTS = "organizations:ListAccountsForParent"
INCOMPLETE = 4
# BP01's account checks: on a scope that cannot be resolved they must say so (UNKNOWN),
# not vanish with the accounts they would have judged. (The demo's BP01 also fails on
# an undelegated Security Hub, which moto cannot delegate, so BP01 is never MET here.)
BP01_ACCOUNT_CHECKS = ("custom_scp_applied", "accounts_in_ous")


def _scope_unknown(run: Run, check: str) -> bool:
    return any(
        f["status"] == "UNKNOWN" and f["resource"].endswith("/scope") for f in run.findings(check)
    )


# Practices decided from organization-level evidence held by the security-tooling and
# management accounts (aggregators, organization configurations, administrators).
ORG_EVIDENCE_PRACTICES = ("SEC01-BP04", "SEC01-BP05", "SEC01-BP06")


def _scoped_config(demo: Demo, **changes: object) -> Path:
    workload = yaml.safe_load(demo.config.read_text())
    workload.update(changes)
    path = demo.tmp / "scoped.yaml"
    path.write_text(yaml.safe_dump(workload))
    return path


def _review(demo: Demo, config: Path, *extra: str) -> Run:
    return demo.cli(
        "review", "--config", str(config), "--endpoint-url", demo.emulator.endpoint_url, *extra
    )


def _scanned(run: Run) -> set[str]:
    assert run.report is not None
    return {a["id"] for a in run.report["scan"]["accounts"]}


@pytest.fixture(scope="module")
def scoped(demo: Demo) -> Run:
    run = _review(demo, _scoped_config(demo, ous=["Workloads"]), *FAST)
    assert run.report is not None, run.stderr
    return run


def test_only_the_workload_ou_is_reported(demo: Demo, scoped: Run) -> None:
    assert scoped.report is not None
    assert _scanned(scoped) == {demo.account("prod")}
    supporting = {a["id"]: a for a in scoped.report["scan"]["supporting_accounts"]}
    assert set(supporting) == {demo.account("management"), demo.account("security-tooling")}
    assert all(a["status"] == "SCANNED" for a in supporting.values())
    assert "guardduty.amazonaws.com" in supporting[demo.account("security-tooling")]["purpose"]
    for practice in scoped.report["best_practices"]:
        assert set(practice["accounts"]) == {demo.account("prod")}, practice["id"]
    tooling = demo.account("security-tooling")
    assert not [f for f in scoped.report["findings"] if f["account"] == tooling]


def test_organization_evidence_is_read_outside_the_workload_ou(demo: Demo, scoped: Run) -> None:
    assert scoped.report is not None
    for bp in ORG_EVIDENCE_PRACTICES:
        undecided = [
            (f["check"], f["message"])
            for f in scoped.report["findings"]
            if f["best_practice"] == bp and f["status"] == "UNKNOWN"
        ]
        assert not undecided, (bp, undecided)
        assert scoped.practice(bp)["status"] in {"MET", "NOT_MET"}
    for check in ("guardduty_org_auto_enable", "config_org_aggregator"):
        assert {f["status"] for f in scoped.findings(check)} == {"PASS"}, scoped.findings(check)
    assert not [c for c in BP01_ACCOUNT_CHECKS if _scope_unknown(scoped, c)]
    assert scoped.exit_code == 0, (scoped.stderr, scoped.report["notes"])
    assert scoped.report["complete"] is True


def test_a_tree_call_that_keeps_failing_leaves_the_review_incomplete(demo: Demo) -> None:
    config = _scoped_config(demo, ous=["Workloads"])
    demo.emulator.inject(FaultSpec(FaultKind.DENY, LIST_ACCOUNTS))
    run = _review(demo, config, *FAST)
    assert run.report is not None, run.stderr
    assert all(_scope_unknown(run, c) for c in BP01_ACCOUNT_CHECKS)
    assert run.exit_code == INCOMPLETE, run.stdout
    assert run.report["complete"] is False
    assert run.practice("SEC01-BP01")["status"] != "MET"
    assert run.report["scan"]["unresolved_scope"], run.report["scan"]
    assert any("could not be read" in note for note in run.report["notes"])


def test_one_unreadable_parent_keeps_the_rest_of_the_tree(demo: Demo) -> None:
    config = _scoped_config(demo, ous=["Workloads", "Security"])
    security = demo.org.ous["Security"]
    demo.emulator.inject(FaultSpec(FaultKind.DENY, LIST_ACCOUNTS, parameter=("ParentId", security)))
    run = _review(demo, config, *FAST)
    assert run.report is not None, run.stderr
    assert run.exit_code == INCOMPLETE
    assert _scanned(run) == {demo.account("prod")}  # what was read still counts
    unresolved = run.report["scan"]["unresolved_scope"]
    assert security in unresolved and "AccessDenied" in unresolved
    assert all(_scope_unknown(run, c) for c in BP01_ACCOUNT_CHECKS)
    assert run.practice("SEC01-BP01")["status"] != "MET"
    assert run.practice("SEC01-BP02")["status"] != "MET"


def test_an_unknown_ou_is_an_unresolved_scope(demo: Demo) -> None:
    run = _review(demo, _scoped_config(demo, ous=["Workloads", "Payments"]), *FAST)
    assert run.report is not None, run.stderr
    assert all(_scope_unknown(run, c) for c in BP01_ACCOUNT_CHECKS)
    assert run.exit_code == INCOMPLETE
    assert "Payments" in run.report["scan"]["unresolved_scope"]
    assert run.practice("SEC01-BP01")["status"] != "MET"


def test_throttled_tree_calls_are_retried(demo: Demo) -> None:
    config = _scoped_config(demo, ous=["Workloads"])
    demo.emulator.reset_counters()
    demo.emulator.inject(FaultSpec(FaultKind.THROTTLE, LIST_OUS, times=1))
    demo.emulator.inject(FaultSpec(FaultKind.THROTTLE, LIST_ACCOUNTS, times=1))
    run = _review(demo, config, "--max-attempts", "3", "--no-store")
    assert run.report is not None, run.stderr
    assert _scanned(run) == {demo.account("prod")}
    assert not run.report["scan"]["unresolved_scope"]
    calls = demo.emulator.requests_by_operation()
    # Root, Security and Workloads: three parents, plus the throttled first attempt.
    assert calls[LIST_OUS] == 4 and calls[LIST_ACCOUNTS] == 4, calls


def test_persistent_throttling_of_the_root_is_an_unresolved_scope(demo: Demo) -> None:
    config = _scoped_config(demo, ous=["Workloads"])
    root = demo.org.root_id
    demo.emulator.inject(FaultSpec(FaultKind.THROTTLE, LIST_OUS, parameter=("ParentId", root)))
    run = _review(demo, config, *FAST)
    assert run.report is not None, run.stderr
    assert run.exit_code == INCOMPLETE
    assert _scanned(run) == set()
    unresolved = run.report["scan"]["unresolved_scope"]
    assert "'Workloads' not found" in unresolved and "TooManyRequestsException" in unresolved
    assert "throttled past the retry limit" in unresolved
    assert all(_scope_unknown(run, c) for c in BP01_ACCOUNT_CHECKS)
    assert run.practice("SEC01-BP01")["status"] != "MET"


def test_fix_targets_no_supporting_account(demo: Demo) -> None:
    stored = _review(demo, _scoped_config(demo, ous=["Workloads"]))
    assert stored.exit_code == 0, stored.stderr
    out = demo.tmp / "fixes"
    made = demo.cli("fix", "--output-dir", str(out), "--workload", "demo-payments", json_out=False)
    assert made.exit_code == 0, made.stderr
    plan = json.loads((out / "plan.json").read_text())
    targeted = {e["account"] for a in plan["artifacts"] for e in a["effects"]}
    assert targeted == {demo.account("prod")}, targeted


def _heatmap(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def test_reports_list_no_supporting_account_as_workload(demo: Demo) -> None:
    config = _scoped_config(demo, ous=["Workloads"])
    url = demo.emulator.endpoint_url
    supporting = (demo.account("security-tooling"), demo.account("management"))
    out: dict[str, str] = {}
    for fmt in ("markdown", "text", "csv"):
        path = demo.tmp / f"scoped.{fmt}"
        run = demo.cli(
            "review", "--config", str(config), "--endpoint-url", url, *FAST,
            "-f", fmt, "-o", str(path), json_out=False,
        )  # fmt: skip
        assert run.exit_code == 0, run.stderr
        out[fmt] = path.read_text()
    for heatmap in (
        _heatmap(out["markdown"], "## By account", "## Improvement plan"),
        _heatmap(out["text"], "By account", "Improvement plan"),
    ):
        assert demo.account("prod") in heatmap
        assert not [a for a in supporting if a in heatmap], heatmap
    rows = list(csv.DictReader(io.StringIO(out["csv"])))
    assert demo.account("security-tooling") not in {r["account"] for r in rows}
