"""A store that cannot be used never costs a finished review, never prints a traceback or a
password, and the store and reports are readable by their owner only (issue 14, item 7).

Everything runs through the real CLI on a saved snapshot: the store is what is under test.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.checks.builders import workload
from tests.checks.builders_detection import healthy
from tests.e2e.conftest import CLEAN_ENV
from wellsec.cli import app, lens_app
from wellsec.cli.milestone import milestone_app
from wellsec.snapshot import dumps

PASSWORD = "pa55-w0rd-xyz"  # made up: it must never be printed


@pytest.fixture()
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(dumps(healthy()))
    config = tmp_path / "wellsec.yaml"
    config.write_text(yaml.safe_dump(workload().model_dump(mode="json")))
    return snapshot, config


def _cli(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={**CLEAN_ENV, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an uncaught exception is a failure, not an exit code
    return result.exit_code, result.stdout, result.stderr


def _newer_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    db.execute("INSERT INTO alembic_version VALUES ('9999')")
    db.commit()
    db.close()


def _other_app(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    db.commit()
    db.close()


def _not_sqlite(path: Path) -> None:
    path.write_text("these are somebody's notes, not a database\n" * 50)


def _truncated(path: Path) -> None:
    """A real wellsec store with a review, cut in half (a copy interrupted, a full disk)."""
    snapshot = path.parent / "for-truncation.json"
    snapshot.write_text(dumps(healthy()))
    config = path.parent / "for-truncation.yaml"
    config.write_text(yaml.safe_dump(workload().model_dump(mode="json")))
    url = f"sqlite:///{path}"
    _, _, err = _cli("evaluate", str(snapshot), "-c", str(config), "--record", "--store", url)
    assert "recorded review" in err, err
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BROKEN: dict[str, Callable[[Path], None]] = {
    "newer-schema": _newer_schema,
    "other-app": _other_app,
    "not-sqlite": _not_sqlite,
    "truncated": _truncated,
}


@pytest.fixture(params=[*BROKEN, "unusable-path", "directory"])
def broken_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "unusable-path":
        yield "sqlite:////proc/self/no-such-dir/wellsec.db"  # a folder that cannot be made
        return
    if request.param == "directory":
        yield f"sqlite:///{tmp_path}"
        return
    path = tmp_path / "broken" / "store.db"
    path.parent.mkdir()
    BROKEN[request.param](path)
    yield f"sqlite:///{path}"


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "╭" not in err, err
    return lines[0]


def test_a_broken_store_costs_no_review(
    inputs: tuple[Path, Path], broken_store: str, tmp_path: Path
) -> None:
    snapshot, config = inputs
    expected, _, _ = _cli("evaluate", str(snapshot), "-c", str(config))
    report = tmp_path / "report.json"
    args = ("evaluate", str(snapshot), "-c", str(config), "--record", "-f", "json")
    code, _, err = _cli(*args, "-o", str(report), "--store", broken_store)
    assert code == expected  # the review's exit code, not the store's
    assert report.exists() and '"schema": "wellsec.review/1"' in report.read_text()
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "review not recorded" in warnings[0], err
    assert "Traceback" not in err


def test_a_broken_store_still_prints_the_report_on_stdout(
    inputs: tuple[Path, Path], broken_store: str
) -> None:
    snapshot, config = inputs
    code, out, err = _cli(
        "evaluate", str(snapshot), "-c", str(config), "--record", "--store", broken_store
    )
    assert code in (0, 4)
    assert "SEC01-BP01" in out
    assert "review not recorded" in err


@pytest.mark.parametrize(
    "command",
    [
        ("history",),
        ("history", "--json"),
        ("diff", "previous", "latest", "-w", "payments"),
        ("milestone", "list"),
        ("milestone", "create", "m1", "-w", "payments"),
        ("due",),
        ("upgrade", "latest"),
    ],
)
def test_store_commands_on_a_broken_store_say_one_line(
    command: tuple[str, ...], broken_store: str, inputs: tuple[Path, Path]
) -> None:
    _, config = inputs
    extra = ("-c", str(config)) if command[0] == "upgrade" else ()
    code, _, err = _cli(*command, *extra, "--store", broken_store)
    assert code == 3, err  # the store cannot be used: nothing could be read
    assert _one_line(err).startswith("wellsec: error: store sqlite:")


def test_a_foreign_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "accounts.db"
    _other_app(path)
    code, _, err = _cli("history", "--store", f"sqlite:///{path}")
    assert code == 3 and "not a wellsec store" in err
    db = sqlite3.connect(path)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    assert tables == {"invoices"}


def test_a_review_the_store_lacks_is_bad_input(tmp_path: Path) -> None:
    code, _, err = _cli("diff", "1", "2", "-w", "x", "--store", f"sqlite:///{tmp_path / 's.db'}")
    assert code == 2 and _one_line(err) == "wellsec: error: no review 1 of 'x'"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://wellsec:{PASSWORD}@127.0.0.1:1/wellsec",
        f"postgresql+psycopg://wellsec:{PASSWORD}@[::1/wellsec",
        f"nosuchdb://wellsec:{PASSWORD}@localhost/wellsec",
    ],
)
def test_no_message_shows_the_store_password(url: str, inputs: tuple[Path, Path]) -> None:
    snapshot, config = inputs
    for command in (
        ("history", "--store", url),
        ("evaluate", str(snapshot), "-c", str(config), "--record", "--store", url),
        ("push", "--review", "latest", "--store", url),
    ):
        _, out, err = _cli(*command)
        assert PASSWORD not in out + err, command
        assert "wellsec" in err  # something was said


def test_no_typer_app_shows_locals_in_tracebacks() -> None:
    # Rich tracebacks with locals would print a store URL (with its password) held in a
    # local variable; every app the CLI is made of turns them off.
    for typer_app in (app, lens_app, milestone_app):
        assert typer_app.pretty_exceptions_show_locals is False


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_and_reports_are_private_whatever_the_umask(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    snapshot, config = inputs
    data_home = tmp_path / "data"
    data_home.mkdir()
    report = tmp_path / "report.html"
    report.write_text("an older report, world-readable")
    report.chmod(0o644)
    old = os.umask(0o022)
    try:
        _, _, err = _cli(
            "evaluate",
            str(snapshot),
            "-c",
            str(config),
            "--record",
            "-f",
            "html",
            "-o",
            str(report),
            env={"XDG_DATA_HOME": str(data_home), "WELLSEC_STORE": None},
        )
    finally:
        os.umask(old)
    assert "recorded review" in err, err
    store = data_home / "wellsec" / "wellsec.db"
    assert _mode(store.parent) == 0o700
    assert _mode(store) == 0o600
    for extra in (Path(f"{store}-wal"), Path(f"{store}-shm")):
        if extra.exists():
            assert _mode(extra) & 0o077 == 0, extra
    assert _mode(report) == 0o600
