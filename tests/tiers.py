"""Which test modules belong to which tier (read by the conftests)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
E2E_DIRS = ("e2e", "emulator")
E2E_MODULES = ("meta/test_catalogue_errors.py",)
# Modules that run a whole review many times over (a minute or more each on two cores).
SLOW_MODULES = ("e2e/test_denial_property.py", "e2e/test_fix_closed_loop.py", "e2e/test_leaks.py")
# Modules that only read the demo organization (faults aside, which every test clears):
# they share one built organization per test process instead of building their own. A
# module that changes the organization (creates resources, edits the scenario) is not
# listed and builds its own.
SHARED_ORG_MODULES = frozenset(
    f"e2e/{name}.py"
    for name in (
        "test_bp04_bp06",
        "test_bp07",
        "test_cli",
        "test_denial_property",
        "test_faults",
        "test_leaks",
        "test_lens_versions",
        "test_provenance",
        "test_review",
        "test_scan_ends",
        "test_scan_memory",
        "test_scope",
        "test_securityhub_requests",
        "test_securityhub_workloads",
    )
)


def tier_path(path: Path) -> str:
    """A test module's path relative to tests/, as the lists above spell it."""
    return Path(path).resolve().relative_to(HERE.resolve()).as_posix()
