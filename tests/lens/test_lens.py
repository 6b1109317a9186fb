"""The lens loader, validator and risk rules."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from wellsec.errors import LensError
from wellsec.lens import QuestionRisk, RiskLevel, load_lens, load_lens_file, parse_lens
from wellsec.lens.rules import ConditionError, parse_condition

SEED_CHOICES = {
    "SEC01-BP01": ("sec_securely_operate_multi_accounts", RiskLevel.HIGH),
    "SEC01-BP02": ("sec_securely_operate_aws_account", RiskLevel.HIGH),
    "SEC01-BP03": ("sec_securely_operate_control_objectives", RiskLevel.HIGH),
    "SEC01-BP04": ("sec_securely_operate_updated_threats", RiskLevel.HIGH),
    "SEC01-BP05": ("sec_securely_operate_updated_recommendations", RiskLevel.HIGH),
    "SEC01-BP06": ("sec_securely_operate_test_validate_pipeline", RiskLevel.MEDIUM),
    "SEC01-BP07": ("sec_securely_operate_threat_model", RiskLevel.HIGH),
    "SEC01-BP08": ("sec_securely_operate_implement_services_features", RiskLevel.LOW),
}


@pytest.fixture()
def raw() -> dict[str, Any]:
    return copy.deepcopy(load_lens().source)


def _question(data: dict[str, Any]) -> dict[str, Any]:
    question: dict[str, Any] = data["pillars"][0]["questions"][0]
    return question


def test_builtin_lens_matches_the_seed() -> None:
    lens = load_lens("sec01@2022")
    assert lens.key == "sec01@2022"
    assert lens.wa_question_id == "securely-operate"
    got = {bp.id: (bp.choice_id, bp.risk_if_missing) for bp in lens.best_practices}
    assert got == SEED_CHOICES
    bp02 = lens.practice("SEC01-BP02")
    titles = [item.title for item in bp02.items]
    assert "Enable MFA for the root user" in titles
    assert "Restrict access to newly added Regions" in titles
    assert all(item.text for bp in lens.best_practices for item in bp.items)


def test_risk_rules_follow_the_wa_tool_default() -> None:
    lens = load_lens()
    every = frozenset(bp.choice_id for bp in lens.best_practices)
    assert lens.risk_for(every) is QuestionRisk.NONE
    assert lens.risk_for(every - {SEED_CHOICES["SEC01-BP08"][0]}) is QuestionRisk.NONE
    assert lens.risk_for(every - {SEED_CHOICES["SEC01-BP06"][0]}) is QuestionRisk.MEDIUM
    assert lens.risk_for(every - {SEED_CHOICES["SEC01-BP01"][0]}) is QuestionRisk.HIGH
    assert lens.risk_for(frozenset()) is QuestionRisk.HIGH


def test_export_is_plain_wa_json(tmp_path: Path) -> None:
    exported = load_lens().to_wa_json()
    text = json.dumps(exported)
    assert "x-wellsec" not in text
    assert exported["schemaVersion"] == "2021-11-01"
    for choice in _question(exported)["choices"]:
        assert len(choice["id"]) <= 64
        assert len(choice["improvementPlan"]["displayText"]) <= 1024
    assert len(text.encode()) < 500 * 1024
    # A plain custom lens (no extension) loads too, with risks derived from its rules.
    path = tmp_path / "lens.json"
    path.write_text(text)
    plain = load_lens_file(path)
    assert [bp.risk_if_missing for bp in plain.best_practices] == [
        r for _, r in SEED_CHOICES.values()
    ]


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda d: d.pop("schemaVersion"), "schemaVersion"),
        (lambda d: d.update(schemaVersion="2020-01-01"), "schemaVersion"),
        (lambda d: _question(d)["choices"][0].update(id="bad id!"), "choices[0].id"),
        (
            lambda d: _question(d)["choices"][1].update(id=_question(d)["choices"][0]["id"]),
            "duplicate",
        ),
        (lambda d: _question(d)["choices"][0].pop("improvementPlan"), "improvementPlan"),
        (
            lambda d: _question(d)["choices"][0]["improvementPlan"].update(displayText="x" * 1025),
            "displayText",
        ),
        (lambda d: _question(d).update(riskRules=[]), "riskRules"),
        (
            lambda d: _question(d)["riskRules"].pop(),
            "no 'default' risk rule",
        ),
        (
            lambda d: _question(d)["riskRules"][0].update(condition="a && && b"),
            "does not parse",
        ),
        (
            lambda d: _question(d)["riskRules"][0].update(condition="no_such_choice"),
            "unknown choice",
        ),
        (lambda d: _question(d)["riskRules"][0].update(risk="SOME_RISK"), "risk"),
        (lambda d: _question(d)["choices"][0]["x-wellsec"].update(risk="LOW"), "disagrees"),
        (lambda d: _question(d).update(unexpected=1), "unexpected"),
        (
            lambda d: _question(d)["choices"][0]["additionalResources"][0]["content"].extend(
                [{"displayText": "x", "url": "https://example.com"}] * 5
            ),
            "content",
        ),
    ],
)
def test_broken_lenses_are_refused_with_the_place(
    raw: dict[str, Any], mutate: Any, problem: str
) -> None:
    mutate(raw)
    with pytest.raises(LensError) as info:
        parse_lens(raw, "broken.json")
    message = str(info.value)
    assert message.startswith("broken.json")
    assert problem in message
    assert "\n" not in message


def test_unreadable_and_non_json_lens_files(tmp_path: Path) -> None:
    with pytest.raises(LensError, match="cannot read"):
        load_lens_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    with pytest.raises(LensError, match=r"bad\.json: line 1: not valid JSON"):
        load_lens_file(bad)
    with pytest.raises(LensError, match="no built-in lens"):
        load_lens("sec01@1999")


@pytest.mark.parametrize(
    ("condition", "selected", "expected"),
    [
        ("a && b", {"a", "b"}, True),
        ("a && b", {"a"}, False),
        ("a || b", {"b"}, True),
        ("!a", set(), True),
        ("a && (b || !c)", {"a", "c"}, False),
        ("a && (b || !c)", {"a"}, True),
        ("default", set(), True),
    ],
)
def test_conditions_evaluate(condition: str, selected: set[str], expected: bool) -> None:
    assert parse_condition(condition).evaluate(frozenset(selected)) is expected


@pytest.mark.parametrize("condition", ["", "a &&", "(a", "a b", "a && default", "a & b", ")"])
def test_malformed_conditions(condition: str) -> None:
    with pytest.raises(ConditionError):
        parse_condition(condition)
