"""Closed loop: review the demo organization, generate the fixes, deploy them into the
emulator exactly as PLAN.md and the commands script say, review again. Every finding the
plan says it closes now passes (or no longer applies, where the plan says so); every
other finding keeps its status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import DONE, Demo
from tests.fix.applier import Deployer
from wellsec.emulator.sessions import session_for

PHONE = "+1 555 0100"
Key = tuple[str, str | None, str | None]


def _by_place(report: dict[str, Any]) -> dict[Key, list[dict[str, Any]]]:
    found: dict[Key, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        found.setdefault((f["check"], f["account"], f["region"]), []).append(f)
    return found


def _pairs(
    before: dict[str, Any], after: dict[str, Any]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each finding of the first review with its counterpart in the second: by check,
    account and region, and by resource where a place has several findings (a resource
    may be renamed by the fix: a new GuardDuty detector gets an id)."""
    old, new = _by_place(before), _by_place(after)
    assert set(old) == set(new), set(old) ^ set(new)
    pairs = []
    for key, firsts in old.items():
        seconds = new[key]
        if len(firsts) == 1 and len(seconds) == 1:
            pairs.append((firsts[0], seconds[0]))
            continue
        by_resource = {f["resource"]: f for f in seconds}
        assert len(by_resource) == len(seconds) == len(firsts), key
        pairs += [(f, by_resource[f["resource"]]) for f in firsts]
    return pairs


def _effect(effects: list[dict[str, Any]], finding: dict[str, Any]) -> dict[str, Any] | None:
    found = [
        e
        for e in effects
        if (e["check"], e["account"], e["region"])
        == (finding["check"], finding["account"], finding["region"])
        and e["resource"] in (None, finding["resource"])
    ]
    strict = [e for e in found if e["outcome"] != "NO_WORSE"]
    return (strict or found or [None])[0]


@pytest.fixture(scope="module")
def loop(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    first = demo.review()
    assert first.exit_code in DONE, first.stderr
    out = tmp_path_factory.mktemp("fix") / "fixes"
    demo.emulator.reset_counters()
    made = demo.cli(
        "fix",
        "--output-dir",
        str(out),
        "--workload",
        "demo-payments",
        "--contact-phone",
        PHONE,
        json_out=False,
    )
    assert made.exit_code == 0, made.stderr
    assert demo.emulator.request_count == 0  # fix reads the store, never AWS
    deployer = Deployer(
        demo.emulator.endpoint_url,
        demo.org.management_account_id,
        lambda account: session_for(demo.emulator.endpoint_url, account),
    )
    deployer.run_plan(out / "PLAN.md")
    second = demo.review("--no-store")
    assert second.exit_code in DONE, second.stderr
    plan = json.loads((out / "plan.json").read_text())
    return {
        "first": first.report,
        "second": second.report,
        "plan": plan,
        "out": out,
        "calls": deployer.calls,
    }


def test_targeted_findings_pass_and_nothing_else_changes(loop: dict[str, Any]) -> None:
    effects = [e for a in loop["plan"]["artifacts"] for e in a["effects"]]
    closed, unchanged = [], []
    for before, after in _pairs(loop["first"], loop["second"]):
        effect = _effect(effects, before)
        label = (before["check"], before["account"], before["region"], before["resource"])
        if effect is None:
            assert after["status"] == before["status"], (label, before["message"], after["message"])
            unchanged.append(label)
        elif effect["outcome"] == "NO_WORSE":
            assert after["status"] in (before["status"], "PASS"), (label, after["message"])
        else:
            assert after["status"] == effect["outcome"], (label, after["message"])
            closed.append(label)
    assert len(closed) >= 30
    failing_before = [f for f in loop["first"]["findings"] if f["status"] == "FAIL"]
    failing_after = [f for f in loop["second"]["findings"] if f["status"] == "FAIL"]
    assert len(failing_after) <= len(failing_before) - 30


def test_every_claim_names_a_finding_of_the_review(loop: dict[str, Any]) -> None:
    findings = loop["first"]["findings"]
    for artifact in loop["plan"]["artifacts"]:
        for e in artifact["effects"]:
            if e["outcome"] == "NO_WORSE":
                continue
            assert any(
                (f["check"], f["account"], f["region"]) == (e["check"], e["account"], e["region"])
                and e["resource"] in (None, f["resource"])
                for f in findings
            ), e


def test_the_plan_covers_every_kind_of_remedy(loop: dict[str, Any]) -> None:
    kinds = {a["kind"] for a in loop["plan"]["artifacts"]}
    assert kinds == {"scp", "stack-set", "commands", "starter"}
    operations = {c.operation for c in loop["calls"]}
    assert {
        "CreateStackSet",
        "CreateStackInstances",
        "CreateStack",
        "PutAlternateContact",
    } <= operations
    closes = {e["check"] for a in loop["plan"]["artifacts"] for e in a["effects"]}
    for check in (
        "regions_restricted_by_scp",
        "scp_denies_root_actions",
        "scp_denies_leave_organization",
        "custom_scp_applied",
        "root_usage_alerting",
        "cloudtrail_multi_region_logging",
        "health_events_routed",
        "guardduty_enabled",
        "securityhub_enabled",
        "security_contact_registered",
        "centralized_root_access",
        "control_objectives_validated",
    ):
        assert check in closes, check


def test_fixing_twice_gives_the_same_files(
    loop: dict[str, Any], demo: Demo, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    made = demo.cli(
        "fix",
        "--output-dir",
        str(again),
        "--workload",
        "demo-payments",
        "--contact-phone",
        PHONE,
        json_out=False,
    )
    assert made.exit_code == 0, made.stderr
    first = {
        p.relative_to(loop["out"]): p.read_bytes() for p in loop["out"].rglob("*") if p.is_file()
    }
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second
