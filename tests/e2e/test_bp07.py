"""SEC01-BP07 in the demo review: findings from the Threat Composer export shipped with wellsec."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.conftest import Demo
from wellsec.workload import load_workload


def test_the_packaged_threat_model_survives_the_workload_file(demo: Demo) -> None:
    (ref,) = load_workload(demo.config).threat_model
    assert ref.endswith("demo-payments.tc.json")
    assert Path(ref).is_absolute() and Path(ref).is_file()


def test_the_demo_review_shows_a_partial_bp07(demo: Demo) -> None:
    run = demo.review()
    assert run.report is not None, run.stderr
    (ref,) = load_workload(demo.config).threat_model

    (present,) = run.findings("threat_model_present")
    assert present["status"] == "PASS"
    assert present["message"] == "Threat Composer export 'demo-payments' with 10 threats"
    assert (present["account"], present["region"], present["resource"]) == (None, None, ref)

    (complete,) = run.findings("threat_model_complete")
    assert complete["status"] == "FAIL"
    assert complete["message"] == (
        "1 open threat (T4) without a mitigation, 1 of them High; "
        "1 threat (T8) without STRIDE categories; "
        "10 threats (4 High, 4 Medium, 2 Low); 7 open; 4 of 8 mitigations resolved (50%)"
    )

    # Dated by the file's last commit in a git checkout, else by the demo's attestation
    # (400 days old): either way the verdict follows the date it states.
    (current,) = run.findings("threat_model_current")
    found = re.search(r"(?:last commit|on) (\d{4}-\d{2}-\d{2}), (\d+) days ago", current["message"])
    assert found, current["message"]
    assert current["status"] == ("PASS" if int(found.group(2)) <= 90 else "FAIL")

    practice = run.practice("SEC01-BP07")
    assert practice["status"] == "NOT_MET"
    assert practice["assessment"] == "partly automated"
    assert set(practice["accounts"].values()) == {"NOT_MET"}
    (plan,) = [p for p in run.report["improvement_plan"] if p["best_practice"] == "SEC01-BP07"]
    assert "threat_model_complete" in {f["check"] for f in plan["findings"]}


def test_the_text_report_files_threat_model_findings_under_the_workload(demo: Demo) -> None:
    run = demo.cli(
        "review",
        "--config",
        str(demo.config),
        "--endpoint-url",
        demo.emulator.endpoint_url,
        "-f",
        "markdown",
        json_out=False,
    )
    assert "threat_model_complete" in run.stdout, run.stderr
    assert "T4" in run.stdout
