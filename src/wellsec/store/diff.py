"""What changed between two reviews: practices, per-account statuses, findings, risk.

Two reviews under different versions of a lens compare practice by practice identity
(the WA Tool choice id): SEC01-BP04 of 2022 and of 2025 is one practice; SEC01-BP05
of 2022 (recommendations) and of 2025 (management scope) are two, labelled
``SEC01-BP05@2022`` and ``SEC01-BP05@2025``, one removed and one added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellsec.lens.versions import label_practices
from wellsec.report.model import PracticeStatus, QuestionRisk, Status

# Stored reports are compared as stored (an older wellsec's document too): their statuses
# are text, which a StrEnum key matches.
# How good a practice status is; a move up is an improvement.
STATUS_RANK: dict[str | None, int] = {
    PracticeStatus.NOT_MET: 0,
    PracticeStatus.UNKNOWN: 1,
    PracticeStatus.NOT_APPLICABLE: 2,
    PracticeStatus.MET: 2,
}
RISK_RANK: dict[str | None, int] = {
    QuestionRisk.HIGH: 3,
    QuestionRisk.MEDIUM: 2,
    QuestionRisk.UNANSWERED: 1,
    QuestionRisk.NONE: 0,
    QuestionRisk.NOT_APPLICABLE: 0,
}
BAD: set[str | None] = {Status.FAIL, Status.UNKNOWN}

FindingKey = tuple[str, str, str, str]
Key = tuple[str, str]


@dataclass(frozen=True)
class PracticeChange:
    practice: str
    account: str  # "" for the workload as a whole
    before: str | None
    after: str | None

    @property
    def direction(self) -> str:
        if self.before == self.after:
            return "same"
        if self.before is None or self.after is None:
            return "added" if self.before is None else "removed"
        up = STATUS_RANK.get(self.after, 0) - STATUS_RANK.get(self.before, 0)
        return "improved" if up > 0 else "regressed" if up < 0 else "changed"


@dataclass(frozen=True)
class ReviewDiff:
    before_id: int
    after_id: int
    risk_before: str
    risk_after: str
    practices: tuple[PracticeChange, ...]
    fixed: tuple[dict[str, Any], ...]
    new: tuple[dict[str, Any], ...]
    lens_before: str = ""
    lens_after: str = ""

    @property
    def risk_direction(self) -> str:
        delta = RISK_RANK.get(self.risk_after, 0) - RISK_RANK.get(self.risk_before, 0)
        return "same" if delta == 0 else "worse" if delta > 0 else "better"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "wellsec.diff/1",
            "before": self.before_id,
            "after": self.after_id,
            "lens": {"before": self.lens_before or None, "after": self.lens_after or None},
            "risk": {
                "before": self.risk_before,
                "after": self.risk_after,
                "change": self.risk_direction,
            },
            "practices": [
                {
                    "practice": c.practice,
                    "account": c.account or None,
                    "before": c.before,
                    "after": c.after,
                    "change": c.direction,
                }
                for c in self.practices
                if c.direction != "same"
            ],
            "fixed_findings": list(self.fixed),
            "new_findings": list(self.new),
        }


def _key(finding: dict[str, Any]) -> FindingKey:
    return (
        str(finding["check"]),
        str(finding.get("account") or ""),
        str(finding.get("region") or ""),
        str(finding["resource"]),
    )


def lens_key(report: dict[str, Any]) -> str:
    lens = report.get("lens") or {}
    return f"{lens.get('id', '')}@{lens.get('version', '')}"


def _statuses(report: dict[str, Any], labels: dict[tuple[str, str], str]) -> dict[Key, str]:
    key = lens_key(report)
    out: dict[tuple[str, str], str] = {}
    for bp in report["best_practices"]:
        name = labels.get((key, bp["id"]), bp["id"])
        out[(name, "")] = bp["status"]
        for account, status in bp.get("accounts", {}).items():
            out[(name, account)] = status
    return out


def _labels(*reports: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Practice labels shared by the reports' lens versions (plain ids within one version)."""
    if len({lens_key(r) for r in reports}) == 1:
        return {}
    return label_practices(
        (
            lens_key(r),
            str((r.get("lens") or {}).get("version", "")),
            [(bp["id"], bp.get("choice_id") or bp["id"]) for bp in r["best_practices"]],
        )
        for r in reports
    )


def diff_reports(
    before: dict[str, Any], after: dict[str, Any], before_id: int = 0, after_id: int = 0
) -> ReviewDiff:
    """Compare two ``wellsec.review/1`` reports (the older one first)."""
    labels = _labels(before, after)
    a, b = _statuses(before, labels), _statuses(after, labels)
    changes = tuple(
        PracticeChange(practice, account, a.get((practice, account)), b.get((practice, account)))
        for practice, account in sorted(set(a) | set(b))
    )
    old = {_key(f): f for f in before["findings"]}
    new = {_key(f): f for f in after["findings"]}
    fixed = tuple(
        f for k, f in old.items() if f["status"] in BAD and new.get(k, {}).get("status") not in BAD
    )
    appeared = tuple(
        f for k, f in new.items() if f["status"] in BAD and old.get(k, {}).get("status") not in BAD
    )
    return ReviewDiff(
        before_id=before_id,
        after_id=after_id,
        risk_before=before["question"]["risk"],
        risk_after=after["question"]["risk"],
        practices=changes,
        fixed=fixed,
        new=appeared,
        lens_before=lens_key(before),
        lens_after=lens_key(after),
    )
