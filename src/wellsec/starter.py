"""The commented starter ``wellsec.yaml`` that ``wellsec init`` writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from wellsec.lens import load_lens
from wellsec.workload import parse_workload


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def starter_yaml(answers: dict[str, str], path: Path, today: dt.date) -> str:
    """Render the starter file; it is validated before it is returned."""
    body = {
        "name": answers["name"],
        "environment": answers["environment"],
        "owner": answers["owner"],
        "regions": _list(answers["regions"]),
        "accounts": _list(answers["accounts"]),
        "ous": _list(answers["ous"]),
        "review_cadence_days": int(answers["cadence"]) if answers["cadence"].isdigit() else 0,
    }
    parse_workload(body, path)  # raises WorkloadError naming the bad answer
    dump = yaml.safe_dump(body, sort_keys=False, default_flow_style=False)
    lens = load_lens()
    lines = [
        "# wellsec workload file: what is reviewed, and what people attest.",
        "# Empty 'accounts' and 'ous' mean every active account of the organization.",
        "# Other keys: exclude_accounts, compliance (e.g. [cis, pci-dss]), root_unused_days",
        "# (default 90), role_name (default OrganizationAccountAccessRole).",
        "",
        dump.rstrip(),
        "",
        "# Attestations: facts no API shows. Each counts until 'expires' (or its",
        "# lens maximum age after 'date'); an expired one counts as missing.",
        "attestations: []",
    ]
    for bp in lens.best_practices:
        for spec in bp.attestations:
            lines += [
                f"# {bp.id}: {spec.statement}",
                f"#  - id: {spec.id}",
                "#    by: someone@example.com",
                f"#    date: {today.isoformat()}",
                "#    evidence: https://link-to-the-document",
            ]
    return "\n".join(lines) + "\n"
