"""The check modules of the package, and the registry they fill.

Each module registers its checks when it is imported; importing this module imports
them all, so :func:`load` answers with every check wellsec has.
"""

from __future__ import annotations

from wellsec.checks import (
    accounts,
    alerting,
    control_objectives,
    deployment,
    guardrails,
    management_scope,
    new_services,
    recommendations,
    review_calendar,
    root_user,
    standard_controls,
    threat_detection,
    threat_model,
    validation,
)
from wellsec.checks.registry import CheckRegistry, checks

MODULES = (
    accounts,
    guardrails,
    root_user,
    alerting,
    control_objectives,
    threat_detection,
    recommendations,
    management_scope,
    deployment,
    standard_controls,
    validation,
    threat_model,
    review_calendar,
    new_services,
)


def load() -> CheckRegistry:
    """The registry with the checks of every module in :data:`MODULES`."""
    return checks
