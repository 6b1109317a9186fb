"""The broken organization's review, its snapshot, and the plan ``wellsec fix`` makes of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fix.broken_org import broken_report, broken_snapshot
from wellsec.fix import FixOptions, FixPlan, ReviewFacts, build_plan, facts, plan_files
from wellsec.snapshot import Snapshot, dumps

OPTIONS = FixOptions(contact_phone="+1 555 0100")


@pytest.fixture(scope="session")
def snapshot() -> Snapshot:
    return broken_snapshot()


@pytest.fixture(scope="session")
def report(snapshot: Snapshot) -> dict[str, Any]:
    return broken_report(snapshot)


@pytest.fixture(scope="session")
def review_facts(report: dict[str, Any], snapshot: Snapshot) -> ReviewFacts:
    return facts(report, snapshot)


@pytest.fixture(scope="session")
def plan(review_facts: ReviewFacts) -> FixPlan:
    return build_plan(review_facts, OPTIONS)


@pytest.fixture(scope="session")
def files(plan: FixPlan) -> dict[str, str]:
    return plan_files(plan)


@pytest.fixture
def review_files(tmp_path: Path, report: dict[str, Any], snapshot: Snapshot) -> tuple[Path, Path]:
    """The review written as ``wellsec review -f json`` and ``--snapshot`` would write it."""
    review, snap = tmp_path / "review.json", tmp_path / "snapshot.json"
    review.write_text(json.dumps(report))
    snap.write_text(dumps(snapshot))
    return review, snap
