"""Check descriptions for CI formats: registered checks plus the lens's attestations.

Like :mod:`wellsec.report.build`, this is where the report meets the check registry, so
that the renderers never do."""

from __future__ import annotations

from dataclasses import replace

from wellsec.checks.runner import ATTESTATION_PREFIX, all_checks
from wellsec.errors import LensError
from wellsec.lens import load_lens
from wellsec.report.model import Report, Rule, Severity


def registry_rules() -> dict[str, Rule]:
    """Every registered check, described."""
    return {
        c.id: Rule(c.id, c.title, c.best_practice or "", c.severity.value, c.remediation)
        for c in all_checks()
    }


def rules_for(report: Report) -> dict[str, Rule]:
    """Every check id that appears in the report, described."""
    known = registry_rules()
    try:
        lens = load_lens(report.lens.key)
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
                    Severity.MEDIUM.value,
                    f"Record an attestation '{spec.id}' in wellsec.yaml (who, when, evidence).",
                )
    out: dict[str, Rule] = {}
    for f in report.findings:
        rule = known.get(f.check, Rule(f.check, f.check, f.best_practice, f.severity.value, ""))
        # The practice a check serves depends on the lens version: the report's finding says.
        out[f.check] = replace(rule, best_practice=f.best_practice)
    return out
