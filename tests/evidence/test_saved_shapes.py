"""A saved snapshot whose evidence has the wrong shape reads as missing evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.checks.builders import MEMBER, only, run, standalone_snapshot
from tests.checks.builders_detection import healthy_with_management
from wellsec.evidence import Unavailable, keys
from wellsec.findings import Status
from wellsec.snapshot import Snapshot, dumps, load_snapshot


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
