"""The current lens (sec01@2025) beside the seed's (sec01@2022): contents, risk rules,
which checks serve which practice in each, the diff between them, and picking a
version from the choices a WA Tool workload shows."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from wellsec.checks.practices import check_practices, checks_of
from wellsec.checks.runner import all_checks
from wellsec.errors import LensError
from wellsec.lens import QuestionRisk, RiskLevel, load_lens, load_lens_file, parse_lens
from wellsec.lens.diff import diff_lenses
from wellsec.lens.versions import lens_for_choices, newest, practice_labels, versions

CURRENT = {  # FACTS.md section 1: the 2025 text
    "SEC01-BP01": ("sec_securely_operate_multi_accounts", RiskLevel.HIGH),
    "SEC01-BP02": ("sec_securely_operate_aws_account", RiskLevel.HIGH),
    "SEC01-BP03": ("sec_securely_operate_control_objectives", RiskLevel.HIGH),
    "SEC01-BP04": ("sec_securely_operate_updated_threats", RiskLevel.HIGH),
    "SEC01-BP05": ("sec_securely_operate_reduce_management_scope", RiskLevel.MEDIUM),
    "SEC01-BP06": ("sec_securely_operate_automate_security_controls", RiskLevel.MEDIUM),
    "SEC01-BP07": ("sec_securely_operate_threat_model", RiskLevel.HIGH),
    "SEC01-BP08": ("sec_securely_operate_implement_services_features", RiskLevel.LOW),
}
RESHAPED = {
    "SEC01-BP04": "Stay up to date with security threats and recommendations",
    "SEC01-BP05": "Reduce security management scope",
    "SEC01-BP06": "Automate deployment of standard security controls",
}


def _question(data: dict[str, Any]) -> dict[str, Any]:
    question: dict[str, Any] = data["pillars"][0]["questions"][0]
    return question


def test_current_lens_has_the_current_practices() -> None:
    lens = load_lens("sec01@2025")
    seed = load_lens("sec01@2022")
    assert lens.key == "sec01@2025"
    assert lens.wa_question_id == seed.wa_question_id == "securely-operate"
    assert {bp.id: (bp.choice_id, bp.risk_if_missing) for bp in lens.best_practices} == CURRENT
    for bp in lens.best_practices:
        expected = RESHAPED.get(bp.id, seed.practice(bp.id).title)
        assert bp.title == expected
        assert bp.items and all(item.text for item in bp.items)
        assert bp.checks, f"{bp.id} lists the checks that serve it"
    assert not any(bp.choice_id.endswith("_no") for bp in lens.best_practices)
    # the attestations of the merged practices carry over under the same ids
    assert [a.id for a in lens.practice("SEC01-BP04").attestations] == [
        "threat_intelligence_followed",
        "security_recommendations_followed",
    ]
    assert load_lens("2025") == lens  # a bare version names the built-in lens


def test_current_risk_rules() -> None:
    lens = load_lens("sec01@2025")
    every = frozenset(choice for choice, _ in CURRENT.values())

    def without(*practices: str) -> frozenset[str]:
        return every - {CURRENT[p][0] for p in practices}

    assert lens.risk_for(every) is QuestionRisk.NONE
    assert lens.risk_for(without("SEC01-BP08")) is QuestionRisk.NONE
    assert lens.risk_for(without("SEC01-BP05")) is QuestionRisk.MEDIUM
    assert lens.risk_for(without("SEC01-BP06", "SEC01-BP08")) is QuestionRisk.MEDIUM
    assert lens.risk_for(without("SEC01-BP04")) is QuestionRisk.HIGH
    assert lens.risk_for(without("SEC01-BP05", "SEC01-BP07")) is QuestionRisk.HIGH
    assert lens.risk_for(frozenset()) is QuestionRisk.HIGH


def test_current_lens_exports_as_plain_wa_json(tmp_path: Path) -> None:
    exported = load_lens("sec01@2025").to_wa_json()
    text = json.dumps(exported)
    assert "x-wellsec" not in text and len(text.encode()) < 500 * 1024
    for choice in _question(exported)["choices"]:
        assert len(choice["id"]) <= 64
        assert len(choice["improvementPlan"]["displayText"]) <= 1024
        for extra in choice.get("additionalResources", []):
            assert len(extra["content"]) <= 5
    path = tmp_path / "current.json"
    path.write_text(text)
    plain = load_lens_file(path)  # what ImportLens gets: risks follow from the rules alone
    assert [(bp.choice_id, bp.risk_if_missing) for bp in plain.best_practices] == list(
        CURRENT.values()
    )


def test_each_version_maps_every_check_it_runs() -> None:
    seed, current = check_practices(load_lens("2022")), check_practices(load_lens("2025"))
    everything = {spec.id for spec in all_checks()}
    assert set(current) == everything  # the current lens files every check somewhere
    assert set(seed) == {s.id for s in all_checks() if s.best_practice is not None}
    # one check, one practice per version, and not always the same one
    assert seed["securityhub_enabled"] == "SEC01-BP05"
    assert current["securityhub_enabled"] == "SEC01-BP04"
    assert seed["guardduty_enabled"] == current["guardduty_enabled"] == "SEC01-BP04"
    assert checks_of(load_lens("2025"), "SEC01-BP05") == ["managed_services_share"]
    assert "standard_controls_deployed" in checks_of(load_lens("2025"), "SEC01-BP06")
    assert "managed_services_share" not in seed


def test_a_lens_cannot_give_a_check_two_practices_or_an_unknown_check() -> None:
    data = copy.deepcopy(load_lens("2025").source)
    choices = _question(data)["choices"]
    choices[1]["x-wellsec"]["checks"].append(choices[0]["x-wellsec"]["checks"][0])
    with pytest.raises(LensError, match="duplicate check id"):
        parse_lens(data, "twice.json")
    data = copy.deepcopy(load_lens("2025").source)
    _question(data)["choices"][0]["x-wellsec"]["checks"].append("no_such_check")
    lens = parse_lens(data, "unknown.json")
    with pytest.raises(LensError, match="no_such_check"):
        check_practices(lens)


def test_lens_diff_2022_to_2025() -> None:
    old, new = load_lens("2022"), load_lens("2025")
    diff = diff_lenses(old, new, check_practices(old), check_practices(new))
    assert diff.before == "sec01@2022" and diff.after == "sec01@2025"
    renamed = diff.of_kind("renamed")
    assert [(c.practice, c.after) for c in renamed] == [("SEC01-BP04", RESHAPED["SEC01-BP04"])]
    assert {c.practice for c in diff.of_kind("added")} == {"SEC01-BP05@2025", "SEC01-BP06@2025"}
    removed = {c.practice: c.note for c in diff.of_kind("removed")}
    assert set(removed) == {"SEC01-BP05@2022", "SEC01-BP06@2022"}
    assert "now serves SEC01-BP04" in removed["SEC01-BP05@2022"]
    choice_ids = {c.practice: (c.before, c.after, c.note) for c in diff.of_kind("choice_id")}
    assert choice_ids["SEC01-BP05"] == (
        "sec_securely_operate_updated_recommendations",
        "sec_securely_operate_reduce_management_scope",
        "risk if missing HIGH -> MEDIUM",
    )
    moved = {c.note: (c.before, c.after) for c in diff.of_kind("checks")}
    assert moved["securityhub_enabled"] == ("SEC01-BP05@2022", "SEC01-BP04")
    assert moved["managed_services_share"] == (None, "SEC01-BP05@2025")
    assert "guardduty_enabled" not in moved  # same practice in both
    attested = {c.note: c.after for c in diff.of_kind("attestation")}
    assert attested == {
        "security_recommendations_followed": "SEC01-BP04",
        "pipeline_security_testing": "SEC01-BP06@2025",
    }
    assert diff.rules_changed
    same = diff_lenses(new, new, check_practices(new), check_practices(new))
    assert same.changes == () and not same.rules_changed


def test_versions_and_the_version_a_workload_is_on() -> None:
    assert [lens.key for lens in versions("sec01")] == ["sec01@2022", "sec01@2025"]
    latest = newest("sec01")
    assert latest is not None and latest.key == "sec01@2025"
    assert newest("other") is None
    current = [choice for choice, _ in CURRENT.values()]
    assert lens_for_choices([*current, "sec_securely_operate_no"]).key == "sec01@2025"
    seed = [bp.choice_id for bp in load_lens("2022").best_practices]
    assert lens_for_choices(reversed(seed)).key == "sec01@2022"  # order does not matter
    # choices of the question's own beyond a version's do not matter; the newest wins
    assert lens_for_choices([*seed, "sec_other"]).key == "sec01@2022"
    assert lens_for_choices([*seed, *current]).key == "sec01@2025"
    with pytest.raises(LensError, match="sec01@2025 lacks sec_securely_operate_automate"):
        lens_for_choices([c for c in current if "automate" not in c])


def test_practice_labels_line_up_versions_by_choice_id() -> None:
    labels = practice_labels([load_lens("2025"), load_lens("2022")])
    assert labels[("sec01@2022", "SEC01-BP04")] == labels[("sec01@2025", "SEC01-BP04")]
    assert labels[("sec01@2022", "SEC01-BP05")] == "SEC01-BP05@2022"
    assert labels[("sec01@2025", "SEC01-BP05")] == "SEC01-BP05@2025"
    alone = practice_labels([load_lens("2022")])
    assert set(alone.values()) == {bp.id for bp in load_lens("2022").best_practices}


def test_validate_counts_the_checks_and_refuses_unknown_ones(tmp_path: Path) -> None:
    from wellsec.errors import InputError
    from wellsec.validate import validate

    builtin = Path(__file__).parents[2] / "src" / "wellsec" / "lens" / "data" / "sec01-2025.json"
    assert validate(builtin).endswith(
        f"({len(CURRENT)} best practices, {len(all_checks())} checks)"
    )
    data = copy.deepcopy(load_lens("2025").source)
    _question(data)["choices"][0]["x-wellsec"]["checks"].append("no_such_check")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(InputError, match=r"bad\.json: SEC01-BP01 lists check 'no_such_check'"):
        validate(bad)
