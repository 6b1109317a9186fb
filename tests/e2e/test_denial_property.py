"""Denying any one operation the scan uses never produces a PASS it did not see.

For every operation a full review sends, the review is redone with that operation
denied everywhere: each finding must keep its verdict or become UNKNOWN (a FAIL may
also stay FAIL when other evidence proves it), and the review must say it is
incomplete.

Redoing the whole review per operation costs minutes, so most operations are denied
more cheaply, with the same proof. A collector's evidence is made only from the
answers to its own requests (``guarded(collector, reader, region)``), so an operation
that does not shape the scan (which accounts, regions and supporting accounts it
reads) changes only the evidence of the collectors that send it. Which collectors
send which operation is measured here, not taken from their declarations: each
collector is scanned alone (with the scan's skeleton: the organization's structure,
its delegated administrators, each account's regions). For such an operation, only
its collectors are scanned again with the operation denied; their evidence replaces
theirs in the recorded snapshot, in the same places, and the result is evaluated
offline exactly as the review does. Operations of the skeleton itself, operations no
single collector sends, and any partial scan that does not reach the same accounts and
regions get a whole review through the CLI, as before.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from tests.e2e.conftest import CLEAN_ENV, Demo, Run
from wellsec.aws.session import Connector
from wellsec.collect.registry import Collector
from wellsec.collect.scan import Scan, collectors
from wellsec.evidence import Unavailable
from wellsec.findings import Finding, Scope
from wellsec.lens import DEFAULT_LENS, load_lens
from wellsec.review import Review, evaluate
from wellsec.snapshot import AccountSnapshot, Evidence, Snapshot
from wellsec.workload import Workload, load_workload

Key = tuple[str, str, str, str]
# The collectors that decide what the scan reads: denying their operations re-shapes it.
SKELETON = ("organization_structure", "delegated_administrators", "regions")


def _verdicts(run: Run) -> dict[Key, str]:
    assert run.report is not None
    return {
        (f["check"], f["account"] or "", f["region"] or "", f["resource"]): f["status"]
        for f in run.report["findings"]
    }


def _finding_verdicts(findings: tuple[Finding, ...]) -> dict[Key, str]:
    return {(f.check, f.account or "", f.region or "", f.resource): str(f.status) for f in findings}


def _same_place(before: dict[Key, str], key: Key) -> str | None:
    """The old verdict of the one finding of the same check, account and region."""
    matches = [v for k, v in before.items() if k[:3] == key[:3]]
    return matches[0] if len(matches) == 1 else None


def _problems(
    operation: str, before: dict[Key, str], after: dict[Key, str], complete: bool
) -> list[str]:
    problems = []
    changed = {k for k, v in after.items() if before.get(k) != v}
    if changed and complete:
        problems.append(f"{operation}: verdicts changed, yet the review says it is complete")
    for key, status in after.items():
        old = before.get(key, _same_place(before, key))
        if status == "PASS" and old != "PASS":
            problems.append(f"{operation}: {key} became PASS (was {old})")
        elif old is not None and status != old and status != "UNKNOWN":
            problems.append(f"{operation}: {key} went {old} -> {status}")
    return problems


@dataclass
class Scanner:
    """Scans the demo organization in-process, as the review does, with some collectors."""

    demo: Demo
    workload: Workload

    def scan(self, only: set[str] | None = None) -> Snapshot:
        with _collectors(only), pytest.MonkeyPatch.context() as env:
            for name, value in CLEAN_ENV.items():
                if value is None:
                    env.delenv(name, raising=False)
                else:
                    env.setenv(name, value)
            connector = Connector(
                profile=None,
                endpoint_url=self.demo.emulator.endpoint_url,
                home_region="us-east-1",
                role_name=self.workload.role_name,
            )
            return Scan(connector, self.workload).run()

    def operations(self, only: set[str]) -> set[str]:
        """The operations a scan of ``only`` (and the skeleton) sends."""
        self.demo.emulator.reset_counters()
        self.scan(only)
        return self.demo.emulator.operations_seen()


@contextmanager
def _collectors(only: set[str] | None) -> Iterator[None]:
    """Run only the skeleton and the collectors named in ``only`` (None: all)."""
    if only is None:
        yield
        return
    keep = only | set(SKELETON)
    everything: Callable[[Scope | None], list[Collector]] = collectors.all
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            collectors, "all", lambda scope=None: [c for c in everything(scope) if c.name in keep]
        )
        yield


def _says_denied(snapshot: Snapshot, operation: str) -> bool:
    """Whether some evidence of ``snapshot`` is unavailable because ``operation`` failed."""

    def walk(value: object) -> bool:
        if isinstance(value, Unavailable):
            return value.operation == operation
        if isinstance(value, dict):
            return any(walk(v) for v in value.values())
        if isinstance(value, list | tuple):
            return any(walk(v) for v in value)
        return False

    return any(walk(evidence) for evidence in _places(snapshot).values())


def _places(snapshot: Snapshot) -> dict[tuple[str, str], Evidence]:
    """Every evidence dict of a snapshot, by (account, region); ("", "") is the org's."""
    places = {("", ""): snapshot.organization}
    accounts: list[AccountSnapshot] = [*snapshot.accounts, *snapshot.supporting]
    for account in accounts:
        places[(account.id, "")] = account.evidence
        for region, evidence in account.regions.items():
            places[(account.id, region)] = evidence
    return places


