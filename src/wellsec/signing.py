"""Signing snapshot and report files with a key the user controls (HMAC-SHA256).

Threat: between ``wellsec scan`` and ``wellsec evaluate --record`` (or between a report
and ``push``/``export``) the file sits on disk or in a CI artifact, where anyone who can
write it can turn a FAIL into a PASS. A detached signature ``FILE.sig`` made with a
secret key file lets those commands refuse a file that changed after it was signed.

HMAC (RFC 2104, Python's :mod:`hmac`) needs no new dependency; whoever can verify can
also sign, which fits one team scanning and evaluating with one secret (in a CI secret
store). The signed bytes are the file's exact bytes: any edit, even of white space,
breaks the signature.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from wellsec.errors import InputError

HEADER = "wellsec-signature/1"
ALGORITHM = "hmac-sha256"
MIN_KEY_BYTES = 32  # as long as the digest (RFC 2104 section 3)


def signature_path(path: str | Path) -> Path:
    """Where the detached signature of ``path`` lives: ``path`` + ``.sig``."""
    p = Path(path)
    return p.with_name(p.name + ".sig")


def load_key(path: str | Path) -> bytes:
    """The secret key in file ``path`` (surrounding white space ignored); at least 32 bytes.

    Make one with ``head -c 32 /dev/urandom | base64 > wellsec.key``."""
    p = Path(path)
    try:
        key = p.read_bytes().strip()
    except OSError as exc:
        raise InputError(p, f"cannot read the key: {exc.strerror or exc}") from None
    if len(key) < MIN_KEY_BYTES:
        raise InputError(p, f"a key must be at least {MIN_KEY_BYTES} bytes (it has {len(key)})")
    return key


def key_id(key: bytes) -> str:
    """A short public name of a key, to tell keys apart without showing them."""
    return hashlib.sha256(b"wellsec key id\0" + key).hexdigest()[:16]


def sign(data: bytes, key: bytes) -> str:
    """The detached signature of ``data`` (one line of text)."""
    mac = hmac.new(key, data, hashlib.sha256).hexdigest()
    return f"{HEADER} {ALGORITHM} {key_id(key)} {mac}\n"


def verify(data: bytes, signature: str, key: bytes, source: str | Path) -> None:
    """Raise :class:`InputError` (naming ``source``) unless ``signature`` is ``key``'s
    signature of ``data``."""
    parts = signature.split()
    if len(parts) != 4 or parts[0] != HEADER or parts[1] != ALGORITHM:
        raise InputError(source, f"malformed signature (expected '{HEADER} {ALGORITHM} …')")
    if not hmac.compare_digest(parts[2], key_id(key)):
        raise InputError(source, "signed with another key than --verify-key")
    expected = hmac.new(key, data, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(parts[3], expected):
        raise InputError(source, "signature does not match: the file changed after signing")


def read_signature(path: str | Path) -> str | None:
    """The text of ``path``'s detached signature, or None when there is none."""
    sig = signature_path(path)
    try:
        return sig.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(sig, f"cannot read: {exc.strerror or exc}") from None


def check_file(path: str | Path, data: bytes, key: bytes | None, required: bool) -> bool | None:
    """Check ``path``'s signature over ``data`` (its bytes, read once by the caller).

    Returns True when verified, False when there is no signature (allowed unless
    ``required``), None when no key was given. A signature that does not verify is
    always an error, and so is a missing one when ``required``."""
    if key is None:
        if required:
            raise InputError(path, "--require-signed needs --verify-key")
        return None
    signature = read_signature(path)
    if signature is None:
        if required:
            raise InputError(
                path, f"not signed (no {signature_path(path).name}) and --require-signed was given"
            )
        return False
    verify(data, signature, key, signature_path(path))
    return True
