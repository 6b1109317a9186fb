"""The workload's scope in the runner: an unresolved scope keeps practices from being met,
and supporting accounts lend their evidence without being judged."""

from __future__ import annotations

from tests.checks.builders import MEMBER, SECURITY, lens, only, run, workload
from tests.checks.builders_detection import healthy
from wellsec.checks.registry import checks
from wellsec.evidence import Unavailable
from wellsec.findings import Scope, Status
from wellsec.review import PracticeStatus, evaluate
from wellsec.snapshot import UNRESOLVED_SCOPE, Snapshot

UNREAD = Unavailable(
    "workload scope (OUs Workloads) not fully resolved: children of ou-x could not be read",
    "organizations:ListAccountsForParent",
    "AccessDeniedException",
)
# Organization checks that look for evidence in the administrators' accounts.
ORG_EVIDENCE = ("guardduty_org_auto_enable", "config_org_aggregator")


def _bp01(snapshot: Snapshot) -> PracticeStatus:
    review = evaluate(snapshot, workload(name="payments"), lens())
    return next(r.status for r in review.practices if r.practice.id == "SEC01-BP01")


def test_an_unresolved_scope_makes_every_account_check_unknown(snapshot: Snapshot) -> None:
    assert _bp01(snapshot) is PracticeStatus.MET
    snapshot.organization[UNRESOLVED_SCOPE] = UNREAD
    findings = run(snapshot)
    scoped = [f for f in findings if f.resource == "workload/payments/scope"]
    per_account = {s.id for s in checks.all() if s.scope in {Scope.ACCOUNT, Scope.REGION}}
    assert {f.check for f in scoped} == per_account & {f.check for f in findings}
    assert all(f.status is Status.UNKNOWN and "ou-x" in f.message for f in scoped)
    assert _bp01(snapshot) is PracticeStatus.UNKNOWN
    assert not evaluate(snapshot, workload(name="payments"), lens()).complete


def test_supporting_accounts_lend_evidence_but_are_not_judged() -> None:
    snapshot = healthy()  # the security account administers GuardDuty and Config
    before = {c: [f.status for f in run(snapshot) if f.check == c] for c in ORG_EVIDENCE}
    tooling = snapshot.account(SECURITY)
    assert tooling is not None
    snapshot.accounts.remove(tooling)
    tooling.purpose = "delegated administrator for guardduty.amazonaws.com"
    snapshot.supporting.append(tooling)
    findings = run(snapshot)
    assert not [f for f in findings if f.account == SECURITY]
    after = {c: [f.status for f in findings if f.check == c] for c in ORG_EVIDENCE}
    assert after == before
    assert set(after["guardduty_org_auto_enable"]) == {Status.PASS}
    assert set(after["config_org_aggregator"]) == {Status.PASS}


def test_an_account_below_an_unread_parent_has_unknown_guardrails(snapshot: Snapshot) -> None:
    tree = snapshot.organization["tree"]
    parent = tree["parents"].pop(MEMBER)
    tree["unread"] = {parent: UNREAD}
    findings = run(snapshot)
    for check in ("custom_scp_applied", "accounts_in_ous"):
        assert only(findings, check, MEMBER).status is Status.UNKNOWN, check
    assert only(findings, "custom_scp_applied", SECURITY).status is Status.PASS
