"""Threat models the workload points at (Threat Composer exports and other documents).

``wellsec.yaml``'s ``threat_model:`` lists references; :func:`load_reports` reads
each once, at evaluation time, and describes it in a :class:`ThreatModelReport`.
Nothing here raises on a bad document: a broken export is a report that says
so (the BP07 checks FAIL with its one-line problem), not an error that stops
the review.

Kinds of reference:

* ``*.tc.json``: a Threat Composer export, validated and assessed for completeness.
* any other local path (``.md``, ``.pdf``...): a document; only its existence is
  checked, its contents are not assessed.
* a URL (``https://...``): cannot be checked offline; the checks rely on the
  ``threat_model_maintained`` attestation for it and say so.

When a model last changed comes from git: the commit date of the file's last
commit (``git log -1 --format=%cI``, run in the file's directory, with a
timeout). When git cannot say (no git, not a repository, file not committed),
the report gives the reason and the checks fall back to the attestation's date.
The file's modification time is never used: a checkout, copy or unzip sets it,
so it would make any old model look freshly maintained.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from wellsec.attest.threat_composer import MAX_BYTES, Completeness, assess, parse_export

TC_SUFFIX = ".tc.json"
GIT_TIMEOUT_SECONDS = 10.0
# git reads the repository's own configuration, which may name programs to run: with
# ``log.showSignature`` set, ``git log`` verifies signatures by running ``gpg.program`` (or
# ``gpg.ssh.program``/``gpg.x509.program``), and ``core.fsmonitor`` names a hook program
# (git-config(1), https://git-scm.com/docs/git-config). Command-line ``-c`` settings win over
# every configuration file, so these switch off everything ``git log`` could run; system and
# global files are not read, and no GIT_* variable of ours reaches git (GIT_DIR would point
# it at another repository, GIT_CONFIG_PARAMETERS or GIT_EXTERNAL_DIFF would add programs).
_GIT_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "log.showSignature=false",
    "gpg.program=false",
    "gpg.ssh.program=false",
    "gpg.x509.program=false",
    "diff.external=",
)


class RefKind(StrEnum):
    THREAT_COMPOSER = "threat-composer"
    DOCUMENT = "document"
    URL = "url"


class ReportState(StrEnum):
    VALID = "valid"  # a Threat Composer export that passed validation
    INVALID = "invalid"  # a Threat Composer export that did not (or not a regular file)
    FOUND = "found"  # another document: it exists, contents not assessed
    MISSING = "missing"  # the declared path does not exist
    UNREADABLE = "unreadable"  # there, but it could not be read (permissions, I/O)
    UNVERIFIED = "unverified"  # a URL: cannot be checked offline


@dataclass(frozen=True)
class ThreatModelReport:
    """What wellsec could establish about one declared threat model."""

    ref: str
    kind: RefKind
    state: ReportState
    problem: str | None = None  # one line, naming the file and the place: "<path>: threats[3]..."
    name: str | None = None  # applicationInfo.name of a Threat Composer export
    completeness: Completeness | None = None
    last_commit: dt.datetime | None = None
    git_note: str | None = None  # why git gave no date (or why its date is suspect)


def ref_kind(ref: str) -> RefKind:
    if "://" in ref:
        return RefKind.URL
    return RefKind.THREAT_COMPOSER if ref.lower().endswith(TC_SUFFIX) else RefKind.DOCUMENT


def load_reports(
    refs: list[str],
    now: dt.datetime,
    *,
    git: str = "git",
    git_timeout: float = GIT_TIMEOUT_SECONDS,
) -> tuple[ThreatModelReport, ...]:
    """Read and assess each threat-model reference; one report per reference, in order.

    ``now`` is the evaluation time: a commit dated after it is reported in
    ``git_note`` (clock skew or a forged date). ``git`` is the git executable.
    """
    return tuple(load_report(ref, now, git=git, git_timeout=git_timeout) for ref in refs)


def load_report(
    ref: str,
    now: dt.datetime,
    *,
    git: str = "git",
    git_timeout: float = GIT_TIMEOUT_SECONDS,
) -> ThreatModelReport:
    kind = ref_kind(ref)
    if kind is RefKind.URL:
        return ThreatModelReport(
            ref, kind, ReportState.UNVERIFIED, git_note="a URL cannot be checked offline"
        )
    path = Path(ref)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return ThreatModelReport(ref, kind, ReportState.MISSING, f"{ref}: not found")
    except OSError as exc:
        return ThreatModelReport(ref, kind, ReportState.UNREADABLE, f"{ref}: {_why(exc)}")
    last_commit, git_note = last_commit_date(path, now, git=git, timeout=git_timeout)

    def report(state: ReportState, problem: str | None = None) -> ThreatModelReport:
        return ThreatModelReport(
            ref, kind, state, problem, last_commit=last_commit, git_note=git_note
        )

    if kind is RefKind.DOCUMENT:
        return report(ReportState.FOUND)  # existence only: its contents are not assessed
    if not path.is_file():
        return report(ReportState.INVALID, f"{ref}: not a regular file")
    if info.st_size > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        return report(ReportState.INVALID, f"{ref}: larger than {limit} MB ({info.st_size} bytes)")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return report(ReportState.UNREADABLE, f"{ref}: {_why(exc)}")
    parsed = parse_export(data)
    if isinstance(parsed, str):
        return report(ReportState.INVALID, f"{ref}: {parsed}")
    return replace(report(ReportState.VALID), name=parsed.name, completeness=assess(parsed))


def _why(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}"


def last_commit_date(
    path: Path, now: dt.datetime, *, git: str = "git", timeout: float = GIT_TIMEOUT_SECONDS
) -> tuple[dt.datetime | None, str | None]:
    """The committer date of the last commit touching ``path``, or None and the reason."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        LC_ALL="C",
    )
    settings = [arg for pair in _GIT_SAFE_CONFIG for arg in ("-c", pair)]
    command = [git, "--no-pager", *settings, "log", "-1", "--no-show-signature", "--format=%cI"]
    try:
        done = subprocess.run(
            [*command, "--", path.name],
            cwd=path.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return None, "git is not installed"
    except subprocess.TimeoutExpired:
        return None, f"git did not answer within {timeout:g} s"
    except OSError as exc:
        return None, f"git could not run: {exc.strerror or exc}"
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        if "not a git repository" in first:
            return None, "not in a git repository"
        return None, f"git failed: {first[:200]}"
    stamp = done.stdout.strip()
    if not stamp:
        return None, "not committed to git"
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None, f"git gave an unreadable date {stamp[:40]!r}"
    if when > now:
        return when, f"last commit is dated after the review time ({when.isoformat()})"
    return when, None
