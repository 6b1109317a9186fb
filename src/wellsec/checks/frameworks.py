"""The compliance frameworks a workload may declare, and the AWS controls that validate
each: Security Hub standards, Config conformance packs and Audit Manager frameworks, as
``data/frameworks.json`` maps them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from wellsec.evidence.shapes_region import Assessment, ConformancePack


@dataclass(frozen=True)
class Framework:
    """One compliance framework and the AWS controls that validate it."""

    key: str
    title: str
    standards: tuple[str, ...]  # standard paths, e.g. "standards/pci-dss"
    packs: tuple[str, ...]  # sample conformance pack templates
    pack_contains: tuple[str, ...]  # normalized substrings
    audit_contains: tuple[str, ...]
    needs_audit_evidence: bool
    note: str

    def matches_standard(self, arn: str) -> bool:
        return standard_path(arn) in self.standards

    def matches_pack(self, pack: ConformancePack) -> bool:
        names = (normalize(str(pack.get("name") or "")), normalize(str(pack.get("document") or "")))
        return any(want in name for want in self.pack_contains for name in names if name)

    def matches_assessment(self, assessment: Assessment) -> bool:
        text = normalize(f"{assessment.get('name', '')} {assessment.get('compliance_type', '')}")
        return any(want in text for want in self.audit_contains)


def normalize(text: str) -> str:
    """Lower case, letters and digits only: how pack and assessment names are compared."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def standard_name(arn: str) -> str:
    """The resource part of a standard's ARN: ``standards/pci-dss/v/4.0.1``."""
    return arn.split(":", 5)[-1] if arn.count(":") >= 5 else arn


def standard_path(arn: str) -> str:
    """``arn:aws:securityhub:REGION::standards/pci-dss/v/4.0.1`` -> ``standards/pci-dss``.

    The CIS 1.2.0 ``ruleset/`` form counts as a ``standards/`` path.
    """
    path = standard_name(arn).split("/v/", 1)[0]
    return "standards/" + path.removeprefix("ruleset/").removeprefix("standards/")


@dataclass(frozen=True)
class FrameworkCatalog:
    frameworks: dict[str, Framework]
    aliases: dict[str, str]

    def get(self, key: str) -> Framework | None:
        return self.frameworks.get(self.aliases.get(key, key))


@cache
def catalog() -> FrameworkCatalog:
    """The framework mapping shipped in ``checks/data/frameworks.json``."""
    data = json.loads(files("wellsec.checks").joinpath("data/frameworks.json").read_text("utf-8"))
    frameworks = {
        key: Framework(
            key=key,
            title=str(item["title"]),
            standards=tuple(sorted({standard_path(a) for a in item["securityhub_standards"]})),
            packs=tuple(item["conformance_packs"]),
            pack_contains=tuple(normalize(p) for p in item["pack_name_contains"]),
            audit_contains=tuple(normalize(p) for p in item["audit_manager_contains"]),
            needs_audit_evidence=bool(item["needs_audit_evidence"]),
            note=str(item.get("note") or ""),
        )
        for key, item in data["frameworks"].items()
    }
    return FrameworkCatalog(frameworks, dict(data.get("aliases", {})))
