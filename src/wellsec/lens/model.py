"""The lens as data: one question, its best practices, improvement items and risk rules."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wellsec.lens.rules import Expr


class RiskLevel(StrEnum):
    """The level of risk a best practice carries when it is missing."""

    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


class QuestionRisk(StrEnum):
    """The question's risk, as the Well-Architected Tool reports it."""

    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    NONE = "NONE"
    UNANSWERED = "UNANSWERED"
    NOT_APPLICABLE = "NOT_APPLICABLE"

    @property
    def rank(self) -> int:
        """Higher is worse; used by ``--fail-on``."""
        return {"HIGH": 3, "MEDIUM": 2, "UNANSWERED": 1}.get(self.value, 0)


RULE_RISKS = {
    "HIGH_RISK": QuestionRisk.HIGH,
    "MEDIUM_RISK": QuestionRisk.MEDIUM,
    "NO_RISK": QuestionRisk.NONE,
}


@dataclass(frozen=True)
class Resource:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class ImprovementItem:
    title: str
    text: str
    resources: tuple[Resource, ...] = ()


@dataclass(frozen=True)
class AttestationSpec:
    """A fact about a best practice that only a person can state."""

    id: str
    statement: str
    max_age_days: int = 365


@dataclass(frozen=True)
class BestPractice:
    id: str
    choice_id: str
    title: str
    risk_if_missing: RiskLevel
    description: str
    items: tuple[ImprovementItem, ...]
    attestations: tuple[AttestationSpec, ...] = ()
    # The checks that serve this practice, when the lens says (x-wellsec ``checks``).
    checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskRule:
    condition: str
    expr: Expr
    risk: QuestionRisk


@dataclass(frozen=True)
class Lens:
    """A validated lens. ``source`` is the lens file's JSON as loaded."""

    id: str
    version: str
    name: str
    description: str
    pillar_id: str
    question_id: str
    wa_question_id: str
    question_title: str
    question_description: str
    best_practices: tuple[BestPractice, ...]
    risk_rules: tuple[RiskRule, ...]
    resources: tuple[Resource, ...] = ()
    source: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    origin: str = field(default="", compare=False)  # where it was loaded from, for messages

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def practice(self, bp_id: str) -> BestPractice:
        for bp in self.best_practices:
            if bp.id == bp_id:
                return bp
        raise KeyError(bp_id)

    def by_choice(self, choice_id: str) -> BestPractice | None:
        """The practice behind a WA Tool choice id, if this lens has it."""
        return next((bp for bp in self.best_practices if bp.choice_id == choice_id), None)

    @property
    def lists_checks(self) -> bool:
        """Whether the lens itself says which checks serve its practices."""
        return any(bp.checks for bp in self.best_practices)

    def risk_for(self, selected: frozenset[str]) -> QuestionRisk:
        """Apply the risk rules, first true wins, to the selected choice ids."""
        for rule in self.risk_rules:
            if rule.expr.evaluate(selected):
                return rule.risk
        raise AssertionError("a validated lens always has a default rule")

    def to_wa_json(self) -> dict[str, Any]:
        """The lens as the Well-Architected Tool's ImportLens takes it (no wellsec extension)."""
        stripped: dict[str, Any] = _strip_extensions(copy.deepcopy(self.source))
        return stripped


EXTENSION_KEY = "x-wellsec"


def _strip_extensions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_extensions(v) for k, v in value.items() if k != EXTENSION_KEY}
    if isinstance(value, list):
        return [_strip_extensions(v) for v in value]
    return value
