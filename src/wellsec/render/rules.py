"""Check descriptions for CI formats: registered checks plus the lens's attestations."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from wellsec.checks.runner import ATTESTATION_PREFIX, all_checks
from wellsec.errors import LensError
from wellsec.lens import load_lens


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    best_practice: str
    severity: str
    remediation: str


def rules_for(report: dict[str, Any]) -> dict[str, Rule]:
    """Every check id that appears in the report, described."""
    known = {
        c.id: Rule(c.id, c.title, c.best_practice or "", c.severity.value, c.remediation)
        for c in all_checks()
    }
    try:
        lens = load_lens(f"{report['lens']['id']}@{report['lens']['version']}")
    except LensError:
        lens = None
    if lens is not None:
        for bp in lens.best_practices:
            for spec in bp.attestations:
                rule_id = ATTESTATION_PREFIX + spec.id
                known[rule_id] = Rule(
                    rule_id,
                    f"Attested: {spec.statement}",
                    bp.id,
                    "medium",
                    f"Record an attestation '{spec.id}' in wellsec.yaml (who, when, evidence).",
                )
    out: dict[str, Rule] = {}
    for f in report["findings"]:
        rule = known.get(
            f["check"],
            Rule(f["check"], f["check"], f["best_practice"], f.get("severity", "medium"), ""),
        )
        # The practice a check serves depends on the lens version: the report's finding says.
        out[f["check"]] = replace(rule, best_practice=f["best_practice"])
    return out
