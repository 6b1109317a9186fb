"""The CLI package imports one way: ``wellsec.cli`` (the app) imports the command
modules, each command module imports only options, exits and the support modules."""

from __future__ import annotations

import ast
from pathlib import Path

import wellsec.cli

PACKAGE = "wellsec.cli"
HERE = Path(wellsec.cli.__file__).parent
# Modules that commands share; every other module of the package is a command module.
SHARED = {"exits", "options", "support", "stores", "reports", "wa_support"}
MODULES = {p.stem for p in HERE.glob("*.py")} - {"__init__"}
COMMANDS = MODULES - SHARED


def imported(path: Path) -> set[str]:
    """The modules ``path`` imports. ``from wellsec.cli import x`` counts as importing the
    package, even when x is a module: modules name the module they import from, so that
    no import-graph reading can see a module importing the package back."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.add(f"relative import in {path.name}")
    return names


def test_the_package_has_command_modules_and_shared_ones() -> None:
    assert SHARED <= MODULES
    assert {"review", "store", "wa", "wa_pull", "export", "fix", "lens", "local"} <= COMMANDS


def test_no_module_imports_the_app_back() -> None:
    for name in sorted(MODULES):
        found = imported(HERE / f"{name}.py")
        assert PACKAGE not in found, f"{name} imports {PACKAGE} (the app)"
        assert not any(n.startswith("relative import") for n in found), name


def test_command_modules_are_leaves() -> None:
    for name in sorted(MODULES):
        found = imported(HERE / f"{name}.py")
        others = {f"{PACKAGE}.{c}" for c in COMMANDS - {name}}
        assert not found & others, f"{name} imports the command modules {found & others}"


def test_the_app_registers_every_command_module() -> None:
    found = imported(HERE / "__init__.py")
    assert {f"{PACKAGE}.{c}" for c in COMMANDS} <= found


def test_the_check_itself_sees_a_command_module_importing_another(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from wellsec.cli import options\nfrom wellsec.cli.wa import app\n", encoding="utf-8"
    )
    assert imported(bad) == {PACKAGE, f"{PACKAGE}.wa"}
