"""Pulled attestations merged into ``wellsec.yaml``, the rest of the file left as it was.

Only the top-level ``attestations:`` block is rewritten (comments elsewhere stay). The
result is parsed again and must describe the same workload with the merged attestations,
or nothing is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from wellsec.errors import WorkloadError
from wellsec.workload import Attestation, Workload, parse_workload

_KEY = re.compile(r"^attestations\s*:")


def merge(
    existing: list[Attestation], pulled: list[Attestation], link: str
) -> tuple[list[Attestation], list[str]]:
    """Replace what an earlier pull took from the same workload (same evidence link) with
    ``pulled``; a person's attestation of the same id and as recent is kept instead."""
    kept = [a for a in existing if a.evidence != link]
    messages: list[str] = []
    added: list[Attestation] = []
    for new in pulled:
        newer = [a for a in kept if a.id == new.id and a.date >= new.date]
        if newer:
            messages.append(
                f"{new.id}: kept the attestation by {newer[0].by} on {newer[0].date} "
                f"(as recent as the WA Tool's, {new.date})"
            )
            continue
        added.append(new)
    return kept + added, messages


def _entries(attestations: list[Attestation]) -> list[dict[str, Any]]:
    return [a.model_dump(mode="json", exclude_none=True) for a in attestations]


def _block(attestations: list[Attestation]) -> str:
    if not attestations:
        return "attestations: []\n"
    dumped = yaml.safe_dump(
        _entries(attestations), sort_keys=False, default_flow_style=False, allow_unicode=True
    )
    return "attestations:\n" + dumped


def rewrite(text: str, attestations: list[Attestation]) -> str:
    """``text`` with its top-level attestations block replaced (or appended)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _KEY.match(line)), None)
    block = _block(attestations)
    if start is None:
        body = text if not text or text.endswith("\n") else text + "\n"
        return body + ("\n" if body else "") + block
    end = start + 1
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.startswith((" ", "\t", "- ")) or line.rstrip("\r\n") == "-":
            end = i + 1
        elif line.strip() and not line.startswith("#"):
            break
    return "".join(lines[:start]) + block + "".join(lines[end:])


def updated_text(path: Path, workload: Workload, attestations: list[Attestation]) -> str:
    """The new text of the workload file; :class:`WorkloadError` if it cannot be done safely."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkloadError(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    new_text = rewrite(text, attestations)
    try:
        reparsed = parse_workload(yaml.safe_load(new_text), path)
    except yaml.YAMLError:
        reparsed = None
    expected = workload.model_copy(update={"attestations": attestations})
    compare = {"threat_model": expected.threat_model}  # paths were resolved when loaded
    if reparsed is None or reparsed.model_copy(update=compare) != expected:
        raise WorkloadError(
            path, "cannot update its attestations safely; add the printed entries by hand"
        )
    return new_text
