"""Test tiers. Tests that talk to the emulator over HTTP are ``e2e``; the few that run
many whole reviews are also ``slow``. The inner loop while editing is

    .venv/bin/pytest -m "not e2e"        # checks, lens, render, store, fix units: seconds

and the README's test command runs everything, spread over the machine's cores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tiers import E2E_DIRS, E2E_MODULES, SHARED_ORG_MODULES, SLOW_MODULES, tier_path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tiers, and order the run: the slow modules first (spread over the cores,
    the longest module then overlaps the rest of the suite instead of finishing last),
    then the modules sharing one demo organization, together, so a process builds it
    once rather than again after each module that builds its own."""
    for item in items:
        relative = tier_path(Path(item.path))
        if relative.split("/", 1)[0] in E2E_DIRS or relative in E2E_MODULES:
            item.add_marker(pytest.mark.e2e)
        if relative in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
    items.sort(
        key=lambda item: (
            item.get_closest_marker("slow") is None,
            tier_path(Path(item.path)) not in SHARED_ORG_MODULES,
        )
    )
