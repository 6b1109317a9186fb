"""The plan's files, and writing them all or nothing.

Everything is written into a fresh temporary directory beside the output directory and
renamed into place once complete, so an interrupted or failed run leaves either the
previous contents or the new ones, never a mix. An existing directory is replaced only
when it holds nothing but an earlier plan's unchanged files (:mod:`wellsec.fix.manifest`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from wellsec.fix.cfn import dump_json
from wellsec.fix.manifest import (
    MANIFEST_NAME,
    foreign,
    manifest_text,
    read_manifest,
    remove_written,
)
from wellsec.fix.model import FixError, FixPlan
from wellsec.fix.render import SCRIPT_PATH, render_plan, render_script

PLAN_PATH = "PLAN.md"
MANIFEST_PATH = "plan.json"


def plan_files(plan: FixPlan) -> dict[str, str]:
    """Every file of the plan by relative path, sorted."""
    files: dict[str, str] = {}
    for artifact in plan.artifacts:
        for path, text in artifact.files:
            if path in files and files[path] != text:
                raise ValueError(f"two artifacts write different {path}")
            files[path] = text
    script = render_script(plan)
    if script is not None:
        files[SCRIPT_PATH] = script
    files[PLAN_PATH] = render_plan(plan)
    files[MANIFEST_PATH] = dump_json(plan.to_dict())
    return dict(sorted(files.items()))


def _safe(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"unsafe output path {relative!r}")
    return path


def _check_target(target: Path, force: bool) -> None:
    """Refuse a directory wellsec may not replace, naming what is in the way."""
    if target.is_symlink():
        raise FixError(target, "is a symbolic link; give the directory itself")
    if target.exists() and not target.is_dir():
        raise FixError(target, "exists and is not a directory")
    try:
        if not target.is_dir() or not any(target.iterdir()):
            return
        problem = foreign(target)
    except OSError as exc:
        raise FixError(target, f"cannot read: {exc.strerror or exc}") from None
    if problem is not None:
        raise FixError(
            target,
            f"{problem}; choose an empty or new directory "
            "(--force replaces only files an earlier wellsec fix wrote there)",
        )
    if not force:
        raise FixError(target, "holds an earlier wellsec fix plan; pass --force to replace it")


def write_plan(files: dict[str, str], output_dir: str | Path, force: bool = False) -> None:
    """Write ``files`` and their manifest under ``output_dir`` atomically.

    A non-empty directory is replaced only with ``force``, and only when it holds nothing
    but the unchanged files of an earlier plan (see :mod:`wellsec.fix.manifest`).
    """
    target = Path(output_dir)
    _check_target(target, force)
    real = target.resolve()  # the last part is no link: only the parents resolve
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{real.name}.", dir=real.parent))
    except OSError as exc:
        raise FixError(target, f"cannot write: {exc.strerror or exc}") from None
    umask = os.umask(0)
    os.umask(umask)
    try:
        for relative, text in files.items():
            path = staging / _safe(relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            os.chmod(path, (0o777 if relative.endswith(".sh") else 0o666) & ~umask)
        manifest = staging / MANIFEST_NAME  # last: a directory without it is not ours
        manifest.write_text(manifest_text(files), encoding="utf-8", newline="\n")
        os.chmod(manifest, 0o666 & ~umask)
        os.chmod(staging, 0o777 & ~umask)
        _swap(staging, real, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise FixError(target, f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, real: Path, shown: Path) -> None:
    """Put ``staging`` where ``real`` is, restoring the old contents on failure.

    The old directory is checked again once moved aside (something may have appeared
    since the first check) and then emptied of wellsec's own files only.
    """
    if not real.exists():
        os.rename(staging, real)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{real.name}.old.", dir=real.parent))
    os.rmdir(old)
    os.rename(real, old)
    problem = foreign(old)
    if problem is not None:
        os.rename(old, real)
        raise FixError(shown, f"{problem}; left as it was")
    try:
        os.rename(staging, real)
    except BaseException:
        os.rename(old, real)
        raise
    remove_written(old, read_manifest(old) or {})
