"""Test tiers. Tests that talk to the emulator over HTTP are ``e2e``; the few that run
many whole reviews are also ``slow``. The inner loop while editing is

    .venv/bin/pytest -m "not e2e"        # checks, lens, render, store, fix units: seconds

and the README's test command runs everything, spread over the machine's cores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
E2E_DIRS = ("e2e", "emulator")
E2E_MODULES = ("meta/test_catalogue_errors.py",)
# Modules that run a whole review many times over (minutes each on two cores).
SLOW_MODULES = ("e2e/test_denial_property.py", "e2e/test_fix_closed_loop.py", "e2e/test_leaks.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tiers, and run the slow modules first: spread over the cores, the longest
    module then overlaps the rest of the suite instead of finishing last."""
    for item in items:
        relative = Path(item.path).resolve().relative_to(HERE.resolve()).as_posix()
        if relative.split("/", 1)[0] in E2E_DIRS or relative in E2E_MODULES:
            item.add_marker(pytest.mark.e2e)
        if relative in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
