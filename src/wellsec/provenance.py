"""How a review was made: a live scan, an offline evaluation of a snapshot file, or an
upgrade of a stored review; and whether a snapshot holds every account it should.

A snapshot is a plain file: anyone who can edit it can turn a FAIL into a PASS or drop an
account. The provenance says where a review's evidence came from (with the file's SHA-256
and whether its signature was verified), so that a reader can tell a live scan from an
edited file; :func:`missing_accounts` catches an account dropped from a snapshot.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wellsec import __version__
from wellsec.evidence import keys

if TYPE_CHECKING:
    from wellsec.snapshot import Snapshot
    from wellsec.workload import Workload


class Origin(StrEnum):
    """Where the review's evidence came from."""

    LIVE_SCAN = "live-scan"  # scanned by this run, read from AWS
    DEMO = "demo"  # scanned by this run, from the emulated demo organization
    SNAPSHOT_FILE = "snapshot-file"  # evaluated offline from a file
    UPGRADE = "upgrade"  # a stored review's snapshot, evaluated under a newer lens


class Signature(StrEnum):
    """What is known of the snapshot's signature (see :mod:`wellsec.signing`)."""

    VERIFIED = "verified"  # a signature made with the given key matches the file
    UNSIGNED = "unsigned"  # a key was given, but the file has no signature
    NOT_CHECKED = "not-checked"  # no key was given to check one
    NOT_APPLICABLE = "not-applicable"  # the evidence was read by this run, not from a file


@dataclass(frozen=True)
class Provenance:
    """How one review was made (the ``provenance`` object of ``wellsec.review/1``)."""

    origin: Origin
    tool_version: str
    made_at: dt.datetime
    caller_arn: str | None  # who scanned (from the snapshot when offline)
    scanned_at: dt.datetime
    scanned_by_version: str
    signature: Signature = Signature.NOT_APPLICABLE
    snapshot_file: str | None = None
    snapshot_sha256: str | None = None
    upgraded_from: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin.value,
            "tool_version": self.tool_version,
            "made_at": self.made_at.isoformat(),
            "caller_arn": self.caller_arn,
            "scanned_at": self.scanned_at.isoformat(),
            "scanned_by_version": self.scanned_by_version,
            "signature": self.signature.value,
            "snapshot_file": self.snapshot_file,
            "snapshot_sha256": self.snapshot_sha256,
            "upgraded_from": self.upgraded_from,
        }


