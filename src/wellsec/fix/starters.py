"""Starters for what only people can do: a Threat Composer skeleton for the workload's
threat model, and attestation stubs in ``wellsec.yaml`` form."""

from __future__ import annotations

import uuid
from typing import Any

import yaml

from wellsec.fix.cfn import dump_json, slug
from wellsec.fix.model import Artifact, ArtifactKind
from wellsec.fix.source import ReviewFacts, Row

ATTESTATION_PREFIX = "attest."
# A skeleton helps where no threat model is declared or readable; an existing model that
# is incomplete or stale needs its owners, not a new document.
THREAT_MODEL_CHECKS = ("threat_model_present",)
_NAMESPACE = uuid.UUID("6f1b8c4e-2d3a-5b7c-9e0f-1a2b3c4d5e6f")
# One prompt per STRIDE category, in Threat Composer's threat grammar, to be rewritten.
PROMPTS = (
    ("S", "An external actor", "who holds a stolen credential of an operator",
     "sign in to the workload's accounts", "actions taken in the operator's name",
     "confidentiality", "the workload's accounts"),
    ("T", "An insider", "with write access to the delivery pipeline",
     "change infrastructure templates before deployment", "weakened security controls",
     "integrity", "the infrastructure code"),
    ("R", "An operator", "using a shared or root identity",
     "make changes that no log ties to a person", "changes nobody can account for",
     "accountability", "the audit trail"),
    ("I", "An external actor", "who finds a resource made public by mistake",
     "read the workload's data", "disclosure of customer data",
     "confidentiality", "the workload's data stores"),
    ("D", "An external actor", "able to send traffic to the public endpoints",
     "flood them with requests", "the workload being unavailable",
     "availability", "the public endpoints"),
    ("E", "A compromised workload component", "with an over-broad IAM role",
     "reach resources beyond its purpose", "wider access than intended",
     "confidentiality", "the other resources of the account"),
)  # fmt: skip


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def threat_model_skeleton(workload: str) -> dict[str, Any]:
    """A schema-1 Threat Composer export with one prompt per STRIDE category, all open."""
    threats = []
    for number, (letter, source, prereq, action, impact, goal, asset) in enumerate(PROMPTS, 1):
        threats.append(
            {
                "id": _id(workload, "threat", letter),
                "numericId": number,
                "displayOrder": number,
                "threatSource": source,
                "prerequisites": prereq,
                "threatAction": action,
                "threatImpact": impact,
                "impactedGoal": [goal],
                "impactedAssets": [asset],
                "statement": f"{source} {prereq} can {action}, which leads to {impact}, "
                f"resulting in reduced {goal} of {asset}",
                "status": "threatIdentified",
                "metadata": [
                    {"key": "Priority", "value": "Medium"},
                    {"key": "STRIDE", "value": [letter]},
                ],
                "tags": ["wellsec-starter"],
            }
        )
    return {
        "schema": 1,
        "applicationInfo": {
            "name": workload,
            "description": "Describe what the workload does, for whom, and what data it holds.",
        },
        "architecture": {"description": "Describe the components and accounts.", "image": ""},
        "dataflow": {"description": "Describe how data moves between components.", "image": ""},
        "assumptions": [
            {
                "id": _id(workload, "assumption", "1"),
                "numericId": 1,
                "displayOrder": 1,
                "content": "Replace these starter threats with the workload's own, set each "
                "threat's priority, and link every open threat to a mitigation.",
                "metadata": [],
                "tags": ["wellsec-starter"],
            }
        ],
        "mitigations": [],
        "assumptionLinks": [],
        "mitigationLinks": [],
        "threats": threats,
    }


def threat_model_artifact(facts: ReviewFacts, rows: list[Row], order: int) -> Artifact:
    path = f"starters/{slug(facts.workload)}.tc.json"
    return Artifact(
        name="threat-model-starter",
        kind=ArtifactKind.STARTER,
        title="Threat Composer skeleton for the workload",
        order=order,
        files=((path, dump_json(threat_model_skeleton(facts.workload))),),
        notes=(
            f"Import {path} into Threat Composer, replace the starter threats with the "
            "workload's own, then list the export under threat_model: in wellsec.yaml.",
        ),
    )


def attestation_stubs(rows: list[Row]) -> str:
    """Entries for ``attestations:`` in wellsec.yaml, one per failing attestation.

    ``date`` is left out on purpose: wellsec rejects the entry until a person who can
    vouch for it fills it in, so a copied stub can never attest anything by itself.
    """
    seen = sorted({r.check.removeprefix(ATTESTATION_PREFIX): r.message for r in rows}.items())
    entries = [
        {
            "id": attestation,
            "by": "who-attests@example.com",
            "evidence": "https://link-to-the-evidence.example.com",
            "note": f"review said: {message}"[:1000],
        }
        for attestation, message in seen
    ]
    header = (
        "# Attestations the review found missing or expired. For each: have the person who\n"
        "# can vouch for it set by, evidence and date (YYYY-MM-DD), then move the entry\n"
        "# under attestations: in wellsec.yaml. Without a date wellsec rejects the entry.\n"
    )
    body: str = yaml.safe_dump(
        {"attestations": entries}, sort_keys=True, allow_unicode=True, width=1_000_000
    )
    return header + body


def attestation_artifact(rows: list[Row], order: int) -> Artifact:
    return Artifact(
        name="attestation-stubs",
        kind=ArtifactKind.STARTER,
        title="Attestation stubs for wellsec.yaml",
        order=order,
        files=(("starters/attestations.yaml", attestation_stubs(rows)),),
        notes=("Complete each entry and move it into wellsec.yaml.",),
    )
