"""Turn a review into a fix plan: run the remedy table over the failing findings."""

from __future__ import annotations

from collections import defaultdict

from wellsec.findings import Status
from wellsec.fix.model import (
    Artifact,
    ArtifactKind,
    Effect,
    FixOptions,
    FixPlan,
    Refusal,
    Unremedied,
)
from wellsec.fix.remedies import REMEDIES, rows_for
from wellsec.fix.source import ReviewFacts, Row

# Why a remedy may have produced nothing although findings asked for it.
HINTS = {
    "security-contacts": "wellsec fix writes the commands when given --contact-phone "
    "(and an address: --contact-email, --alert-email or the workload owner)",
    "root-activity-alerting": "wellsec fix writes the template when given --alert-email "
    "(or when the workload owner is an e-mail address)",
    "health-event-routing": "wellsec fix writes the template when given --alert-email "
    "(or when the workload owner is an e-mail address)",
    "securityhub-admin": "wellsec fix writes the templates when given --security-account",
    "guardduty-organization": "wellsec fix writes the commands when given --security-account "
    "and the review's snapshot (the administrator's detector ids)",
}


def build_plan(facts: ReviewFacts, options: FixOptions) -> FixPlan:
    """Every artifact the failing findings call for, in deployment order."""
    artifacts: list[Artifact] = []
    hints: dict[str, str] = {}
    refused: list[Refusal] = []
    for remedy in sorted(REMEDIES, key=lambda r: (r.order, r.name)):
        rows = []
        for row in rows_for(remedy, facts):
            reason = remedy.refuse(row)
            if reason is None:
                rows.append(row)
            else:  # refused alone: the other accounts' fixes are still written
                name = facts.account_name(row.account) if row.account else ""
                refused.append(Refusal(row.check, row.account, name, row.region, reason))
        if not rows:
            continue
        made = remedy.build(remedy, facts, options, rows)
        if made is not None:
            artifacts.append(made)
        elif remedy.name in HINTS:
            for row in rows:
                hints.setdefault(row.check, HINTS[remedy.name])
    return FixPlan(
        workload=facts.workload,
        review_generated_at=facts.generated_at,
        management_account=facts.management,
        artifacts=tuple(artifacts),
        unremedied=_unremedied(facts, artifacts, hints),
        refused=tuple(refused),
    )


def place(facts: ReviewFacts, row: Row) -> str:
    """Where a finding is: account/region, and its resource where that is not enough."""
    spot = "/".join(p for p in (row.account, row.region) if p)
    if not spot:
        return row.resource
    shared = facts.at(row.check, row.account, row.region)
    return f"{spot} ({row.resource})" if len(shared) > 1 else spot


def _unremedied(
    facts: ReviewFacts, artifacts: list[Artifact], hints: dict[str, str]
) -> tuple[Unremedied, ...]:
    from wellsec.checks.registry import checks
    from wellsec.checks.runner import all_checks

    all_checks()  # registers every check
    closed: dict[tuple[str, str | None, str | None], list[Effect]] = defaultdict(list)
    for effect in (e for a in artifacts for e in a.closes):
        closed[(effect.check, effect.account, effect.region)].append(effect)
    starters = {a.name for a in artifacts if a.kind is ArtifactKind.STARTER}
    places: dict[str, list[str]] = defaultdict(list)
    for row in facts.findings:
        if row.status is not Status.FAIL:
            continue
        near = closed.get((row.check, row.account, row.region), [])
        if any(e.covers(row.check, row.account, row.region, row.resource) for e in near):
            continue
        places[row.check].append(place(facts, row))
    out = []
    for check in sorted(places):
        if check.startswith("attest."):
            text = "A person answers it: complete starters/attestations.yaml into wellsec.yaml."
        else:
            try:
                text = checks.get(check).remediation
            except KeyError:
                text = "No remediation is known for this check."
            if check.startswith("threat_model") and "threat-model-starter" in starters:
                text += " A Threat Composer skeleton is in starters/."
        if check in hints:
            text += f" ({hints[check]}.)"
        out.append(Unremedied(check, tuple(sorted(set(places[check]))), text))
    return tuple(out)