def _inert(value: object, limit: int = 200) -> str:
    """A value from a file (hostile: an edited snapshot or report) as one printable line:
    control characters (escape sequences, new lines) shown as ``\\xNN``, length capped."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(data: dict[str, Any] | None) -> str:
    """One printable line saying how a review was made, from its ``provenance`` object."""
    if not isinstance(data, dict):
        return "unknown (the review carries no provenance)"
    data = {key: None if value is None else _inert(value) for key, value in data.items()}
    who = data.get("caller_arn") or "an unknown identity"
    scanned = f"scanned by {who} at {data.get('scanned_at')}"
    origin = data.get("origin")
    if origin == Origin.LIVE_SCAN:
        return f"live scan by wellsec {data.get('tool_version')}, {scanned}"
    if origin == Origin.DEMO:
        return f"demo organization (emulated), wellsec {data.get('tool_version')}"
    if origin == Origin.UPGRADE:
        checked = "trusted" if data.get("signature") == Signature.VERIFIED else "NOT verified"
        return (
            f"upgrade of stored review {data.get('upgraded_from')} by wellsec "
            f"{data.get('tool_version')}; evidence ({checked}) {scanned}"
        )
    states: dict[str, str] = {
        Signature.VERIFIED: "signature verified",
        Signature.UNSIGNED: "NOT signed",
        Signature.NOT_CHECKED: "signature NOT checked",
    }
    signature = states.get(str(data.get("signature")), "signature state unknown")
    return (
        f"offline evaluation of snapshot file {data.get('snapshot_file')} "
        f"(sha256 {data.get('snapshot_sha256')}, {signature}) by wellsec "
        f"{data.get('tool_version')}; evidence {scanned}"
    )


def trusted(data: dict[str, Any] | None) -> bool:
    """Whether a review's evidence is known to be what AWS answered: read live by wellsec,
    or from a snapshot file whose signature was verified (or an upgrade of such a review)."""
    if not isinstance(data, dict):
        return False
    if data.get("origin") == Origin.LIVE_SCAN:
        return True
    return data.get("origin") in {Origin.SNAPSHOT_FILE, Origin.UPGRADE} and (
        data.get("signature") == Signature.VERIFIED
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def of_scan(snapshot: Snapshot, origin: Origin = Origin.LIVE_SCAN) -> Provenance:
    """The provenance of a review of evidence this run has just read (and, with another
    ``origin``, what the other kinds of provenance start from)."""
    return Provenance(
        origin=origin,
        tool_version=__version__,
        made_at=dt.datetime.now(dt.UTC),
        caller_arn=snapshot.caller_arn or None,
        scanned_at=snapshot.created_at,
        scanned_by_version=snapshot.tool_version,
    )


def of_file(snapshot: Snapshot, path: str, data: bytes, verified: bool | None) -> Provenance:
    """The provenance of a review of snapshot file ``path`` whose bytes are ``data``
    (``verified``: True signature verified, False unsigned, None no key to check)."""
    return dataclasses.replace(
        of_scan(snapshot, Origin.SNAPSHOT_FILE),
        signature=_signature(verified),
        snapshot_file=path,
        snapshot_sha256=sha256_hex(data),
    )


def _signature(verified: bool | None) -> Signature:
    if verified is None:
        return Signature.NOT_CHECKED
    return Signature.VERIFIED if verified else Signature.UNSIGNED


def of_upgrade(
    snapshot: Snapshot, review_id: int, snapshot_text: str, source: dict[str, Any] | None
) -> Provenance:
    """The provenance of stored review ``review_id`` (whose provenance is ``source``)
    re-evaluated under a newer lens: its evidence is as trusted as the source's."""
    return dataclasses.replace(
        of_scan(snapshot, Origin.UPGRADE),
        signature=Signature.VERIFIED if trusted(source) else Signature.NOT_CHECKED,
        snapshot_sha256=sha256_hex(snapshot_text.encode()),
        upgraded_from=review_id,
    )


def missing_accounts(snapshot: Snapshot, workload: Workload) -> list[tuple[str, str]]:
    """In-scope accounts (id, name) that the snapshot's own organization evidence lists
    but the snapshot holds no account for: evidence dropped from the file."""
    from wellsec.collect.scope import select_accounts

    info = snapshot.organization.get(keys.ORGANIZATION.name)
    listed = snapshot.organization.get(keys.ACCOUNTS.name)
    if not (isinstance(info, dict) and info.get("in_organization") and isinstance(listed, list)):
        return []  # no account list to compare with (a scan note says so when unreadable)
    wanted, _ = select_accounts(workload, snapshot.organization, snapshot.caller_account)
    held = {a.id for a in snapshot.accounts}
    return [(a["id"], a["name"]) for a in wanted if a["id"] not in held]


def load_checked(
    path: str | Path, key: bytes | None, required: bool
) -> tuple[Snapshot, Provenance]:
    """Read snapshot file ``path`` once: check its signature over exactly the bytes that
    are then parsed, and say so in the provenance. Raise :class:`InputError` (or
    :class:`SnapshotError`) when it cannot be read, parsed or verified as asked."""
    from wellsec.signing import check_file
    from wellsec.snapshot import parse_snapshot, read_snapshot_bytes

    p = Path(path)
    data = read_snapshot_bytes(p)
    verified = check_file(p, data, key, required)
    snapshot = parse_snapshot(data, p)
    return snapshot, of_file(snapshot, str(p), data, verified)
