"""A saved snapshot whose evidence has the wrong shape reads as missing evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.checks.builders import MEMBER, only, run, standalone_snapshot
from tests.checks.builders_detection import healthy_with_management
from wellsec.cli import app
from wellsec.evidence import Unavailable, keys
from wellsec.findings import Status
from wellsec.snapshot import SCHEMA, Snapshot, dumps, load_snapshot


def _saved(snapshot: Snapshot) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps(snapshot))
    return data


def _load(tmp_path: Path, data: dict[str, Any]) -> Snapshot:
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(data))
    return load_snapshot(path)


def test_well_formed_snapshots_load_unchanged(tmp_path: Path) -> None:
    for snapshot in (standalone_snapshot(), healthy_with_management()):
        loaded = _load(tmp_path, _saved(snapshot))
        assert loaded.organization == snapshot.organization
        for before, after in zip(snapshot.everywhere, loaded.everywhere, strict=True):
            assert after.evidence == before.evidence
            assert after.regions == before.regions


def test_a_hand_broken_value_is_unknown_not_pass(tmp_path: Path) -> None:
    data = _saved(standalone_snapshot())
    assert only(run(_load(tmp_path, data)), "root_mfa_enabled").status is Status.PASS
    # true == 1 in Python: read unchecked, this edit would still PASS.
    data["accounts"][0]["evidence"]["iam.account_summary"]["AccountMFAEnabled"] = True
    loaded = _load(tmp_path, data)
    value = loaded.accounts[0].get(keys.IAM_ACCOUNT_SUMMARY)
    assert isinstance(value, Unavailable)
    assert "'iam.account_summary'" in value.reason and "AccountMFAEnabled" in value.reason
    finding = only(run(loaded), "root_mfa_enabled", MEMBER)
    assert finding.status is Status.UNKNOWN
    assert "iam.account_summary" in finding.message


def test_wrong_shapes_at_every_level_never_crash(tmp_path: Path) -> None:
    data = _saved(healthy_with_management())
    data["organization"]["tree"] = ["not", "a", "tree"]
    data["organization"]["scps"] = {"id": "p-1"}
    for account in data["accounts"]:
        account["evidence"]["cloudtrail.trails"] = [{"name": 3}]
        for region in account["regions"].values():
            region["config.recorders"] = "on"
            region["guardduty.detectors"] = [{"id": "d", "status": None, "features": {}}]
    loaded = _load(tmp_path, data)
    assert isinstance(loaded.org_get(keys.TREE), Unavailable)
    assert isinstance(loaded.org_get(keys.SCPS), Unavailable)
    for account in loaded.accounts:
        assert isinstance(account.get(keys.CLOUDTRAIL_TRAILS), Unavailable)
        for region in account.regions:
            assert isinstance(account.region_get(region, keys.CONFIG_RECORDERS), Unavailable)
    findings = run(loaded)
    assert findings


def test_unknown_keys_pass_unchanged(tmp_path: Path) -> None:
    data = _saved(standalone_snapshot())
    data["accounts"][0]["evidence"]["future.key"] = {"anything": [1, "two"]}
    loaded = _load(tmp_path, data)
    assert loaded.accounts[0].get("future.key") == {"anything": [1, "two"]}


def test_a_snapshot_that_used_to_crash_the_review_is_incomplete(tmp_path: Path) -> None:
    """A string where the collector writes a list once reached a check (exit 70)."""
    snapshot = {
        "schema": SCHEMA,
        "created_at": "2026-12-01T00:00:00+00:00",
        "caller_account": "111111111111",
        "regions": ["us-east-1"],
        "accounts": [
            {
                "id": "111111111111",
                "name": "m",
                "role": "management",
                "regions": {"us-east-1": {"config.recorders": "not a list"}},
            }
        ],
    }
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(snapshot))
    out = tmp_path / "review.json"
    result = CliRunner().invoke(app, ["evaluate", str(path), "-f", "json", "-o", str(out)])
    assert result.exit_code == 4, result.stderr
    findings = json.loads(out.read_text())["findings"]
    recorder = [f for f in findings if "'config.recorders' is malformed" in f["message"]]
    assert recorder and all(f["status"] == "UNKNOWN" for f in recorder)
