"""Errors raised by wellsec's library code.

Only the CLI turns these into exit codes and messages (``wellsec.cli.exits``)::

    WellsecError
    ├── InputError          bad user input: a file that cannot be read or parsed
    │   ├── LensError       a lens file that breaks the custom-lens rules
    │   ├── WorkloadError   a malformed wellsec.yaml (workload or attestations)
    │   └── SnapshotError   a snapshot that cannot be read or is of another schema
    └── CollectionError     nothing could be collected (no credentials, no reachable account)
"""

from __future__ import annotations

from pathlib import Path


class WellsecError(Exception):
    """Base of every error wellsec raises on purpose."""


class InputError(WellsecError):
    """A file given to wellsec is unreadable or invalid.

    The message is one line naming the file, where in it, and the problem.
    """

    def __init__(self, path: str | Path | None, problem: str, where: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        self.where = where
        parts = [p for p in (self.path, where) if p]
        prefix = ": ".join(parts)
        super().__init__(f"{prefix}: {problem}" if prefix else problem)


class LensError(InputError):
    """A lens file is not a valid custom lens."""


class WorkloadError(InputError):
    """A workload file (wellsec.yaml) is invalid."""


class SnapshotError(InputError):
    """A snapshot file cannot be used."""


class CollectionError(WellsecError):
    """Nothing could be collected: no credentials, or no account could be entered."""
