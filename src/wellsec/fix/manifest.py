"""What ``wellsec fix`` wrote into an output directory, so ``--force`` replaces only that.

The manifest (``.wellsec-fix-manifest.json``, written last) lists every file of a plan
by relative path with its SHA-256. A directory may be replaced only when everything in
it is a file the manifest lists, unchanged, or a folder holding such files: anything
else (a file wellsec did not write or that was edited since, a symbolic link, a device)
is someone else's and is never touched. Names found on disk are shown escaped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

MANIFEST_NAME = ".wellsec-fix-manifest.json"
SCHEMA = "wellsec.fix-manifest/1"
MAX_MANIFEST_BYTES = 1 << 20  # a plan's manifest is a few kilobytes
_HEX = frozenset("0123456789abcdef")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: dict[str, str]) -> str:
    """The manifest of ``files`` as written (UTF-8 text)."""
    listed = {path: digest(text.encode("utf-8")) for path, text in sorted(files.items())}
    return json.dumps({"schema": SCHEMA, "files": listed}, indent=2, sort_keys=True) + "\n"


def _read_nofollow(path: Path, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file, never through a symbolic link; None if it is not one."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read() if limit is None else handle.read(limit + 1)
    finally:
        os.close(fd)


def _valid_path(text: str) -> bool:
    path = PurePosixPath(text)
    return (
        bool(text)
        and not path.is_absolute()
        and not {"..", "."} & set(text.split("/"))
        and "\x00" not in text
        and text != MANIFEST_NAME
    )


def read_manifest(directory: Path) -> dict[str, str] | None:
    """Relative path -> SHA-256 of what wellsec wrote, or None without a valid manifest."""
    raw = _read_nofollow(directory / MANIFEST_NAME, MAX_MANIFEST_BYTES)
    if raw is None or len(raw) > MAX_MANIFEST_BYTES:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return None
    files = data.get("files")
    if not isinstance(files, dict):
        return None
    for path, sha in files.items():
        if not _valid_path(path) or not isinstance(sha, str) or len(sha) != 64:
            return None
        if not set(sha) <= _HEX:
            return None
    return {str(p): str(s) for p, s in files.items()}


def _entries(directory: Path, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under ``directory`` (relative name, entry), not descending into links."""
    with os.scandir(directory) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        relative = prefix + entry.name
        yield relative, entry
        if entry.is_dir(follow_symlinks=False):
            yield from _entries(Path(entry.path), relative + "/")


def foreign(directory: Path) -> str | None:
    """The first thing in ``directory`` wellsec did not write, described; None if none."""
    listed = read_manifest(directory)
    written = listed or {}
    folders = {str(p) for path in written for p in PurePosixPath(path).parents if str(p) != "."}
    for relative, entry in _entries(directory):
        name = repr(relative)
        if entry.is_symlink():
            return f"{name} is a symbolic link, which wellsec never writes"
        if relative == MANIFEST_NAME and listed is not None:
            continue
        if entry.is_dir(follow_symlinks=False):
            if relative not in folders:
                return f"{name} is a folder wellsec did not write"
            continue
        if not entry.is_file(follow_symlinks=False):
            return f"{name} is not a regular file"
        if relative not in written:
            return f"{name} was not written by wellsec"
        data = _read_nofollow(Path(entry.path))
        if data is None or digest(data) != written[relative]:
            return f"{name} changed since wellsec wrote it"
    return None


def remove_written(directory: Path, written: dict[str, str]) -> None:
    """Delete the listed files, the manifest and the folders they leave empty; anything
    else stays (never a recursive delete)."""
    for relative in [*written, MANIFEST_NAME]:
        path = directory / relative
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                os.unlink(path)
        except OSError:
            continue
    folders = {p for path in written for p in PurePosixPath(path).parents if str(p) != "."}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            os.rmdir(directory / folder)
        except OSError:
            continue
    with contextlib.suppress(OSError):
        os.rmdir(directory)
