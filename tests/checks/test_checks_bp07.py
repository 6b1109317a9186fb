"""SEC01-BP07 threat-model checks through the runner: PASS, FAIL, UNKNOWN, NOT_APPLICABLE."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.attest.tc import commit, export, link, needs_git, threat, write
from tests.checks.builders import NOW, TODAY, OrgBuilder, every_attestation, lens, workload
from wellsec.attest.threat_model import load_reports
from wellsec.checks.registry import CheckContext, checks
from wellsec.checks.runner import run_checks
from wellsec.findings import Finding, Scope, Severity, Status
from wellsec.review import PracticeStatus, evaluate
from wellsec.workload import Attestation, Workload

BP = "SEC01-BP07"
PRESENT, COMPLETE, CURRENT = "threat_model_present", "threat_model_complete", "threat_model_current"
P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE


def attested(days_ago: int, **changes: Any) -> Attestation:
    fields: dict[str, Any] = {
        "id": "threat_model_maintained",
        "by": "app-owner@example.com",
        "date": TODAY - dt.timedelta(days=days_ago),
    }
    fields.update(changes)
    return Attestation(**fields)


def bp07(wl: Workload, *, read: bool = True) -> list[Finding]:
    """BP07's check findings (not the attestation's), the threat models read as evaluate does."""
    ctx = CheckContext(
        snapshot=OrgBuilder.standard().build(),
        workload=wl,
        now=NOW,
        threat_models=load_reports(list(wl.threat_model), NOW) if read else (),
    )
    findings = run_checks(ctx, lens())
    return [f for f in findings if f.best_practice == BP and not f.check.startswith("attest.")]


def one(findings: list[Finding], check: str) -> Finding:
    mine = [f for f in findings if f.check == check]
    assert len(mine) == 1, mine
    return mine[0]


def statuses(findings: list[Finding]) -> dict[str, list[Status]]:
    out: dict[str, list[Status]] = {}
    for f in findings:
        out.setdefault(f.check, []).append(f.status)
    return out


@pytest.fixture
def model(tmp_path: Path) -> Path:
    """A complete export, outside any git repository."""
    return write(tmp_path, export())


# --- metadata and filing --------------------------------------------------------------------


def test_the_checks_are_workload_checks_of_local_documents() -> None:
    specs = [checks.get(c) for c in (PRESENT, COMPLETE, CURRENT)]
    assert {s.best_practice for s in specs} == {BP}
    assert {s.scope for s in specs} == {Scope.WORKLOAD}
    assert [s.severity for s in specs] == [Severity.HIGH, Severity.MEDIUM, Severity.MEDIUM]
    assert all(s.evidence == ("threat_model",) and s.iam_actions == () for s in specs)


def test_findings_are_filed_under_the_workload_not_an_account(model: Path) -> None:
    findings = bp07(workload(threat_model=[str(model)], attestations=[attested(1)]))
    assert {(f.account, f.region) for f in findings} == {(None, None)}
    assert {f.resource for f in findings} == {str(model)}


# --- PASS -----------------------------------------------------------------------------------


@needs_git
def test_a_complete_model_committed_recently_passes_everything(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    commit(tmp_path, path, NOW - dt.timedelta(days=12))
    findings = bp07(workload(threat_model=[str(path)]))
    assert statuses(findings) == {PRESENT: [P], COMPLETE: [P], CURRENT: [P]}
    assert one(findings, PRESENT).message == "Threat Composer export 'payments' with 3 threats"
    assert one(findings, COMPLETE).message == (
        "every threat prioritised and STRIDE-tagged, every open threat mitigated, no dangling "
        "links; 3 threats (1 High, 1 Medium, 1 Low); 2 open; 1 of 2 mitigations resolved (50%)"
    )
    assert one(findings, CURRENT).message == (
        f"last commit {TODAY - dt.timedelta(days=12)}, 12 days ago, within the 180-day "
        "review cadence"
    )


def test_the_practice_is_met_with_a_complete_model_and_a_current_attestation(
    model: Path,
) -> None:
    wl = workload(threat_model=[str(model)], attestations=every_attestation())
    review = evaluate(OrgBuilder.standard().build(), wl, lens(), now=NOW)
    result = next(r for r in review.practices if r.practice.id == BP)
    assert result.status is PracticeStatus.MET
    assert result.assessment == "partly automated"
    assert set(result.accounts.values()) == {PracticeStatus.MET}


# --- FAIL -----------------------------------------------------------------------------------


def test_no_threat_model_declared_fails_and_the_rest_does_not_apply() -> None:
    findings = bp07(workload(attestations=[attested(1)]))
    assert statuses(findings) == {PRESENT: [F], COMPLETE: [NA], CURRENT: [NA]}
    assert one(findings, PRESENT).message == (
        "no threat model declared in wellsec.yaml (threat_model:)"
    )
    assert one(findings, PRESENT).resource == "workload/payments/threat_model"


def test_a_declared_file_that_is_absent_fails(tmp_path: Path) -> None:
    gone = tmp_path / "gone.tc.json"
    findings = bp07(workload(threat_model=[str(gone)], attestations=[attested(1)]))
    assert statuses(findings) == {PRESENT: [F], COMPLETE: [NA], CURRENT: [NA]}
    assert one(findings, PRESENT).message == f"declared threat model not found: {gone}"
    assert "no valid Threat Composer export" in one(findings, COMPLETE).message


def test_a_broken_export_fails_with_the_file_and_the_place(tmp_path: Path) -> None:
    doc = export()
    doc["threats"][1]["metadata"][0]["value"] = "Urgent"
    path = write(tmp_path, doc)
    findings = bp07(workload(threat_model=[str(path)], attestations=[attested(1)]))
    assert statuses(findings) == {PRESENT: [F], COMPLETE: [NA], CURRENT: [P]}
    assert one(findings, PRESENT).message == (
        f"invalid Threat Composer export: {path}: threats[1].metadata[0].value: "
        'Priority must be High, Medium or Low, not "Urgent"'
    )


def test_an_incomplete_model_fails_with_the_figures(tmp_path: Path) -> None:
    doc = export()
    doc["threats"] += [threat(4, "High", ["T"]), threat(5, None, ["R"]), threat(6, "Low", [])]
    doc["mitigationLinks"] += [link(1, 5), link(1, 6)]
    path = write(tmp_path, doc)
    finding = one(bp07(workload(threat_model=[str(path)])), COMPLETE)
    assert finding.status is F
    assert finding.message == (
        "1 open threat (T4) without a mitigation, 1 of them High; "
        "1 threat (T5) without a Priority; 1 threat (T6) without STRIDE categories; "
        "6 threats (2 High, 1 Medium, 2 Low, 1 unset); 5 open; "
        "1 of 2 mitigations resolved (50%)"
    )


def test_long_lists_of_threats_are_shortened(tmp_path: Path) -> None:
    doc = export()
    doc["threats"] += [threat(n, "Low", []) for n in range(4, 12)]
    doc["mitigationLinks"] += [link(1, n) for n in range(4, 12)]
    path = write(tmp_path, doc)
    finding = one(bp07(workload(threat_model=[str(path)])), COMPLETE)
    assert finding.message.startswith(
        "8 threats (T4, T5, T6, T7, T8 and 3 more) without STRIDE categories; "
    )


def test_dangling_links_fail(tmp_path: Path) -> None:
    doc = export()
    doc["mitigationLinks"].append(link(7, 1))
    path = write(tmp_path, doc)
    finding = one(bp07(workload(threat_model=[str(path)])), COMPLETE)
    assert finding.status is F
    assert finding.message.startswith("1 dangling link (mitigationLinks[2].mitigationId); ")


def test_a_model_without_threats_fails(tmp_path: Path) -> None:
    path = write(tmp_path, {"schema": 1, "applicationInfo": {"name": "empty"}})
    finding = one(bp07(workload(threat_model=[str(path)])), COMPLETE)
    assert finding.status is F
    assert finding.message == (
        "no threats; 0 threats (0 High, 0 Medium, 0 Low); 0 open; no mitigations"
    )


@needs_git
def test_a_model_last_committed_before_the_cadence_fails_with_the_date(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    commit(tmp_path, path, NOW - dt.timedelta(days=200))
    # A fresh attestation does not override the file's own history.
    findings = bp07(workload(threat_model=[str(path)], attestations=[attested(1)]))
    finding = one(findings, CURRENT)
    assert finding.status is F
    assert finding.message == (
        f"last commit {TODAY - dt.timedelta(days=200)}, 200 days ago; "
        "the review cadence is 180 days"
    )


@needs_git
@pytest.mark.parametrize(("days", "status"), [(90, P), (91, F)])
def test_the_cadence_is_the_workloads(tmp_path: Path, days: int, status: Status) -> None:
    path = write(tmp_path, export())
    commit(tmp_path, path, NOW - dt.timedelta(days=days))
    wl = workload(threat_model=[str(path)], review_cadence_days=90)
    assert one(bp07(wl), CURRENT).status is status


@needs_git
def test_a_commit_dated_in_the_future_fails(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    commit(tmp_path, path, NOW + dt.timedelta(days=3))
    finding = one(bp07(workload(threat_model=[str(path)])), CURRENT)
    assert finding.status is F
    assert finding.message.endswith("dated in the future")


# --- currency without git: the attestation --------------------------------------------------


def test_without_git_history_a_recent_attestation_dates_the_model(model: Path) -> None:
    finding = one(bp07(workload(threat_model=[str(model)], attestations=[attested(30)])), CURRENT)
    assert finding.status is P
    assert finding.message == (
        "not in a git repository; threat_model_maintained attested by app-owner@example.com "
        f"on {TODAY - dt.timedelta(days=30)}, 30 days ago, within the 180-day review cadence"
    )


def test_without_git_history_an_old_attestation_fails(model: Path) -> None:
    finding = one(bp07(workload(threat_model=[str(model)], attestations=[attested(400)])), CURRENT)
    assert finding.status is F
    assert finding.message.endswith("400 days ago; the review cadence is 180 days")


def test_without_git_history_a_future_attestation_fails(model: Path) -> None:
    wl = workload(threat_model=[str(model)], attestations=[attested(-2)])
    assert one(bp07(wl), CURRENT).status is F


def test_without_git_history_or_attestation_the_date_is_unknown(model: Path) -> None:
    finding = one(bp07(workload(threat_model=[str(model)])), CURRENT)
    assert finding.status is U
    assert finding.message == (
        f"cannot tell when {model} last changed (not in a git repository), and there is no "
        "threat_model_maintained attestation"
    )


# --- other documents and URLs ---------------------------------------------------------------


def test_another_document_is_present_but_its_completeness_is_not_assessed(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "# Payments threat model\n", "threat-model.md")
    findings = bp07(workload(threat_model=[str(path)], attestations=[attested(10)]))
    assert statuses(findings) == {PRESENT: [P], COMPLETE: [NA], CURRENT: [P]}
    assert "its contents are not assessed" in one(findings, PRESENT).message
    assert "Threat Composer exports (*.tc.json) only" in one(findings, COMPLETE).message


URL = "https://wiki.example.com/payments/threat-model"


def test_a_url_relies_on_the_attestation() -> None:
    findings = bp07(workload(threat_model=[URL], attestations=[attested(10)]))
    assert statuses(findings) == {PRESENT: [P], COMPLETE: [NA], CURRENT: [P]}
    assert one(findings, PRESENT).message == (
        f"{URL} cannot be checked offline; relying on the threat_model_maintained attestation "
        f"by app-owner@example.com on {TODAY - dt.timedelta(days=10)}"
    )
    assert one(findings, CURRENT).message.startswith("a URL cannot be checked offline; ")


@pytest.mark.parametrize(
    "attestations",
    [
        pytest.param([], id="none"),
        pytest.param([attested(-1)], id="future"),
        pytest.param([attested(30, expires=TODAY - dt.timedelta(days=1))], id="expired"),
    ],
)
def test_a_url_without_a_valid_attestation_is_unknown(attestations: list[Attestation]) -> None:
    finding = one(bp07(workload(threat_model=[URL], attestations=attestations)), PRESENT)
    assert finding.status is U
    assert "cannot be checked offline, and no valid threat_model_maintained" in finding.message


# --- UNKNOWN --------------------------------------------------------------------------------


def test_a_file_that_cannot_be_read_is_unknown(tmp_path: Path) -> None:
    loop = tmp_path / "loop.tc.json"
    loop.symlink_to(loop)
    finding = one(bp07(workload(threat_model=[str(loop)], attestations=[attested(1)])), PRESENT)
    assert finding.status is U
    assert finding.message.startswith(f"threat model exists but {loop}: cannot read: ")


def test_threat_models_not_read_are_unknown_never_pass(model: Path) -> None:
    findings = bp07(workload(threat_model=[str(model)], attestations=[attested(1)]), read=False)
    assert statuses(findings) == {PRESENT: [U], COMPLETE: [U], CURRENT: [U]}
    assert one(findings, PRESENT).message == f"{model} was not read at evaluation time"


# --- several documents ----------------------------------------------------------------------


def test_one_verdict_per_declared_document(tmp_path: Path) -> None:
    good = write(tmp_path, export())
    doc = export()
    doc["mitigationLinks"] = []
    gappy = write(tmp_path, doc, "other.tc.json")
    notes = write(tmp_path, "notes", "threat-model.md")
    wl = workload(threat_model=[str(good), str(gappy), str(notes)], attestations=[attested(5)])
    findings = bp07(wl)
    assert statuses(findings) == {PRESENT: [P, P, P], COMPLETE: [P, F], CURRENT: [P, P, P]}
    assert [f.resource for f in findings if f.check == COMPLETE] == [str(good), str(gappy)]
    review = evaluate(OrgBuilder.standard().build(), wl, lens(), now=NOW)
    result = next(r for r in review.practices if r.practice.id == BP)
    assert result.status is PracticeStatus.NOT_MET
    assert result.note == "1 failing"
