"""The evidence snapshot: everything collection read, as versioned, replayable JSON.

Evidence dicts map an evidence key (``iam.account_summary``) to plain JSON data
or to an :class:`~wellsec.evidence.Unavailable` value saying why it is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar, overload

from wellsec.errors import SnapshotError
from wellsec.evidence import Key, Unavailable, decode, encode
from wellsec.evidence import keys as evidence_keys
from wellsec.limits import (
    MAX_SNAPSHOT_BYTES,
    MAX_SNAPSHOT_DEPTH,
    LimitExceeded,
    check_depth,
    read_limited,
)

SCHEMA = "wellsec.snapshot/1"
SCHEMA_NAME, SCHEMA_VERSION = SCHEMA.split("/")

Evidence = dict[str, Any]
# Organization evidence key: an Unavailable saying which part of the workload's scope
# (OUs in wellsec.yaml) could not be resolved.
UNRESOLVED_SCOPE = evidence_keys.UNRESOLVED_SCOPE.name
T = TypeVar("T")


class AccountRole(StrEnum):
    MANAGEMENT = "management"
    MEMBER = "member"
    STANDALONE = "standalone"
    UNKNOWN = "unknown"  # the organization could not be read


class AccountStatus(StrEnum):
    SCANNED = "SCANNED"
    UNREACHABLE = "UNREACHABLE"


@dataclass
class AccountSnapshot:
    """What was read in one account: account-wide evidence and evidence per region."""

    id: str
    name: str
    role: AccountRole
    status: AccountStatus = AccountStatus.SCANNED
    reason: str | None = None
    evidence: Evidence = field(default_factory=dict)
    regions: dict[str, Evidence] = field(default_factory=dict)
    # Empty for a workload account; for a supporting account (read only for the
    # organization-level evidence it holds), why it was read.
    purpose: str = ""

    @overload
    def get(self, key: Key[T]) -> T | Unavailable: ...
    @overload
    def get(self, key: str) -> Any: ...
    def get(self, key: Key[Any] | str) -> Any:
        """Account evidence for ``key``; Unavailable when never collected."""
        key = str(key)
        if key in self.evidence:
            return self.evidence[key]
        return Unavailable(f"evidence {key!r} was not collected", key)

    @overload
    def region_get(self, region: str, key: Key[T]) -> T | Unavailable: ...
    @overload
    def region_get(self, region: str, key: str) -> Any: ...
    def region_get(self, region: str, key: Key[Any] | str) -> Any:
        key = str(key)
        evidence = self.regions.get(region)
        if evidence is None:
            return Unavailable(f"region {region} was not scanned", key)
        if key in evidence:
            return evidence[key]
        return Unavailable(f"evidence {key!r} was not collected in {region}", key)


@dataclass
class Snapshot:
    """All evidence of one scan."""

    created_at: dt.datetime
    caller_account: str
    regions: list[str]
    organization: Evidence = field(default_factory=dict)
    accounts: list[AccountSnapshot] = field(default_factory=list)  # the workload's
    # Accounts outside the workload read for the organization-level evidence they hold
    # (management, delegated administrators): checks may look them up, never report them.
    supporting: list[AccountSnapshot] = field(default_factory=list)
    api_calls: int = 0
    duration_seconds: float = 0.0
    tool_version: str = ""
    critical_path_requests: int = 0  # the longest chain of requests that had to wait on each other
    caller_arn: str = ""  # the identity that scanned (provenance); "" when not known

    @overload
    def org_get(self, key: Key[T]) -> T | Unavailable: ...
    @overload
    def org_get(self, key: str) -> Any: ...
    def org_get(self, key: Key[Any] | str) -> Any:
        key = str(key)
        if key in self.organization:
            return self.organization[key]
        return Unavailable(f"evidence {key!r} was not collected", key)

    def account(self, account_id: str) -> AccountSnapshot | None:
        """A workload or supporting account, by id."""
        return next((a for a in self.everywhere if a.id == account_id), None)

    @property
    def everywhere(self) -> list[AccountSnapshot]:
        """Workload accounts, then supporting ones: where organization evidence may live."""
        return self.accounts + self.supporting

    def unresolved_scope(self) -> Unavailable | None:
        """Why accounts of the workload may be missing from the scan (OUs not found or
        parts of the organization tree unreadable), or None when the scope was resolved."""
        value = self.organization.get(UNRESOLVED_SCOPE)
        return value if isinstance(value, Unavailable) else None

    @property
    def management_account_id(self) -> str | None:
        org = self.organization.get(evidence_keys.ORGANIZATION.name)
        if isinstance(org, dict) and org.get("in_organization"):
            value = org.get("management_account_id")
            return str(value) if value else None
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "tool_version": self.tool_version,
            "created_at": self.created_at.isoformat(),
            "caller_account": self.caller_account,
            "caller_arn": self.caller_arn,
            "regions": list(self.regions),
            "organization": encode(self.organization),
            "accounts": [_account_dict(a) for a in self.accounts],
            "supporting_accounts": [
                {**_account_dict(a), "purpose": a.purpose} for a in self.supporting
            ],
            "stats": {
                "api_calls": self.api_calls,
                "duration_seconds": self.duration_seconds,
                "critical_path_requests": self.critical_path_requests,
            },
        }


def _account_dict(a: AccountSnapshot) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "role": a.role.value,
        "status": a.status.value,
        "reason": a.reason,
        "evidence": encode(a.evidence),
        "regions": encode(a.regions),
    }


def _account(a: dict[str, Any]) -> AccountSnapshot:
    return AccountSnapshot(
        id=str(a["id"]),
        name=str(a.get("name") or a["id"]),
        role=AccountRole(a["role"]),
        status=AccountStatus(a.get("status", "SCANNED")),
        reason=a.get("reason"),
        evidence=_evidence(a.get("evidence", {})),
        regions={str(r): _evidence(e) for r, e in dict(a.get("regions", {})).items()},
        purpose=str(a.get("purpose") or ""),
    )


def from_dict(data: Any, path: str | Path = "<snapshot>") -> Snapshot:
    """Rebuild a snapshot; raise :class:`SnapshotError` for another schema or bad shape."""
    if not isinstance(data, dict):
        raise SnapshotError(path, "expected a JSON object at the top level")
    schema = data.get("schema")
    if not isinstance(schema, str) or "/" not in schema:
        raise SnapshotError(path, "missing or malformed 'schema' (expected wellsec.snapshot/N)")
    name, _, version = schema.partition("/")
    if name != SCHEMA_NAME:
        raise SnapshotError(path, f"not a wellsec snapshot (schema {schema!r})")
    if not version.isdigit() or int(version) != int(SCHEMA_VERSION):
        newer = version.isdigit() and int(version) > int(SCHEMA_VERSION)
        hint = "written by a newer wellsec; upgrade wellsec" if newer else "unsupported version"
        raise SnapshotError(path, f"snapshot schema {schema!r} is {hint} (this reads {SCHEMA})")
    try:
        accounts = [_account(a) for a in data["accounts"]]
        # Absent from snapshots written before supporting accounts were read.
        supporting = [_account(a) for a in data.get("supporting_accounts") or []]
        stats = data.get("stats") or {}
        return Snapshot(
            created_at=dt.datetime.fromisoformat(data["created_at"]),
            caller_account=str(data["caller_account"]),
            regions=[str(r) for r in data["regions"]],
            organization=_evidence(data.get("organization", {})),
            accounts=accounts,
            supporting=supporting,
            api_calls=int(stats.get("api_calls", 0)),
            duration_seconds=float(stats.get("duration_seconds", 0.0)),
            tool_version=str(data.get("tool_version", "")),
            critical_path_requests=int(stats.get("critical_path_requests", 0)),
            caller_arn=str(data.get("caller_arn") or ""),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise SnapshotError(path, f"malformed snapshot: {problem}") from None


def _evidence(value: Any) -> Evidence:
    if not isinstance(value, dict):
        raise TypeError("evidence must be an object")
    decoded = decode(value)
    assert isinstance(decoded, dict)
    # A value of the wrong shape (a hand-edited or corrupted file) is missing evidence:
    # UNKNOWN with the key named, never a crash in a check or a wrong PASS.
    return evidence_keys.checked(decoded)


def read_snapshot_bytes(path: str | Path) -> bytes:
    """A snapshot file's bytes, within the size limit (see :mod:`wellsec.limits`)."""
    p = Path(path)
    try:
        return read_limited(p, MAX_SNAPSHOT_BYTES)
    except LimitExceeded as exc:
        raise SnapshotError(p, str(exc)) from None
    except OSError as exc:
        raise SnapshotError(p, f"cannot read: {exc.strerror or exc}") from None


