"""Every review says how it was made, an edited snapshot cannot pass as a scan, and a
snapshot that lost an account is incomplete (issue 14, item 6). Real CLI, emulated org."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.checks.builders import workload
from tests.checks.builders_detection import healthy
from tests.e2e.conftest import CLEAN_ENV, Demo
from wellsec.cli import app
from wellsec.snapshot import dumps

KEY = "a-secret-key-of-at-least-32-bytes-for-tests\n"
OTHER_KEY = "another-secret-key-of-at-least-32-bytes-long\n"


@pytest.fixture(scope="module")
def signed(demo: Demo) -> tuple[Path, Path]:
    """A live review's snapshot, signed with a key file."""
    key = demo.tmp / "wellsec.key"
    key.write_text(KEY)
    snapshot = demo.tmp / "signed-snapshot.json"
    run = demo.review("--snapshot", str(snapshot), "--sign-key", str(key), "--no-store")
    assert run.exit_code in (0, 4), run.stderr
    assert Path(f"{snapshot}.sig").exists()
    return snapshot, key


def _live(demo: Demo, *extra: str) -> Any:
    """A live review writing its report where ``extra`` says (no JSON copy)."""
    return demo.cli(
        "review",
        "--config",
        str(demo.config),
        "--endpoint-url",
        demo.emulator.endpoint_url,
        "--no-store",
        *extra,
        json_out=False,
    )


def _evaluate(demo: Demo, snapshot: Path, *extra: str) -> Any:
    return demo.cli("evaluate", str(snapshot), "--config", str(demo.config), *extra)


def _tampered(demo: Demo, snapshot: Path, name: str) -> tuple[Path, str]:
    """The snapshot with the management account's root MFA switched on, by hand."""
    data = json.loads(snapshot.read_text())
    management = demo.account("management")
    account = next(a for a in data["accounts"] if a["id"] == management)
    account["evidence"]["iam.account_summary"]["AccountMFAEnabled"] = 1
    edited = demo.tmp / name
    edited.write_text(json.dumps(data, indent=1))
    Path(f"{edited}.sig").write_text(Path(f"{snapshot}.sig").read_text())  # the old signature
    return edited, management


def test_a_live_review_says_who_scanned_in_every_format(demo: Demo) -> None:
    run = demo.review()
    assert run.report is not None
    made = run.report["provenance"]
    assert made["origin"] == "live-scan"
    assert made["caller_arn"].startswith("arn:aws:") and made["tool_version"]
    assert made["signature"] == "not-applicable"
    stored = demo.cli("history", "--json", json_out=False)
    assert json.loads(stored.stdout)[-1]["provenance"] == made
    for fmt in ("text", "markdown", "html"):
        page = demo.tmp / f"report.{fmt}"
        done = _live(demo, "-f", fmt, "-o", str(page))
        assert done.exit_code in (0, 4), done.stderr
        assert "Made by: live scan by wellsec" in page.read_text(), fmt
    sarif_file = demo.tmp / "report.sarif"
    _live(demo, "-f", "sarif", "-o", str(sarif_file))
    sarif_run = json.loads(sarif_file.read_text())["runs"][0]
    assert sarif_run["properties"]["provenance"].startswith("live scan by wellsec")
    assert sarif_run["invocations"][0]["properties"]["provenance"]["origin"] == "live-scan"
    junit_file = demo.tmp / "report.xml"
    _live(demo, "-f", "junit", "-o", str(junit_file))
    names = [p.get("value", "") for p in ET.parse(junit_file).iter("property")]
    assert names and all(n.startswith("live scan by wellsec") for n in names)


def test_an_edited_snapshot_is_recorded_as_an_unverified_file(
    demo: Demo, signed: tuple[Path, Path]
) -> None:
    snapshot, _ = signed
    edited, management = _tampered(demo, snapshot, "edited.json")
    run = _evaluate(demo, edited, "--record")
    assert run.status("root_mfa_enabled", management) == "PASS"  # the edit took effect...
    assert run.report is not None
    made = run.report["provenance"]
    assert made["origin"] == "snapshot-file" and made["signature"] == "not-checked"
    assert made["snapshot_sha256"] == hashlib.sha256(edited.read_bytes()).hexdigest()
    assert made["snapshot_file"] == str(edited)
    stored = json.loads(demo.cli("history", "--json", json_out=False).stdout)[-1]
    assert stored["provenance"] == made  # ...but the store knows it came from a file


def test_require_signed_refuses_an_edited_snapshot(demo: Demo, signed: tuple[Path, Path]) -> None:
    snapshot, key = signed
    edited, _ = _tampered(demo, snapshot, "edited-signed.json")
    before = demo.cli("history", "--json", json_out=False).stdout
    run = _evaluate(demo, edited, "--record", "--require-signed", "--verify-key", str(key))
    assert run.exit_code == 2 and "changed after signing" in run.stderr
    assert run.report is None
    assert demo.cli("history", "--json", json_out=False).stdout == before  # nothing recorded


