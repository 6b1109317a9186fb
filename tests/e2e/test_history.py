"""Two demo reviews with a change in between: diff, history, milestones, due, HTML trend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import CLEAN_ENV
from wellsec.cli import app


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str | None], Path]:
    tmp = tmp_path_factory.mktemp("history")
    env: dict[str, str | None] = {**CLEAN_ENV, "WELLSEC_STORE": f"sqlite:///{tmp / 'store.db'}"}
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "-f", "json", "-o", str(tmp / "r1.json")], env=env)
    assert first.exit_code == 0, first.stderr
    assert "recorded review 1" in first.stderr
    second = runner.invoke(
        app, ["demo", "--improved", "-f", "html", "-o", str(tmp / "r2.html")], env=env
    )
    assert second.exit_code == 0, second.stderr
    third = runner.invoke(app, ["demo", "-f", "json", "-o", str(tmp / "r3.json")], env=env)
    assert third.exit_code == 0, third.stderr
    return env, tmp


def _cli(env: dict[str, str | None], *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_diff_shows_the_change(history: tuple[dict[str, str | None], Path]) -> None:
    env, _ = history
    diff = json.loads(_cli(env, "diff", "1", "2", "-w", "demo-payments", "--json"))
    assert diff["before"] == 1 and diff["after"] == 2
    changes = {(p["practice"], p["account"]): p["change"] for p in diff["practices"]}
    dev = next(
        a
        for a in json.loads((history[1] / "r1.json").read_text())["scan"]["accounts"]
        if a["name"] == "dev"
    )["id"]
    assert changes[("SEC01-BP01", dev)] == "improved"  # dev moved into an OU with guardrails
    assert all(change not in {"added", "removed"} for change in changes.values())  # same ids
    fixed = {(f["check"], f["account"]) for f in diff["fixed_findings"]}
    assert any(check == "root_mfa_enabled" for check, _ in fixed)
    assert any(check == "security_contact_registered" for check, _ in fixed)
    assert any(check == "accounts_in_ous" for check, _ in fixed)
    assert not [f for f in diff["new_findings"] if f["check"] == "root_mfa_enabled"]
    text = _cli(env, "diff", "1", "2", "-w", "demo-payments")
    assert "improved" in text and "Fixed findings" in text


def test_history_and_milestones(history: tuple[dict[str, str | None], Path]) -> None:
    env, _ = history
    rows = json.loads(_cli(env, "history", "-w", "demo-payments", "--json"))
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert all(len(r["best_practices"]) == 8 for r in rows)
    met = [sum(s == "MET" for s in r["best_practices"].values()) for r in rows]
    assert met[1] >= met[0]
    out = _cli(env, "milestone", "create", "baseline", "--review", "1", "-w", "demo-payments")
    assert "review 1" in out
    listed = json.loads(_cli(env, "milestone", "list", "--json"))
    assert [(m["name"], m["review"]) for m in listed] == [("baseline", 1)]
    by_name = json.loads(_cli(env, "diff", "baseline", "latest", "-w", "demo-payments", "--json"))
    assert by_name["before"] == 1
    table = _cli(env, "history", "-w", "demo-payments")
    assert "baseline" in table
    again = CliRunner().invoke(
        app, ["milestone", "create", "baseline", "-w", "demo-payments"], env=env
    )
    assert again.exit_code == 2 and "already has a milestone" in again.stderr


def test_due_lists_the_workload(history: tuple[dict[str, str | None], Path]) -> None:
    env, _ = history
    rows = json.loads(_cli(env, "due", "--json"))
    assert [(r["workload"], r["state"], r["cadence_days"]) for r in rows] == [
        ("demo-payments", "ok", 90)
    ]


def test_bp08_calendar_comes_from_the_history(
    history: tuple[dict[str, str | None], Path],
) -> None:
    _, tmp = history
    first = json.loads((tmp / "r1.json").read_text())
    later = json.loads((tmp / "r3.json").read_text())

    def status(report: dict[str, object], check: str) -> str:
        found = [f for f in report["findings"] if f["check"] == check]  # type: ignore[index]
        return str(found[0]["status"])

    assert status(first, "review_calendar_kept") == "NOT_APPLICABLE"  # no history yet
    assert status(first, "attest.security_review_calendar") == "PASS"
    assert status(later, "review_calendar_kept") == "PASS"
    assert status(later, "attest.security_review_calendar") == "NOT_APPLICABLE"


def test_html_trend_after_two_reviews(history: tuple[dict[str, str | None], Path]) -> None:
    _, tmp = history
    html = (tmp / "r2.html").read_text()
    assert '<svg id="trend"' in html
    assert html.count("<circle") == 2
