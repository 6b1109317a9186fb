"""What changed between two reviews: practices, per-account statuses, findings, risk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# How good a practice status is; a move up is an improvement.
STATUS_RANK = {"NOT_MET": 0, "UNKNOWN": 1, "NOT_APPLICABLE": 2, "MET": 2}
RISK_RANK = {"HIGH": 3, "MEDIUM": 2, "UNANSWERED": 1, "NONE": 0, "NOT_APPLICABLE": 0}
BAD = {"FAIL", "UNKNOWN"}

FindingKey = tuple[str, str, str, str]


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

    @property
    def risk_direction(self) -> str:
        delta = RISK_RANK.get(self.risk_after, 0) - RISK_RANK.get(self.risk_before, 0)
        return "same" if delta == 0 else "worse" if delta > 0 else "better"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "wellsec.diff/1",
            "before": self.before_id,
            "after": self.after_id,
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


def _statuses(report: dict[str, Any]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for bp in report["best_practices"]:
        out[(bp["id"], "")] = bp["status"]
        for account, status in bp.get("accounts", {}).items():
            out[(bp["id"], account)] = status
    return out


def diff_reports(
    before: dict[str, Any], after: dict[str, Any], before_id: int = 0, after_id: int = 0
) -> ReviewDiff:
    """Compare two ``wellsec.review/1`` reports (the older one first)."""
    a, b = _statuses(before), _statuses(after)
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
    )
