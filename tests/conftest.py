"""Test tiers (module lists in ``tests/tiers.py``).

Tests that talk to the emulated organization over HTTP are ``e2e``; the three modules
that run many whole reviews are also ``slow``. The inner loop while editing is

    .venv/bin/pytest tests/checks                           # 781 tests: seconds
    .venv/bin/pytest -m "not e2e" -n 2 --dist loadfile      # 1,389 tests: ~100 CPU-seconds
    .venv/bin/pytest -m "not slow"                          # all but 7 tests

and the README's test command runs all 1,940, spread over the machine's cores with
``--dist loadfile``: a module's tests stay on one worker, so its module-scoped
fixtures (an emulated organization, a recorded review) are built once. (``loadgroup``
behaves the same without group marks; ``worksteal`` splits modules across workers and
builds their organizations twice.) The e2e modules that only read the demo
organization share one per worker (``tests/e2e/conftest.py``).
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
