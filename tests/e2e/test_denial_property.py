"""Denying any one operation the scan uses never produces a PASS it did not see.

For every operation a full review sends, the review is run again with that
operation denied everywhere: each finding must keep its verdict or become
UNKNOWN (a FAIL may also stay FAIL when other evidence proves it), and the
review must say it is incomplete.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Demo, Run

Key = tuple[str, str, str, str]


def _verdicts(run: Run) -> dict[Key, str]:
    assert run.report is not None
    return {
        (f["check"], f["account"] or "", f["region"] or "", f["resource"]): f["status"]
        for f in run.report["findings"]
    }


def _same_place(before: dict[Key, str], key: Key) -> str | None:
    """The old verdict of the one finding of the same check, account and region."""
    matches = [v for k, v in before.items() if k[:3] == key[:3]]
    return matches[0] if len(matches) == 1 else None


@pytest.fixture(scope="module")
def baseline(demo: Demo) -> tuple[dict[Key, str], list[str]]:
    demo.emulator.reset_counters()
    run = demo.review("--no-store")  # the same (absent) review history in every run
    assert run.exit_code in (0, 4)
    operations = sorted(demo.emulator.operations_seen() - {"sts:GetCallerIdentity"})
    assert len(operations) >= 15, operations
    return _verdicts(run), operations


def test_every_operation_is_exercised(baseline: tuple[dict[Key, str], list[str]]) -> None:
    _, operations = baseline
    for expected in (
        "iam:GetAccountSummary",
        "iam:GetCredentialReport",
        "organizations:ListPolicies",
        "cloudtrail:GetTrailStatus",
        "events:ListRules",
        "account:GetAlternateContact",
        "sts:AssumeRole",
    ):
        assert expected in operations


@pytest.mark.timeout(1800)
def test_denying_any_operation_never_invents_a_pass(
    demo: Demo, baseline: tuple[dict[Key, str], list[str]]
) -> None:
    before, operations = baseline
    problems: list[str] = []
    for operation in operations:
        demo.emulator.clear_faults()
        demo.emulator.deny(operation)
        run = demo.review("--no-store")
        if run.exit_code not in (0, 3, 4):
            problems.append(f"{operation}: exit {run.exit_code}: {run.stderr[-300:]}")
            continue
        if run.report is None:
            continue
        after = _verdicts(run)
        changed = {k for k, v in after.items() if before.get(k) != v}
        if changed and run.report["complete"]:
            problems.append(f"{operation}: verdicts changed, yet the review says it is complete")
        for key, status in after.items():
            old = before.get(key, _same_place(before, key))
            if status == "PASS" and old != "PASS":
                problems.append(f"{operation}: {key} became PASS (was {old})")
            elif old is not None and status != old and status != "UNKNOWN":
                problems.append(f"{operation}: {key} went {old} -> {status}")
    demo.emulator.clear_faults()
    assert not problems, "\n".join(problems)