def _shape(snapshot: Snapshot) -> object:
    accounts = [*snapshot.accounts, *snapshot.supporting]
    return (
        snapshot.regions,
        [(a.id, a.status, a.purpose) for a in accounts],
    )


def _patched(base: Snapshot, part: Snapshot, keys: set[str]) -> Snapshot | None:
    """``base`` with the evidence ``keys`` taken from ``part`` in every place; None when
    the two scans did not read the same accounts and regions or a key went missing."""
    if _shape(base) != _shape(part):
        return None
    merged = copy.deepcopy(base)
    new = _places(part)
    for place, evidence in _places(merged).items():
        for key in keys:
            fresh = new.get(place, {})
            if key in fresh:
                evidence[key] = fresh[key]
            elif key in evidence:
                return None
    return merged


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
    workload = load_workload(demo.config)
    lens = load_lens(DEFAULT_LENS)
    scanner = Scanner(demo, workload)

    def review(snapshot: Snapshot) -> Review:
        return evaluate(snapshot, workload, lens, history=None)

    # The recorded scan, evaluated offline, must give the CLI's verdicts.
    demo.emulator.clear_faults()
    recorded = scanner.scan()
    assert _finding_verdicts(review(recorded).findings) == before
    skeleton = scanner.operations(set())
    sends = {
        c.name: scanner.operations({c.name}) - skeleton
        for c in collectors.all()
        if c.name not in SKELETON
    }

    problems: list[str] = []
    whole: list[str] = []
    patched: list[str] = []  # operations denied collector by collector
    unchanged: list[str] = []  # ... whose denial left the recorded evidence as it was
    for operation in operations:
        senders = {name for name, sent in sends.items() if operation in sent}
        demo.emulator.clear_faults()
        demo.emulator.deny(operation)
        merged = None
        if operation not in skeleton and senders:
            keys = {k for c in collectors.all() if c.name in senders for k in c.key_names}
            merged = _patched(recorded, scanner.scan(senders), keys)
        if merged is not None:
            patched.append(operation)
            if _says_denied(recorded, operation) or not _says_denied(merged, operation):
                unchanged.append(operation)
            denied = review(merged)
            after = _finding_verdicts(denied.findings)
            problems += _problems(operation, before, after, denied.complete)
            continue
        whole.append(operation)
        run = demo.review("--no-store")
        if run.exit_code not in (0, 3, 4):
            problems.append(f"{operation}: exit {run.exit_code}: {run.stderr[-300:]}")
            continue
        if run.report is not None:
            problems += _problems(operation, before, _verdicts(run), run.report["complete"])
    demo.emulator.clear_faults()
    assert not problems, "\n".join(problems)
    # The skeleton's operations are few; most operations were denied collector by collector.
    assert len(whole) < len(operations) // 2, whole
    # A denial that never reaches the evidence proves nothing: most must show in it.
    assert len(unchanged) < len(patched) // 2, unchanged
