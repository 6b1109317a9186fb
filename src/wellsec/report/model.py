"""The typed model of one review report (``wellsec.review/1``): what every renderer, the
store, the WA Tool push, Security Hub export and ``fix`` read.

Frozen values with enums, no strings to compare; :mod:`wellsec.report.codec` is the one
way to and from the JSON document, :mod:`wellsec.report.build` makes one from a review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from wellsec.findings import Finding, Severity, Status
from wellsec.lens.model import QuestionRisk, RiskLevel
from wellsec.provenance import Provenance
from wellsec.snapshot import AccountRole, AccountStatus

SCHEMA = "wellsec.review/1"

__all__ = [
    "SCHEMA",
    "AccountRole",
    "AccountStatus",
    "Finding",
    "PracticeStatus",
    "QuestionRisk",
    "RiskLevel",
    "Severity",
    "Status",
]


class PracticeStatus(StrEnum):
    """A best practice's status, for the workload or one account."""

    MET = "MET"
    NOT_MET = "NOT_MET"
    UNKNOWN = "UNKNOWN"
    NOT_APPLICABLE = "NOT_APPLICABLE"


@dataclass(frozen=True)
class Tool:
    name: str
    version: str


@dataclass(frozen=True)
class WorkloadInfo:
    name: str
    environment: str
    owner: str | None
    regions: tuple[str, ...]


@dataclass(frozen=True)
class LensInfo:
    id: str
    version: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class QuestionInfo:
    id: str
    title: str
    risk: QuestionRisk


@dataclass(frozen=True)
class PracticeReport:
    """One best practice as the review decided it, overall and per account."""

    id: str
    choice_id: str
    title: str
    status: PracticeStatus
    risk_if_missing: RiskLevel
    assessment: str  # automated | partly automated | attested
    note: str
    accounts: Mapping[str, PracticeStatus]


@dataclass(frozen=True)
class Resource:
    name: str
    url: str | None


@dataclass(frozen=True)
class PlanItem:
    title: str
    text: str
    resources: tuple[Resource, ...]


@dataclass(frozen=True)
class PlanStep:
    """One missing best practice in the improvement plan, with what to do about it."""

    best_practice: str
    title: str
    status: PracticeStatus
    risk_if_missing: RiskLevel
    items: tuple[PlanItem, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class ScanAccount:
    id: str
    name: str
    role: AccountRole
    status: AccountStatus
    reason: str | None


@dataclass(frozen=True)
class SupportingAccount:
    """An account read for organization-level evidence only, not one of the workload's."""

    id: str
    name: str
    role: AccountRole
    purpose: str
    status: AccountStatus
    reason: str | None


@dataclass(frozen=True)
class ScpDenial:
    """A region the organization's own SCP denies to an account."""

    account: str
    region: str
    policy_id: str
    policy: str | None

    @property
    def label(self) -> str:
        return f"{self.policy or self.policy_id} ({self.policy_id})"


@dataclass(frozen=True)
class ScanInfo:
    accounts: tuple[ScanAccount, ...]
    supporting_accounts: tuple[SupportingAccount, ...]
    unresolved_scope: str | None
    regions: tuple[str, ...]
    scp_denied_regions: tuple[ScpDenial, ...]
    api_calls: int
    duration_seconds: float

    def denial_notes(self) -> list[str]:
        """One line per account and SCP: the regions the organization's own guardrail
        refused, and so were left out of the verdicts."""
        names = {a.id: a.name for a in self.accounts}
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for d in self.scp_denied_regions:
            key = (d.account, names.get(d.account, d.account), d.label)
            grouped.setdefault(key, []).append(d.region)
        return [
            f"account {aid} ({name}): regions {', '.join(regions)} denied by the "
            f"organization's SCP {label}; checks there are not applicable"
            for (aid, name, label), regions in grouped.items()
        ]


@dataclass(frozen=True)
class Rule:
    """What the check registry (or the lens, for an attestation) says about a check."""

    id: str
    title: str
    best_practice: str
    severity: str
    remediation: str


@dataclass(frozen=True)
class Report:
    """A whole ``wellsec.review/1`` document."""

    generated_at: dt.datetime
    tool: Tool
    workload: WorkloadInfo
    lens: LensInfo
    question: QuestionInfo
    complete: bool
    best_practices: tuple[PracticeReport, ...]
    findings: tuple[Finding, ...]
    improvement_plan: tuple[PlanStep, ...]
    scan: ScanInfo
    notes: tuple[str, ...] = field(default=())
    provenance: Provenance | None = None

    @property
    def risk(self) -> QuestionRisk:
        return self.question.risk

    def by_choice(self) -> dict[str, PracticeReport]:
        return {p.choice_id: p for p in self.best_practices}

    def findings_of(self, practice_id: str) -> list[Finding]:
        return [f for f in self.findings if f.best_practice == practice_id]

    def management_account(self) -> str | None:
        for account in self.scan.accounts:
            if account.role is AccountRole.MANAGEMENT:
                return account.id
        return None
