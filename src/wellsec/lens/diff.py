"""What changed between two versions of a lens: practices added, removed or renamed,
choice ids, levels of risk, risk rules, attestations and which checks serve what.

Practices are matched by WA Tool choice id (their identity in the tool); a practice
id whose choice id changed is reported as one practice removed and another added,
with the change of choice id named.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from wellsec.lens.model import BestPractice, Lens
from wellsec.lens.versions import practice_labels

Labels = dict[tuple[str, str], str]


@dataclass(frozen=True)
class Change:
    """One difference. ``practice`` labels the practice the same way in both versions
    (``SEC01-BP04``), or per version where one id means two practices (``SEC01-BP05@2022``)."""

    kind: str  # added | removed | renamed | renumbered | choice_id | risk | checks | attestation
    practice: str
    before: str | None
    after: str | None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "practice": self.practice,
            "before": self.before,
            "after": self.after,
            "note": self.note or None,
        }


@dataclass(frozen=True)
class LensDiff:
    before: str
    after: str
    changes: tuple[Change, ...]
    rules_before: tuple[str, ...]
    rules_after: tuple[str, ...]

    @property
    def rules_changed(self) -> bool:
        return self.rules_before != self.rules_after

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "wellsec.lens-diff/1",
            "before": self.before,
            "after": self.after,
            "changes": [c.to_dict() for c in self.changes],
            "risk_rules": {
                "changed": self.rules_changed,
                "before": list(self.rules_before),
                "after": list(self.rules_after),
            },
        }


def _label(bp: BestPractice) -> str:
    return f"{bp.title} [{bp.choice_id}, {bp.risk_if_missing.value}]"


def _rules(lens: Lens) -> tuple[str, ...]:
    return tuple(f"{r.risk.value} if {r.condition}" for r in lens.risk_rules)


def _destination(bp: BestPractice, old: Lens, new: Lens, checks: tuple[dict[str, str], ...]) -> str:
    """Where most of a removed practice's checks and attestations went, if anywhere."""
    old_checks, new_checks = checks
    moved = Counter(new_checks[c] for c, p in old_checks.items() if p == bp.id and c in new_checks)
    attested = {a.id: p.id for p in new.best_practices for a in p.attestations}
    moved.update(attested[a.id] for a in bp.attestations if a.id in attested)
    if not moved:
        return ""
    target = moved.most_common(1)[0][0]
    return f"its evidence now serves {target} ({new.practice(target).title})"


def _practices(
    old: Lens, new: Lens, labels: Labels, checks: tuple[dict[str, str], ...]
) -> list[Change]:
    changes: list[Change] = []
    old_by_id = {bp.id: bp for bp in old.best_practices}
    for bp in new.best_practices:
        name = labels[(new.key, bp.id)]
        was = old.by_choice(bp.choice_id)
        if was is None:
            changes.append(Change("added", name, None, _label(bp)))
            replaced = old_by_id.get(bp.id)
            if replaced is not None:
                risks = (replaced.risk_if_missing, bp.risk_if_missing)
                note = f"risk if missing {risks[0].value} -> {risks[1].value}"
                changes.append(
                    Change(
                        "choice_id",
                        bp.id,
                        replaced.choice_id,
                        bp.choice_id,
                        note if risks[0] is not risks[1] else "",
                    )
                )
            continue
        if was.id != bp.id:
            changes.append(Change("renumbered", name, was.id, bp.id))
        if was.title != bp.title:
            changes.append(Change("renamed", name, was.title, bp.title))
        if was.risk_if_missing is not bp.risk_if_missing:
            old_risk, new_risk = was.risk_if_missing.value, bp.risk_if_missing.value
            changes.append(Change("risk", name, old_risk, new_risk))
    for bp in old.best_practices:
        if new.by_choice(bp.choice_id) is None:
            note = _destination(bp, old, new, checks)
            changes.append(Change("removed", labels[(old.key, bp.id)], _label(bp), None, note))
    return changes


def _moves(old: dict[str, str], new: dict[str, str], kind: str) -> list[Change]:
    changes = []
    for item in sorted(set(old) | set(new)):
        before, after = old.get(item), new.get(item)
        if before != after:
            changes.append(Change(kind, after or before or "", before, after, item))
    return changes


def diff_lenses(
    old: Lens,
    new: Lens,
    old_checks: dict[str, str] | None = None,
    new_checks: dict[str, str] | None = None,
) -> LensDiff:
    """Compare two lenses (the older first); ``*_checks`` map check id -> practice id.

    A check or attestation whose practice changed is one ``checks``/``attestation``
    change naming it in ``note``, with the practice before and after (None: not served)."""
    old_checks, new_checks = old_checks or {}, new_checks or {}
    labels = practice_labels([old, new])

    def labelled(lens: Lens, mapping: dict[str, str]) -> dict[str, str]:
        return {item: labels[(lens.key, bp)] for item, bp in mapping.items()}

    attest_old = {a.id: bp.id for bp in old.best_practices for a in bp.attestations}
    attest_new = {a.id: bp.id for bp in new.best_practices for a in bp.attestations}
    changes = [
        *_practices(old, new, labels, (old_checks, new_checks)),
        *_moves(labelled(old, old_checks), labelled(new, new_checks), "checks"),
        *_moves(labelled(old, attest_old), labelled(new, attest_new), "attestation"),
    ]
    return LensDiff(old.key, new.key, tuple(changes), _rules(old), _rules(new))
