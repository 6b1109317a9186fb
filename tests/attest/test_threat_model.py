"""Reading declared threat models: kinds of reference, broken files, and git dates."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.attest.tc import commit, export, needs_git, write
from wellsec.attest.threat_composer import MAX_BYTES
from wellsec.attest.threat_model import (
    RefKind,
    ReportState,
    last_commit_date,
    load_report,
    load_reports,
    ref_kind,
)

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("ref", "kind"),
    [
        ("threats/payments.tc.json", RefKind.THREAT_COMPOSER),
        ("/abs/PAYMENTS.TC.JSON", RefKind.THREAT_COMPOSER),
        ("docs/threat-model.md", RefKind.DOCUMENT),
        ("threat-model.pdf", RefKind.DOCUMENT),
        ("threat-model.json", RefKind.DOCUMENT),
        ("https://wiki.example.com/payments/threat-model", RefKind.URL),
        ("https://git.example.com/payments/model.tc.json", RefKind.URL),
    ],
)
def test_kind_of_reference(ref: str, kind: RefKind) -> None:
    assert ref_kind(ref) is kind


def test_one_report_per_reference_in_order(tmp_path: Path) -> None:
    good = write(tmp_path, export())
    doc = write(tmp_path, "# Threat model\n", "threat-model.md")
    refs = [str(good), "https://wiki.example.com/tm", str(doc), str(tmp_path / "gone.tc.json")]
    reports = load_reports(refs, NOW)
    assert [r.ref for r in reports] == refs
    assert [r.state for r in reports] == [
        ReportState.VALID,
        ReportState.UNVERIFIED,
        ReportState.FOUND,
        ReportState.MISSING,
    ]
    assert load_reports([], NOW) == ()


def test_a_valid_export_carries_its_name_and_figures(tmp_path: Path) -> None:
    report = load_report(str(write(tmp_path, export())), NOW)
    assert report.state is ReportState.VALID
    assert report.kind is RefKind.THREAT_COMPOSER
    assert report.problem is None
    assert report.name == "payments"
    assert report.completeness is not None and report.completeness.threats == 3


def test_a_broken_export_is_a_report_naming_the_file_and_the_place(tmp_path: Path) -> None:
    doc = export()
    doc["threats"][2]["status"] = "fixed"
    path = write(tmp_path, doc)
    report = load_report(str(path), NOW)
    assert report.state is ReportState.INVALID
    assert report.completeness is None
    assert report.problem is not None
    assert report.problem.startswith(f"{path}: threats[2].status: Input should be")


def test_not_json_is_invalid(tmp_path: Path) -> None:
    path = write(tmp_path, "schema: 1\n")
    report = load_report(str(path), NOW)
    assert report.state is ReportState.INVALID
    assert report.problem == f"{path}: line 1 column 1: not valid JSON: Expecting value"


def test_a_file_over_5_mb_is_invalid_without_being_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.tc.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    report = load_report(str(path), NOW)
    assert report.state is ReportState.INVALID
    assert report.problem == f"{path}: larger than 5 MB ({MAX_BYTES + 1} bytes)"


def test_a_directory_named_like_an_export_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "model.tc.json"
    path.mkdir()
    report = load_report(str(path), NOW)
    assert report.state is ReportState.INVALID
    assert report.problem == f"{path}: not a regular file"


@pytest.mark.parametrize("name", ["gone.tc.json", "gone.md"])
def test_a_missing_file_is_missing(tmp_path: Path, name: str) -> None:
    report = load_report(str(tmp_path / name), NOW)
    assert report.state is ReportState.MISSING
    assert report.problem == f"{tmp_path / name}: not found"


def test_a_path_through_a_file_is_missing(tmp_path: Path) -> None:
    blocker = write(tmp_path, "x", "notes.txt")
    report = load_report(str(blocker / "model.tc.json"), NOW)
    assert report.state is ReportState.MISSING


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    path.chmod(0)
    try:
        report = load_report(str(path), NOW)
    finally:
        path.chmod(0o600)
    assert report.state is ReportState.UNREADABLE
    assert report.problem == f"{path}: cannot read: Permission denied"


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_fails_to_read_is_unreadable(tmp_path: Path) -> None:
    # Reading /proc/self/mem at offset 0 fails with EIO, even for root.
    link = tmp_path / "model.tc.json"
    link.symlink_to("/proc/self/mem")
    report = load_report(str(link), NOW)
    assert report.state is ReportState.UNREADABLE
    assert report.problem == f"{link}: cannot read: Input/output error"


def test_an_unresolvable_path_is_unreadable(tmp_path: Path) -> None:
    loop = tmp_path / "loop.tc.json"
    loop.symlink_to(loop)
    report = load_report(str(loop), NOW)
    assert report.state is ReportState.UNREADABLE
    assert report.problem is not None and report.problem.startswith(f"{loop}: cannot read: ")


def test_another_document_is_only_checked_to_exist(tmp_path: Path) -> None:
    path = write(tmp_path, b"%PDF-1.7 not really", "threat-model.pdf")
    report = load_report(str(path), NOW)
    assert report.kind is RefKind.DOCUMENT
    assert report.state is ReportState.FOUND
    assert report.completeness is None


def test_a_url_cannot_be_checked_offline() -> None:
    report = load_report("https://wiki.example.com/payments/threat-model", NOW)
    assert report.kind is RefKind.URL
    assert report.state is ReportState.UNVERIFIED
    assert report.last_commit is None
    assert report.git_note == "a URL cannot be checked offline"


# --- currency from git ----------------------------------------------------------------------


@needs_git
def test_the_date_is_the_files_last_commit(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    commit(tmp_path, path, NOW - dt.timedelta(days=200))
    other = write(tmp_path, "notes", "other.md")
    commit(tmp_path, other, NOW - dt.timedelta(days=3))  # a later commit of another file
    report = load_report(str(path), NOW)
    assert report.state is ReportState.VALID
    assert report.last_commit == NOW - dt.timedelta(days=200)
    assert report.git_note is None


@needs_git
def test_the_file_is_dated_in_a_subdirectory_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "security").mkdir()
    path = write(tmp_path / "security", export())
    commit(tmp_path, path, NOW - dt.timedelta(days=10))
    write(tmp_path / "security", {"schema": 1})  # uncommitted edit: the commit still dates it
    report = load_report(str(path), NOW)
    assert report.last_commit == NOW - dt.timedelta(days=10)


@needs_git
def test_a_file_not_committed_has_no_date_and_says_why(tmp_path: Path) -> None:
    tracked = write(tmp_path, "x", "README.md")
    commit(tmp_path, tracked, NOW - dt.timedelta(days=1))
    path = write(tmp_path, export())
    report = load_report(str(path), NOW)
    assert report.last_commit is None
    assert report.git_note == "not committed to git"


@needs_git
def test_a_file_outside_any_repository_has_no_date(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    report = load_report(str(path), NOW)
    assert report.state is ReportState.VALID
    assert report.last_commit is None
    assert report.git_note == "not in a git repository"


def test_without_git_installed_there_is_no_date(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    report = load_report(str(path), NOW, git=str(tmp_path / "no-such-git"))
    assert report.state is ReportState.VALID
    assert report.last_commit is None
    assert report.git_note == "git is not installed"


def test_a_git_that_hangs_is_given_up_on(tmp_path: Path) -> None:
    slow = tmp_path / "slow-git"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    path = write(tmp_path, export())
    when, note = last_commit_date(path, NOW, git=str(slow), timeout=0.2)
    assert when is None
    assert note == "git did not answer within 0.2 s"


def test_a_git_that_fails_says_how(tmp_path: Path) -> None:
    broken = tmp_path / "broken-git"
    broken.write_text("#!/bin/sh\necho 'fatal: detected dubious ownership' >&2\nexit 128\n")
    broken.chmod(0o755)
    path = write(tmp_path, export())
    assert last_commit_date(path, NOW, git=str(broken)) == (
        None,
        "git failed: fatal: detected dubious ownership",
    )


@needs_git
def test_a_commit_dated_after_the_review_is_flagged(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    commit(tmp_path, path, NOW + dt.timedelta(days=30))
    report = load_report(str(path), NOW)
    assert report.last_commit == NOW + dt.timedelta(days=30)
    assert report.git_note is not None and "after the review time" in report.git_note


@needs_git
def test_git_environment_cannot_redirect_the_lookup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    decoy = write(elsewhere, export())
    commit(elsewhere, decoy, NOW - dt.timedelta(days=1))
    (tmp_path / "mine").mkdir()
    path = write(tmp_path / "mine", export())
    monkeypatch.setenv("GIT_DIR", str(elsewhere / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(elsewhere))
    assert load_report(str(path), NOW).git_note == "not in a git repository"


@needs_git
def test_documents_are_dated_by_git_too(tmp_path: Path) -> None:
    path = write(tmp_path, "# Threat model", "threat-model.md")
    commit(tmp_path, path, NOW - dt.timedelta(days=5))
    report = load_report(str(path), NOW)
    assert report.state is ReportState.FOUND
    assert report.last_commit == NOW - dt.timedelta(days=5)


def test_the_modification_time_is_never_used(tmp_path: Path) -> None:
    path = write(tmp_path, export())
    fresh = NOW.timestamp()
    os.utime(path, (fresh, fresh))
    report = load_report(str(path), NOW, git=str(tmp_path / "no-such-git"))
    assert report.last_commit is None