def test_require_signed_accepts_the_signed_snapshot(demo: Demo, signed: tuple[Path, Path]) -> None:
    snapshot, key = signed
    run = _evaluate(demo, snapshot, "--record", "--require-signed", "--verify-key", str(key))
    assert run.exit_code in (0, 4), run.stderr
    assert run.report is not None and run.report["provenance"]["signature"] == "verified"


@pytest.mark.parametrize(
    "case, message",
    [
        ("other key", "signed with another key"),
        ("no signature", "not signed"),
        ("no key", "--require-signed needs --verify-key"),
        ("short key", "at least 32 bytes"),
    ],
)
def test_require_signed_refuses(
    demo: Demo, signed: tuple[Path, Path], case: str, message: str
) -> None:
    snapshot, key = signed
    if case == "other key":
        key = demo.tmp / "other.key"
        key.write_text(OTHER_KEY)
    if case == "short key":
        key = demo.tmp / "short.key"
        key.write_text("too short")
    if case == "no signature":
        copy = demo.tmp / "unsigned.json"
        copy.write_bytes(snapshot.read_bytes())
        snapshot = copy
    extra = () if case == "no key" else ("--verify-key", str(key))
    run = _evaluate(demo, snapshot, "--require-signed", *extra)
    assert run.exit_code == 2 and message in run.stderr, run.stderr


def test_a_snapshot_missing_an_in_scope_account_is_incomplete(tmp_path: Path) -> None:
    snapshot = healthy()  # two in-scope member accounts, listed in its org evidence
    dropped = snapshot.accounts.pop(0)
    path = tmp_path / "dropped.json"
    path.write_text(dumps(snapshot))
    config = tmp_path / "wellsec.yaml"
    config.write_text(yaml.safe_dump(workload().model_dump(mode="json")))
    out = tmp_path / "report.json"
    args = ["evaluate", str(path), "-c", str(config), "-f", "json", "-o", str(out)]
    result = CliRunner().invoke(app, args, env=CLEAN_ENV)
    assert result.exit_code == 4, result.stderr
    report = json.loads(out.read_text())
    assert report["complete"] is False
    assert any(dropped.id in n and "holds no evidence" in n for n in report["notes"])


def test_push_and_export_require_verified_evidence(demo: Demo, signed: tuple[Path, Path]) -> None:
    snapshot, key = signed
    report = demo.tmp / "signed-report.json"
    done = demo.cli(
        "evaluate",
        str(snapshot),
        "--config",
        str(demo.config),
        "--verify-key",
        str(key),
        "--sign-key",
        str(key),
        "-f",
        "json",
        "-o",
        str(report),
        json_out=False,
    )
    assert done.exit_code in (0, 4), done.stderr
    assert Path(f"{report}.sig").exists()
    export = ("export", "-f", "asff", "--review", str(report), "--require-signed")
    ok = demo.cli(*export, "--verify-key", str(key), json_out=False)
    assert ok.exit_code == 0, ok.stderr
    exported = json.loads(ok.stdout)
    assert exported and all(
        "signature verified" in f["ProductFields"]["wellsec/Provenance"] for f in exported
    )
    # The same report, edited after signing: refused by export and by push.
    data = json.loads(report.read_text())
    data["question"]["risk"] = "NONE"
    report.write_text(json.dumps(data))
    bad = demo.cli(*export, "--verify-key", str(key), json_out=False)
    assert bad.exit_code == 2 and "changed after signing" in bad.stderr
    push = ("push", "--review", str(report), "--require-signed", "--verify-key", str(key))
    assert demo.cli(*push, json_out=False).exit_code == 2
    # A stored review of an unverified file is refused too, whatever the key.
    edited, _ = _tampered(demo, snapshot, "edited-for-push.json")
    _evaluate(demo, edited, "--record")
    latest = demo.cli(
        "export", "-f", "asff", "--require-signed", "--verify-key", str(key), json_out=False
    )
    assert latest.exit_code == 2 and "evidence not verified" in latest.stderr


def test_a_hostile_caller_arn_stays_inert(demo: Demo, signed: tuple[Path, Path]) -> None:
    snapshot, _ = signed
    data = json.loads(snapshot.read_text())
    data["caller_arn"] = "arn:aws:iam::1:user/<blink>x</blink>\x1b[31mRED\x1b[0m\n# heading"
    hostile = demo.tmp / "hostile.json"
    hostile.write_text(json.dumps(data))
    for fmt in ("text", "markdown", "junit", "html"):
        out = demo.tmp / f"hostile.{fmt}"
        run = demo.cli(
            "evaluate",
            str(hostile),
            "-c",
            str(demo.config),
            "-f",
            fmt,
            "-o",
            str(out),
            json_out=False,
        )
        assert run.exit_code in (0, 4), run.stderr
        text = out.read_text()
        assert "\x1b" not in text, fmt
        assert fmt in ("text", "markdown") or "<blink>" not in text, fmt  # markup escaped
        assert "31mRED" in "".join(text.split()), fmt  # shown as text, not run
    ET.parse(demo.tmp / "hostile.junit")  # still well-formed XML
