"""Which practice of a lens each check serves.

A lens may list the checks of each practice (x-wellsec ``checks``, as
``sec01@2025`` does): then that list is the mapping, and a check it leaves out
does not run under that lens. A lens that lists none (the seed ``sec01@2022``,
or a plain custom lens) takes each check's declared ``best_practice``. So a check
module says once where it belongs in the seed lens, and every other version
says in its own data where the same check belongs there.
"""

from __future__ import annotations

from wellsec.checks.catalog import load
from wellsec.checks.registry import CheckRegistry
from wellsec.errors import LensError
from wellsec.lens.model import Lens


def check_practices(lens: Lens, registry: CheckRegistry | None = None) -> dict[str, str]:
    """Check id -> the id of the practice it serves in ``lens`` (checks serving none left out).

    Raise :class:`LensError` when the lens lists a check that is not registered."""
    registry = load() if registry is None else registry
    if lens.lists_checks:
        known = {spec.id for spec in registry.all()}
        mapping: dict[str, str] = {}
        for bp in lens.best_practices:
            for check_id in bp.checks:
                if check_id not in known:
                    raise LensError(
                        lens.origin or lens.key,
                        f"{bp.id} lists check {check_id!r}, which wellsec does not have",
                    )
                mapping[check_id] = bp.id
        return mapping
    ids = {bp.id for bp in lens.best_practices}
    return {
        spec.id: spec.best_practice
        for spec in registry.all()
        if spec.best_practice is not None and spec.best_practice in ids
    }


def checks_of(lens: Lens, practice_id: str, registry: CheckRegistry | None = None) -> list[str]:
    """The ids of the checks serving one practice of ``lens``, sorted."""
    return sorted(c for c, bp in check_practices(lens, registry).items() if bp == practice_id)
