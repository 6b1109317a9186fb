"""SARIF, JUnit, CSV and Markdown: structure, and hostile text kept inert."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from tests.checks.builders import NOW, OrgBuilder, lens, run, workload
from tests.render.hostile import FORMULA, HOSTILE, SCRIPT, hostile_report
from wellsec.render.csv_report import render_csv, safe_cell
from wellsec.render.junit import render_junit
from wellsec.render.markdown import render_markdown
from wellsec.render.sarif import render_sarif
from wellsec.report import from_json_dict
from wellsec.report.build import build_report
from wellsec.report.rules import rules_for
from wellsec.review import build_review


def test_sarif_structure() -> None:
    report = hostile_report()
    sarif = json.loads(render_sarif(from_json_dict(report), rules_for(from_json_dict(report))))
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert {"root_mfa_enabled", "root_no_access_keys"} <= set(ids)
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    results = run_["results"]
    assert [r["ruleId"] for r in results] == ["root_mfa_enabled", "root_no_access_keys"]
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["kind"] == "fail" and result["level"] == "error"
        names = [loc["name"] for loc in result["locations"][0]["logicalLocations"]]
        assert names[0] == "111111111111"
        assert names[-1].startswith("arn:aws:iam::111111111111:role/")
        assert result["partialFingerprints"]["wellsecFinding/v1"]
    assert run_["properties"]["risk"] == "HIGH"


def test_junit_counts_and_cases() -> None:
    root = ET.fromstring(
        render_junit(from_json_dict(hostile_report()), rules_for(from_json_dict(hostile_report())))
    )
    assert root.tag == "testsuites"
    assert root.get("tests") == "3" and root.get("failures") == "2"
    cases = root.findall(".//testcase")
    names = sorted(c.get("name") or "" for c in cases)
    assert names == [
        "root_mfa_enabled [111111111111]",
        "root_no_access_keys [111111111111]",
        "security_contact_registered [222222222222]",
    ]
    failure = root.find(".//testcase[@name='root_mfa_enabled [111111111111]']/failure")
    assert failure is not None and SCRIPT in (failure.text or "")  # escaped by the XML writer


def test_csv_neutralises_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(from_json_dict(hostile_report())))))
    assert len(rows) == 3
    passing = next(r for r in rows if r["status"] == "PASS")
    assert passing["resource"] == "'" + FORMULA
    assert passing["message"] == "'-1+1"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("plain") == "plain"


def test_markdown_escapes_names_from_aws() -> None:
    org = OrgBuilder.standard()
    org.scps[-1]["name"] = HOSTILE  # a custom SCP with a hostile name
    snapshot = org.build()
    snapshot.accounts[0].name = HOSTILE
    findings = run(snapshot)
    review = build_review(lens(), workload(), snapshot, findings, NOW)
    text = render_markdown(build_report(review))
    assert "<script>" not in text
    assert "<img" not in text
    assert "[click](javascript" not in text
    assert "&lt;script&gt;" in text
