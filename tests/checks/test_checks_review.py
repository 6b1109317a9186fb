"""Review: aggregating findings, attestation expiry, and the question's risk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.attest.tc import export, write
from tests.checks.builders import (
    MEMBER,
    NOW,
    SECURITY,
    TODAY,
    account,
    context,
    every_attestation,
    lens,
    workload,
)
from tests.checks.builders_detection import protected
from tests.checks.builders_security import secured
from wellsec.checks.runner import attestation_findings
from wellsec.findings import Finding, Severity, Status
from wellsec.lens import QuestionRisk, RiskLevel
from wellsec.lens.model import BestPractice
from wellsec.review import PracticeResult, PracticeStatus, aggregate, evaluate, question_risk
from wellsec.snapshot import Snapshot
from wellsec.workload import Attestation

P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE

# --- aggregate ------------------------------------------------------------------------------


def _finding(status: Status, severity: Severity = Severity.MEDIUM) -> Finding:
    return Finding(
        check="some_check",
        best_practice="SEC01-BP01",
        status=status,
        severity=severity,
        account=MEMBER,
        region=None,
        resource=f"arn:aws:::{MEMBER}",
        message="",
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        pytest.param([P, P], PracticeStatus.MET, id="all-pass"),
        pytest.param([P, U, F], PracticeStatus.NOT_MET, id="fail-beats-unknown"),
        pytest.param([F, P], PracticeStatus.NOT_MET, id="fail-beats-pass"),
        pytest.param([P, U], PracticeStatus.UNKNOWN, id="unknown-beats-pass"),
        pytest.param([P, NA], PracticeStatus.MET, id="pass-beats-not-applicable"),
        pytest.param([U, NA], PracticeStatus.UNKNOWN, id="unknown-beats-not-applicable"),
        pytest.param([NA, NA], PracticeStatus.NOT_APPLICABLE, id="all-not-applicable"),
        pytest.param([], PracticeStatus.NOT_MET, id="no-findings"),
    ],
)
def test_aggregate_order(statuses: list[Status], expected: PracticeStatus) -> None:
    assert aggregate(_finding(s) for s in statuses) is expected


@pytest.mark.parametrize("severity", [s for s in Severity if s is not Severity.INFORMATIONAL])
def test_every_deciding_severity_fail_decides(severity: Severity) -> None:
    assert aggregate([_finding(P), _finding(F, severity)]) is PracticeStatus.NOT_MET


def test_informational_fail_does_not_decide() -> None:
    findings = [_finding(P), _finding(F, Severity.INFORMATIONAL)]
    assert aggregate(findings) is PracticeStatus.MET


def test_informational_unknown_does_not_decide() -> None:
    findings = [_finding(NA), _finding(U, Severity.INFORMATIONAL)]
    assert aggregate(findings) is PracticeStatus.NOT_APPLICABLE


# --- attestations ---------------------------------------------------------------------------


def _attestation_finding(*attestations: Attestation, spec_id: str) -> Finding:
    ctx = context(Snapshot(NOW, MEMBER, []), workload(attestations=list(attestations)))
    (finding,) = [f for f in attestation_findings(ctx, lens()) if f.check == f"attest.{spec_id}"]
    return finding


def _max_age(spec_id: str) -> int:
    return next(
        a.max_age_days for bp in lens().best_practices for a in bp.attestations if a.id == spec_id
    )


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


SPEC = "threat_intelligence_followed"  # max age 180 days in the built-in lens


def test_valid_attestation_passes_with_who_when_and_evidence() -> None:
    att = Attestation(id=SPEC, by="secops@example.com", date=_days_ago(10), evidence="wiki/ti")
    finding = _attestation_finding(att, spec_id=SPEC)
    until = _days_ago(10) + dt.timedelta(days=_max_age(SPEC))
    assert finding.status is Status.PASS
    assert finding.message == (
        f"attested by secops@example.com on {_days_ago(10)}, valid until {until}; evidence: wiki/ti"
    )
    assert finding.best_practice == "SEC01-BP04"
    assert finding.account is None
    assert finding.resource == f"workload/payments/attestation/{SPEC}"


def test_attestation_is_valid_through_its_last_day() -> None:
    att = Attestation(id=SPEC, by="secops", date=_days_ago(_max_age(SPEC)))
    assert _attestation_finding(att, spec_id=SPEC).status is Status.PASS


def test_attestation_older_than_max_age_expires() -> None:
    att = Attestation(id=SPEC, by="secops", date=_days_ago(_max_age(SPEC) + 1))
    finding = _attestation_finding(att, spec_id=SPEC)
    assert finding.status is Status.FAIL
    assert finding.message == f"attestation by secops expired on {_days_ago(1)}"


def test_explicit_expires_ends_an_attestation_early() -> None:
    att = Attestation(id=SPEC, by="secops", date=_days_ago(10), expires=_days_ago(1))
    finding = _attestation_finding(att, spec_id=SPEC)
    assert finding.status is Status.FAIL
    assert f"expired on {_days_ago(1)}" in finding.message


def test_explicit_expires_replaces_the_max_age() -> None:
    att = Attestation(id=SPEC, by="secops", date=_days_ago(400), expires=TODAY)
    finding = _attestation_finding(att, spec_id=SPEC)
    assert finding.status is Status.PASS
    assert f"valid until {TODAY}" in finding.message


def test_future_dated_attestation_fails() -> None:
    att = Attestation(id=SPEC, by="secops", date=TODAY + dt.timedelta(days=1))
    finding = _attestation_finding(att, spec_id=SPEC)
    assert finding.status is Status.FAIL
    assert finding.message == f"dated in the future ({TODAY + dt.timedelta(days=1)})"


def test_missing_attestation_is_not_yet_answered() -> None:
    finding = _attestation_finding(spec_id=SPEC)
    assert finding.status is Status.FAIL
    assert finding.message.startswith("not yet answered")
    statement = next(
        a.statement for bp in lens().best_practices for a in bp.attestations if a.id == SPEC
    )
    assert finding.message == f"not yet answered: {statement}"


def test_the_newest_attestation_counts() -> None:
    old = Attestation(id=SPEC, by="old", date=_days_ago(300))
    new = Attestation(id=SPEC, by="new", date=_days_ago(5))
    finding = _attestation_finding(new, old, spec_id=SPEC)
    assert finding.status is Status.PASS
    assert "attested by new" in finding.message


def test_one_finding_per_attestation_the_lens_asks_for() -> None:
    ctx = context(Snapshot(NOW, MEMBER, []), workload())
    expected = sorted(f"attest.{a.id}" for bp in lens().best_practices for a in bp.attestations)
    assert sorted(f.check for f in attestation_findings(ctx, lens())) == expected


# --- question_risk --------------------------------------------------------------------------


def _results(default: PracticeStatus, **overrides: PracticeStatus) -> list[PracticeResult]:
    return [
        PracticeResult(bp, overrides.get(bp.id.replace("-", "_"), default), {}, "", "automated")
        for bp in lens().best_practices
    ]


def _practice(risk: RiskLevel) -> BestPractice:
    return next(bp for bp in lens().best_practices if bp.risk_if_missing is risk)


def _key(bp: BestPractice) -> str:
    return bp.id.replace("-", "_")


MET, NOT_MET = PracticeStatus.MET, PracticeStatus.NOT_MET


def test_all_met_is_no_risk() -> None:
    assert question_risk(lens(), _results(MET)) is QuestionRisk.NONE


@pytest.mark.parametrize("missing", [NOT_MET, PracticeStatus.UNKNOWN])
@pytest.mark.parametrize(
    ("risk", "expected"),
    [
        (RiskLevel.HIGH, QuestionRisk.HIGH),
        (RiskLevel.MEDIUM, QuestionRisk.MEDIUM),
        (RiskLevel.LOW, QuestionRisk.NONE),
    ],
)
def test_one_practice_missing_gives_its_risk(
    risk: RiskLevel, expected: QuestionRisk, missing: PracticeStatus
) -> None:
    results = _results(MET, **{_key(_practice(risk)): missing})
    assert question_risk(lens(), results) is expected


def test_high_outweighs_medium() -> None:
    results = _results(
        MET,
        **{_key(_practice(RiskLevel.HIGH)): NOT_MET, _key(_practice(RiskLevel.MEDIUM)): NOT_MET},
    )
    assert question_risk(lens(), results) is QuestionRisk.HIGH


def test_not_applicable_practices_count_as_met() -> None:
    results = _results(PracticeStatus.NOT_APPLICABLE, **{_key(_practice(RiskLevel.HIGH)): MET})
    assert question_risk(lens(), results) is QuestionRisk.NONE


def test_all_not_applicable_is_not_applicable() -> None:
    results = _results(PracticeStatus.NOT_APPLICABLE)
    assert question_risk(lens(), results) is QuestionRisk.NOT_APPLICABLE


def test_all_unknown_is_unanswered() -> None:
    assert question_risk(lens(), _results(PracticeStatus.UNKNOWN)) is QuestionRisk.UNANSWERED


def test_the_built_in_lens_has_practices_of_every_risk_level() -> None:
    assert {bp.risk_if_missing for bp in lens().best_practices} == set(RiskLevel)


# --- evaluate, end to end -------------------------------------------------------------------


def test_healthy_organization_with_current_attestations_has_no_risk(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    model = str(write(tmp_path, export()))  # a complete threat model (SEC01-BP07)
    wl = workload(
        attestations=every_attestation(), threat_model=[model], compliance=["cis", "pci-dss"]
    )
    snapshot = protected(secured(snapshot))  # healthy BP03-BP06 and BP08 evidence too
    review = evaluate(snapshot, wl, lens(), now=NOW)
    assert [f for f in review.findings if f.status.value in {"FAIL", "UNKNOWN"}] == []
    assert review.risk is QuestionRisk.NONE
    assert review.complete
    assert review.plan == ()
    assert {r.status for r in review.practices} == {PracticeStatus.MET}


def test_unanswered_attestations_make_the_risk_high(snapshot: Snapshot) -> None:
    review = evaluate(snapshot, workload(), lens(), now=NOW)
    assert review.risk is QuestionRisk.HIGH
    by_id = {r.practice.id: r for r in review.practices}
    assert by_id["SEC01-BP01"].status is PracticeStatus.MET
    assert by_id["SEC01-BP03"].status is PracticeStatus.NOT_MET
    assert by_id["SEC01-BP03"].note == "not yet answered"


def test_an_unknown_check_leaves_the_practice_unknown_and_the_review_incomplete(
    snapshot: Snapshot,
) -> None:
    del account(snapshot, MEMBER).evidence["iam.root_credentials"]  # never collected
    review = evaluate(snapshot, workload(attestations=every_attestation()), lens(), now=NOW)
    by_id = {r.practice.id: r for r in review.practices}
    assert by_id["SEC01-BP02"].status is PracticeStatus.UNKNOWN
    assert by_id["SEC01-BP02"].accounts == {
        MEMBER: PracticeStatus.UNKNOWN,
        SECURITY: PracticeStatus.MET,
    }
    assert not review.complete
    assert review.risk is QuestionRisk.HIGH  # UNKNOWN counts as not met
