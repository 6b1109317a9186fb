"""What every registered check declares about itself: practice, metadata, evidence, IAM."""

from __future__ import annotations

import re

import pytest

import wellsec.collect.scan  # noqa: F401  (registers every collector)
from tests.checks.builders import lens
from wellsec.checks.practices import check_practices
from wellsec.checks.registry import CheckSpec
from wellsec.checks.runner import all_checks
from wellsec.collect.registry import collectors
from wellsec.findings import Scope, Severity
from wellsec.lens import load_lens
from wellsec.lens.loader import BUILTIN
from wellsec.permissions import required_actions

IAM_ACTION = re.compile(r"^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$")
CHECKS = {spec.id: spec for spec in all_checks()}
# Check id -> practice, for every built-in lens version.
SERVES = {key: check_practices(load_lens(key)) for key in BUILTIN}
# Evidence read from the workload's own documents at evaluation time, not from AWS:
# no collector produces it and reading it needs no IAM action.
LOCAL_EVIDENCE = {"threat_model", "review_history"}  # read from files and the store, not AWS


def _evidence_params() -> list[object]:
    params: list[object] = []
    for spec in all_checks():
        for key in (k for k in spec.evidence if k not in LOCAL_EVIDENCE):
            params.append(pytest.param(spec.id, key, id=f"{spec.id}-{key}"))
    return params


def test_there_are_checks_and_ids_are_unique() -> None:
    assert len(CHECKS) == len(all_checks()) > 0


@pytest.mark.parametrize("spec", all_checks(), ids=lambda s: s.id)
def test_check_declares_its_metadata(spec: CheckSpec) -> None:
    assert re.fullmatch(r"[a-z0-9_]+", spec.id)
    # A check declares its practice in the seed lens, or none when that lens has no place
    # for it; either way some built-in lens version files it under a practice.
    if spec.best_practice is not None:
        assert spec.best_practice in {bp.id for bp in lens().best_practices}
    assert [key for key, served in SERVES.items() if spec.id in served], "serves no practice"
    assert spec.title.strip()
    assert spec.remediation.strip()
    assert isinstance(spec.scope, Scope)
    assert isinstance(spec.severity, Severity)
    assert spec.evidence, "a check reads some evidence"
    if set(spec.evidence) <= LOCAL_EVIDENCE:
        assert spec.iam_actions == (), "reading local documents needs no IAM action"
    else:
        assert spec.iam_actions, "a check of AWS evidence needs some IAM action"
    assert len(set(spec.iam_actions)) == len(spec.iam_actions), "duplicate IAM actions"


@pytest.mark.parametrize("spec", all_checks(), ids=lambda s: s.id)
def test_iam_actions_look_like_service_operation(spec: CheckSpec) -> None:
    bad = [a for a in spec.iam_actions if not IAM_ACTION.match(a)]
    assert bad == []


@pytest.mark.parametrize(("check_id", "key"), _evidence_params())
def test_check_declares_the_actions_of_the_collectors_of_its_evidence(
    check_id: str, key: str
) -> None:
    producers = collectors.producers(key)
    assert producers, f"no collector produces {key!r}"
    needed = {action for collector in producers for action in collector.actions}
    assert sorted(needed - set(CHECKS[check_id].iam_actions)) == []


def test_the_scan_policy_covers_every_collector_action() -> None:
    """Whatever single checks declare, the generated policy allows every call a scan makes."""
    every = {action for collector in collectors.all() for action in collector.actions}
    assert every <= set(required_actions())


def test_collector_actions_look_like_service_operation() -> None:
    bad = [a for c in collectors.all() for a in c.actions if not IAM_ACTION.match(a)]
    assert bad == []
