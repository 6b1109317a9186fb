"""SARIF 2.1.0: one rule per check; FAIL and UNKNOWN findings as results."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from wellsec import __version__
from wellsec.provenance import describe
from wellsec.render.safe import inert_rules, inert_tree
from wellsec.report.codec import to_json_dict
from wellsec.report.model import Report, Rule, Status

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def _fingerprint(f: dict[str, Any]) -> str:
    key = "|".join(str(f.get(k) or "") for k in ("check", "account", "region", "resource"))
    return hashlib.sha256(key.encode()).hexdigest()


def render_sarif(typed: Report, rules: Mapping[str, Rule]) -> str:
    """SARIF for code-scanning viewers: their text is shown to people, so it is made inert
    (every string of the report's JSON form)."""
    report = inert_tree(to_json_dict(typed))
    rules = inert_rules(rules)
    ids = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    results = []
    for f in report["findings"]:
        if f["status"] not in {Status.FAIL, Status.UNKNOWN}:
            continue
        unknown = f["status"] == Status.UNKNOWN
        where = (
            [
                {
                    "name": f["account"],
                    "kind": "namespace",
                    "fullyQualifiedName": f"account/{f['account']}",
                }
            ]
            if f.get("account")
            else []
        )
        if f.get("region"):
            where.append(
                {
                    "name": f["region"],
                    "kind": "namespace",
                    "fullyQualifiedName": f"region/{f['region']}",
                }
            )
        where.append(
            {"name": f["resource"], "kind": "resource", "fullyQualifiedName": f["resource"]}
        )
        results.append(
            {
                "ruleId": f["check"],
                "ruleIndex": index[f["check"]],
                "kind": "review" if unknown else "fail",
                "level": "warning" if unknown else LEVEL.get(f.get("severity", ""), "note"),
                "message": {"text": ("Evidence unavailable: " if unknown else "") + f["message"]},
                "locations": [{"logicalLocations": where}],
                "partialFingerprints": {"wellsecFinding/v1": _fingerprint(f)},
                "properties": {
                    "account": f.get("account"),
                    "region": f.get("region"),
                    "resource": f["resource"],
                    "bestPractice": f["best_practice"],
                    "status": f["status"],
                },
            }
        )
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "wellsec",
                        "version": __version__,
                        "informationUri": "https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/sec-01.html",
                        "rules": [
                            {
                                "id": rule_id,
                                "name": rule_id.replace(".", "_"),
                                "shortDescription": {"text": rules[rule_id].title},
                                "fullDescription": {"text": rules[rule_id].title},
                                "help": {
                                    "text": rules[rule_id].remediation or rules[rule_id].title
                                },
                                "defaultConfiguration": {
                                    "level": LEVEL.get(rules[rule_id].severity, "note")
                                },
                                "properties": {
                                    "bestPractice": rules[rule_id].best_practice,
                                    "severity": rules[rule_id].severity,
                                    "tags": [
                                        "security",
                                        "well-architected",
                                        rules[rule_id].best_practice,
                                    ],
                                },
                            }
                            for rule_id in ids
                        ],
                    }
                },
                "results": results,
                # How the review was made (wellsec.provenance): who scanned, which file.
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "properties": {"provenance": report.get("provenance")},
                    }
                ],
                "properties": {
                    "provenance": describe(report.get("provenance")),
                    "workload": report["workload"]["name"],
                    "lens": f"{report['lens']['id']}@{report['lens']['version']}",
                    "risk": report["question"]["risk"],
                    "complete": report["complete"],
                },
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
