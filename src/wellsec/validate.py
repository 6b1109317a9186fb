"""``wellsec validate``: check input files without reviewing anything."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from wellsec.attest.threat_composer import assess, parse_export
from wellsec.errors import InputError, LensError
from wellsec.lens import load_lens_file
from wellsec.snapshot import load_snapshot
from wellsec.workload import load_workload


class Kind(StrEnum):
    WORKLOAD = "workload"
    LENS = "lens"
    SNAPSHOT = "snapshot"
    THREAT_MODEL = "threat-model"


def guess_kind(path: Path) -> Kind:
    """By name first (``*.tc.json``, ``*.yaml``), then by a JSON file's top-level keys."""
    name = path.name.lower()
    if name.endswith(".tc.json"):
        return Kind.THREAT_MODEL
    if name.endswith((".yaml", ".yml")):
        return Kind.WORKLOAD
    try:
        head = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return Kind.SNAPSHOT if "snap" in name else Kind.LENS
    if isinstance(head, dict):
        if "schemaVersion" in head:
            return Kind.LENS
        if str(head.get("schema", "")).startswith("wellsec.snapshot"):
            return Kind.SNAPSHOT
        if "threats" in head or head.get("schema") == 1:
            return Kind.THREAT_MODEL
    return Kind.LENS


def validate(path: Path, kind: Kind | None = None) -> str:
    """A one-line summary of a valid file; raise :class:`InputError` for an invalid one."""
    kind = kind or guess_kind(path)
    if kind is Kind.WORKLOAD:
        workload = load_workload(path)
        return (
            f"{path}: valid workload {workload.name!r} ({len(workload.attestations)} attestations)"
        )
    if kind is Kind.LENS:
        from wellsec.checks.practices import check_practices
        from wellsec.checks.runner import all_checks  # noqa: F401  (registers the checks)

        lens = load_lens_file(path)
        try:
            served = check_practices(lens)  # refuses a lens listing a check wellsec lacks
        except LensError as exc:
            raise LensError(path, exc.problem) from None
        return (
            f"{path}: valid lens {lens.key} ({len(lens.best_practices)} best practices, "
            f"{len(served)} checks)"
        )
    if kind is Kind.SNAPSHOT:
        snapshot = load_snapshot(path)
        return f"{path}: valid snapshot of {len(snapshot.accounts)} accounts"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    parsed = parse_export(data)
    if isinstance(parsed, str):
        where, _, problem = parsed.partition(": ")
        raise InputError(path, problem or parsed, where if problem else None)
    found = assess(parsed)
    state = "complete" if found.complete else "incomplete"
    return (
        f"{path}: valid Threat Composer export, {found.threats} threats, "
        f"{found.open_threats} open, {found.mitigations} mitigations ({state})"
    )