def parse_snapshot(data: bytes, path: str | Path) -> Snapshot:
    """A snapshot from a file's bytes, within the depth limit."""
    p = Path(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SnapshotError(p, "cannot read: not UTF-8 text") from None
    try:
        parsed = json.loads(text)
        check_depth(parsed, MAX_SNAPSHOT_DEPTH)
    except json.JSONDecodeError as exc:
        raise SnapshotError(p, f"not valid JSON: {exc.msg}", f"line {exc.lineno}") from None
    except RecursionError:  # the JSON decoder recurses per level
        raise SnapshotError(p, f"nested deeper than {MAX_SNAPSHOT_DEPTH} levels") from None
    except LimitExceeded as exc:
        raise SnapshotError(p, str(exc)) from None
    return from_dict(parsed, p)


def load_snapshot(path: str | Path) -> Snapshot:
    """Read a snapshot within the size and depth limits (see :mod:`wellsec.limits`)."""
    return parse_snapshot(read_snapshot_bytes(path), path)


def dumps(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.to_dict(), indent=1, sort_keys=False, default=str) + "\n"


def write_atomic(path: str | Path, text: str) -> None:
    """Write a file whole or not at all (temp file in the same folder, then rename).

    A target that exists and is not a regular file (``/dev/null``, a FIFO, a
    terminal) is written to directly: renaming over it would replace the device."""
    target = Path(path)
    if target.exists() and not target.is_file():
        with target.open("w", encoding="utf-8") as handle:
            handle.write(text)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    # Reports and snapshots are an organization's security posture: owner only (0600,
    # as mkstemp makes it, whatever the umask), also when replacing a wider file.
    os.chmod(tmp, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
