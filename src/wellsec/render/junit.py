"""JUnit XML: a test suite per best practice, a test case per check and account."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from wellsec.provenance import describe
from wellsec.render.safe import inert_rules, inert_tree
from wellsec.report.codec import to_json_dict
from wellsec.report.model import Report, Rule, Status


def _case_status(statuses: set[str]) -> Status:
    for status in (Status.FAIL, Status.UNKNOWN, Status.PASS):
        if status in statuses:
            return status
    return Status.NOT_APPLICABLE


def render_junit(typed: Report, rules: Mapping[str, Rule]) -> str:
    """JUnit XML. XML 1.0 forbids most C0 characters even as references, and one makes
    the whole file unreadable to CI: every string (of the report's JSON form) is made
    inert first."""
    report = inert_tree(to_json_dict(typed))
    rules = inert_rules(rules)
    cases: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for f in report["findings"]:
        cases[f["best_practice"]][(f["check"], f.get("account") or "workload")].append(f)
    root = ET.Element(
        "testsuites",
        name=f"wellsec {report['workload']['name']}",
        tests="0",
        failures="0",
        errors="0",
        skipped="0",
    )
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for practice in sorted(cases):
        suite = ET.SubElement(root, "testsuite", name=practice)
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(
            properties,
            "property",
            name="wellsec.provenance",
            value=describe(report.get("provenance")),
        )
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for (check, account), found in sorted(cases[practice].items()):
            counts["tests"] += 1
            case = ET.SubElement(
                suite, "testcase", classname=f"{practice}.{check}", name=f"{check} [{account}]"
            )
            bad = [f for f in found if f["status"] in {Status.FAIL, Status.UNKNOWN}]
            text = "\n".join(
                f"{f['status']} {f.get('region') or ''} {f['resource']}: {f['message']}".strip()
                for f in bad
            )
            status = _case_status({f["status"] for f in found})
            if status is Status.FAIL:
                counts["failures"] += 1
                failure = ET.SubElement(
                    case, "failure", message=rules[check].title, type=rules[check].severity
                )
                failure.text = text
            elif status is Status.UNKNOWN:
                counts["errors"] += 1
                error = ET.SubElement(case, "error", message="evidence unavailable", type="UNKNOWN")
                error.text = text
            elif status is Status.NOT_APPLICABLE:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=found[0]["message"])
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
