"""Threat Composer exports for tests, and a real git repository to date them.

``export()`` is a small, complete model: three threats (High, Medium, Low), each
with a Priority and STRIDE categories; the two open ones linked to a mitigation;
the third resolved. Tests change one piece and look at what wellsec says.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def uid(kind: str, n: int) -> str:
    """A 36-character id, readable in failures: ``threat-0000...0001``."""
    prefix = f"{kind}-"
    return prefix + str(n).rjust(36 - len(prefix), "0")


def threat(
    n: int,
    priority: str | None = "High",
    stride: list[str] | None = None,
    status: str = "threatIdentified",
) -> dict[str, Any]:
    metadata: list[dict[str, Any]] = []
    if priority is not None:
        metadata.append({"key": "Priority", "value": priority})
    if stride != []:
        metadata.append({"key": "STRIDE", "value": stride or ["T"]})
    return {
        "id": uid("threat", n),
        "numericId": n,
        "displayOrder": n,
        "threatSource": "An external threat actor",
        "statement": f"An external threat actor can do harm number {n}",
        "status": status,
        "metadata": metadata,
        "tags": ["test"],
    }


def mitigation(n: int, status: str | None = "mitigationResolved") -> dict[str, Any]:
    value: dict[str, Any] = {"id": uid("mitigation", n), "numericId": n, "content": f"Fix {n}"}
    if status is not None:
        value["status"] = status
    return value


def link(mitigation_n: int, threat_n: int) -> dict[str, str]:
    return {"mitigationId": uid("mitigation", mitigation_n), "linkedId": uid("threat", threat_n)}


def export() -> dict[str, Any]:
    return {
        "schema": 1,
        "applicationInfo": {"name": "payments", "description": "Card payments"},
        "architecture": {"description": "API Gateway, Lambda, DynamoDB", "image": ""},
        "dataflow": {"description": "customer -> API -> table", "image": ""},
        "assumptions": [{"id": uid("assumption", 1), "numericId": 1, "content": "TLS 1.2+"}],
        "mitigations": [mitigation(1), mitigation(2, "mitigationInProgress")],
        "threats": [
            threat(1, "High", ["S", "E"]),
            threat(2, "Medium", ["D"]),
            threat(3, "Low", ["I"], status="threatResolved"),
        ],
        "assumptionLinks": [
            {"type": "Threat", "assumptionId": uid("assumption", 1), "linkedId": uid("threat", 1)}
        ],
        "mitigationLinks": [link(1, 1), link(2, 2)],
    }


def write(directory: Path, doc: Any, name: str = "model.tc.json") -> Path:
    """Write ``doc`` as JSON (or as is, when it is ``str``/``bytes``); returns the path."""
    path = directory / name
    if isinstance(doc, bytes):
        path.write_bytes(doc)
    elif isinstance(doc, str):
        path.write_text(doc)
    else:
        path.write_text(json.dumps(doc, indent=2))
    return path


def git(repo: Path, *args: str, when: dt.datetime | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if when is not None:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = when.isoformat()
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout


def commit(repo: Path, path: Path, when: dt.datetime) -> None:
    """Commit ``path`` in ``repo`` (initialised on first use) with ``when`` as its date."""
    if not (repo / ".git").exists():
        git(repo, "init", "-q")
    git(repo, "add", str(path.relative_to(repo)))
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "threat model", when=when)
