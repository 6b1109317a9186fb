"""``wellsec fix --force`` replaces only what an earlier ``wellsec fix`` wrote: never the
working directory, never a file someone edited or added, never through a symbolic link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wellsec.cli import app
from wellsec.fix.manifest import MANIFEST_NAME

PHONE = ["--contact-phone", "+1 555 0100"]


def fix(review_files: tuple[Path, Path], out: str | Path, *extra: str) -> tuple[int, str]:
    review, snapshot = review_files
    args = ["fix", "--review", str(review), "--snapshot", str(snapshot), "-d", str(out)]
    result = CliRunner().invoke(app, [*args, *PHONE, *extra])
    return result.exit_code, result.stderr


def tree(root: Path) -> dict[str, str]:
    """Every file and link under ``root`` (links by their target, never followed)."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = "-> " + str(path.readlink())
        elif path.is_file():
            found[name] = path.read_text()
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a repository and a workload file, as the current one."""
    home = tmp_path / "project"
    (home / ".git" / "refs").mkdir(parents=True)
    (home / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (home / "wellsec.yaml").write_text("name: payments\n")
    monkeypatch.chdir(home)
    return home


def test_force_on_the_working_directory_deletes_nothing(
    review_files: tuple[Path, Path], project: Path
) -> None:
    before = tree(project)
    for extra in ((), ("--force",)):
        code, err = fix(review_files, ".", *extra)
        assert code == 2, err
        assert "'.git' is a folder wellsec did not write" in err
        assert "pass --force" not in err
        assert len(err.strip().splitlines()) == 1
    assert tree(project) == before and project.is_dir()


def test_a_file_someone_added_or_edited_is_left_alone(
    review_files: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "fixes"
    assert fix(review_files, out)[0] == 0
    (out / "notes.txt").write_text("mine")
    code, err = fix(review_files, out, "--force")
    assert code == 2 and "'notes.txt' was not written by wellsec" in err
    (out / "notes.txt").unlink()
    (out / "PLAN.md").write_text("reviewed and annotated")
    code, err = fix(review_files, out, "--force")
    assert code == 2 and "'PLAN.md' changed since wellsec wrote it" in err
    assert (out / "PLAN.md").read_text() == "reviewed and annotated"


def test_an_earlier_plan_is_replaced_with_force(
    review_files: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "fixes"
    assert fix(review_files, out)[0] == 0
    first = tree(out)
    code, err = fix(review_files, out)
    assert code == 2 and "holds an earlier wellsec fix plan; pass --force" in err
    (out / "starters" / "payments.tc.json").unlink()  # deleting our own file is fine
    code, err = fix(review_files, out, "--force")
    assert code == 0, err
    assert tree(out) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixes", "review.json", "snapshot.json"]


def test_a_symlinked_output_directory_is_refused(
    review_files: tuple[Path, Path], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "data.txt").write_text("precious")
    link = tmp_path / "fixes"
    link.symlink_to(elsewhere)
    for extra in ((), ("--force",)):
        code, err = fix(review_files, link, *extra)
        assert code == 2 and "is a symbolic link" in err
    assert tree(elsewhere) == {"data.txt": "precious"} and link.is_symlink()


@pytest.mark.parametrize("planted", ["scps", "PLAN.md", "commands/remediate.sh"])
def test_a_symlink_planted_in_an_earlier_plan_is_never_followed(
    review_files: tuple[Path, Path], tmp_path: Path, planted: str
) -> None:
    out = tmp_path / "fixes"
    assert fix(review_files, out)[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "data.txt").write_text("precious")
    target = out / planted
    if target.is_dir():
        for child in target.iterdir():
            child.unlink()
        target.rmdir()
        target.symlink_to(elsewhere)
    else:
        target.unlink()
        target.symlink_to(elsewhere / "data.txt")
    code, err = fix(review_files, out, "--force")
    assert code == 2 and f"{planted!r} is a symbolic link" in err
    assert tree(elsewhere) == {"data.txt": "precious"} and target.is_symlink()


def test_a_forged_manifest_cannot_reach_outside(
    review_files: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "fixes"
    assert fix(review_files, out)[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    manifest["files"]["../victim.txt"] = "0" * 64
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    code, err = fix(review_files, out, "--force")
    assert code == 2 and f"{MANIFEST_NAME!r} was not written by wellsec" in err
    assert victim.read_text() == "precious"


def test_hostile_file_names_are_named_escaped(
    review_files: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "fixes"
    out.mkdir()
    (out / "a\nwritten 99 files\x1b[2J").write_text("x")
    code, err = fix(review_files, out, "--force")
    assert code == 2 and "'a\\nwritten 99 files\\x1b[2J'" in err
    assert len(err.strip().splitlines()) == 1 and "\x1b" not in err
