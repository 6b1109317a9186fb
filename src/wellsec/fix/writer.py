"""The plan's files, and writing them all or nothing.

Everything is written into a fresh temporary directory beside the output directory and
renamed into place once complete, so an interrupted or failed run leaves either the
previous contents or the new ones, never a mix.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from wellsec.fix.cfn import dump_json
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


def write_plan(files: dict[str, str], output_dir: str | Path, force: bool = False) -> None:
    """Write ``files`` under ``output_dir`` atomically.

    An existing non-empty directory is replaced only with ``force``.
    """
    target = Path(output_dir)
    if target.exists() and not target.is_dir():
        raise FixError(target, "exists and is not a directory")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise FixError(target, "is not empty; pass --force to replace its contents")
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise FixError(target, f"cannot write: {exc.strerror or exc}") from None
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(staging, 0o777 & ~umask)
        for relative, text in files.items():
            path = staging / _safe(relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            os.chmod(path, (0o777 if relative.endswith(".sh") else 0o666) & ~umask)
        _swap(staging, target.resolve())
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise FixError(target, f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is, restoring the old contents on failure."""
    if not target.exists():
        os.rename(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
