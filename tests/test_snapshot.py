"""Snapshots round-trip, and foreign or newer ones are refused, not misread."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

import pytest

from wellsec.errors import SnapshotError
from wellsec.evidence import Unavailable
from wellsec.snapshot import (
    AccountRole,
    AccountSnapshot,
    Snapshot,
    dumps,
    load_snapshot,
    write_atomic,
)


def _snapshot() -> Snapshot:
    denied = Unavailable("access denied", "iam:GetAccountSummary", "AccessDenied")
    return Snapshot(
        created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        caller_account="111111111111",
        regions=["us-east-1"],
        organization={"organization": {"in_organization": False}},
        accounts=[
            AccountSnapshot(
                id="111111111111",
                name="solo",
                role=AccountRole.STANDALONE,
                evidence={"iam.account_summary": denied, "nested": {"x": [denied]}},
                regions={"us-east-1": {"events.root_rules": []}},
            )
        ],
    )


def test_round_trip_keeps_unavailable_values(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    write_atomic(path, dumps(_snapshot()))
    loaded = load_snapshot(path)
    account = loaded.accounts[0]
    assert account.get("iam.account_summary") == Unavailable(
        "access denied", "iam:GetAccountSummary", "AccessDenied"
    )
    assert isinstance(account.evidence["nested"]["x"][0], Unavailable)
    assert account.region_get("us-east-1", "events.root_rules") == []
    assert isinstance(account.region_get("eu-west-1", "events.root_rules"), Unavailable)
    assert isinstance(account.get("never.collected"), Unavailable)


def test_supporting_accounts_round_trip_and_old_files_have_none(tmp_path: Path) -> None:
    snapshot = _snapshot()
    tooling = AccountSnapshot(
        "222222222222",
        "security-tooling",
        AccountRole.MEMBER,
        regions={"us-east-1": {"config.aggregators": []}},
        purpose="delegated administrator for guardduty.amazonaws.com",
    )
    snapshot.supporting.append(tooling)
    snapshot.organization["unresolved_scope"] = Unavailable(
        "OU 'Payments' not found", "organizations:ListOrganizationalUnitsForParent"
    )
    path = tmp_path / "snap.json"
    write_atomic(path, dumps(snapshot))
    loaded = load_snapshot(path)
    assert [a.id for a in loaded.accounts] == ["111111111111"]
    assert loaded.supporting == [tooling]
    assert loaded.account("222222222222") == tooling
    assert loaded.unresolved_scope() == snapshot.organization["unresolved_scope"]
    old = json.loads(path.read_text())
    del old["supporting_accounts"]
    del old["organization"]["unresolved_scope"]
    path.write_text(json.dumps(old))
    before = load_snapshot(path)  # written before supporting accounts existed
    assert before.supporting == [] and before.account("222222222222") is None
    assert before.unresolved_scope() is None


@pytest.mark.parametrize(
    ("schema", "problem"),
    [
        ("wellsec.snapshot/2", "newer wellsec"),
        ("other.thing/1", "not a wellsec snapshot"),
        (None, "missing or malformed 'schema'"),
    ],
)
def test_foreign_schemas_are_refused(tmp_path: Path, schema: str | None, problem: str) -> None:
    data = _snapshot().to_dict()
    data["schema"] = schema
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SnapshotError, match=problem):
        load_snapshot(path)


def test_malformed_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    data = _snapshot().to_dict()
    del data["accounts"][0]["role"]
    path.write_text(json.dumps(data))
    with pytest.raises(SnapshotError, match="missing field 'role'"):
        load_snapshot(path)
    path.write_text("[1, 2")
    with pytest.raises(SnapshotError, match="not valid JSON"):
        load_snapshot(path)


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("old")

    class Boom:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    with pytest.raises(TypeError):
        write_atomic(path, Boom())  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_write_atomic_writes_through_a_special_file(tmp_path: Path) -> None:
    # `-o /dev/null` must not replace the device with a regular file; a FIFO stands in.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_atomic(fifo, "report\n")
    reader.join(timeout=10)
    assert received == ["report\n"]
    assert fifo.is_fifo(), "the FIFO is still a FIFO, not a renamed regular file"
