"""Versions of a lens side by side: which built-in version is the newest, which one a
Well-Architected Tool workload is on (from the choice ids it shows), and how the
practices of two versions line up.

A practice keeps its identity across versions through its WA Tool choice id, as in
the WA Tool itself: ``sec_securely_operate_updated_threats`` is SEC01-BP04 in both
2022 and 2025, though its title changed; SEC01-BP05 of 2022 and of 2025 are two
different practices with two different choice ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache

from wellsec.errors import LensError
from wellsec.lens.loader import BUILTIN, load_lens
from wellsec.lens.model import Lens


@cache
def builtin(key: str) -> Lens:
    """A built-in lens, parsed once per process."""
    return load_lens(key)


def versions(lens_id: str) -> list[Lens]:
    """The built-in versions of a lens, oldest first."""
    keys = [k for k in BUILTIN if k.split("@")[0] == lens_id]
    return sorted((builtin(k) for k in keys), key=lambda lens: lens.version)


def newest(lens_id: str) -> Lens | None:
    """The newest built-in version of a lens, or None when wellsec has none of that id."""
    found = versions(lens_id)
    return found[-1] if found else None


def lens_for_choices(choice_ids: Iterable[str], lens_id: str = "sec01") -> Lens:
    """The newest built-in version every one of whose choices a WA Tool question shows.

    Choices the question has beyond them (its "None of these", a practice of its own)
    do not matter. Raise :class:`LensError` when no version has all its choices there."""
    shown = set(choice_ids)
    candidates = versions(lens_id)
    for lens in reversed(candidates):
        if {bp.choice_id for bp in lens.best_practices} <= shown:
            return lens
    known = {bp.choice_id for lens in candidates for bp in lens.best_practices}
    missing = {
        lens.key: sorted({bp.choice_id for bp in lens.best_practices} - shown)
        for lens in candidates
    }
    closest = min(missing, key=lambda key: len(missing[key])) if missing else lens_id
    detail = ", ".join(missing.get(closest, [])) or "no choice of it"
    raise LensError(
        f"{lens_id} (from the question's choices)",
        f"no built-in version has all its choices there ({closest} lacks {detail}; "
        f"{len(shown & known)} of the {len(shown)} choices shown are known)",
    )


# (lens key, lens version, [(practice id, choice id)]): a lens, or a stored report's view of one.
Sheet = tuple[str, str, Iterable[tuple[str, str]]]


def label_practices(sheets: Iterable[Sheet]) -> dict[tuple[str, str], str]:
    """(lens key, practice id) -> one label per practice identity (its choice id).

    A practice is labelled with its id in the newest lens shown that has it; where one
    id would stand for different practices (SEC01-BP05 of 2022 and of 2025), the
    version of the newest lens with each is appended (``SEC01-BP05@2022``)."""
    shown = sorted({key: (key, v, list(p)) for key, v, p in sheets}.values(), key=lambda s: s[1])
    newest_of: dict[str, tuple[str, str]] = {}  # choice id -> (practice id, version)
    for _, version, practices in shown:
        for bp_id, choice_id in practices:
            newest_of[choice_id] = (bp_id, version)
    uses = Counter(bp_id for bp_id, _ in newest_of.values())
    label = {
        choice: bp_id if uses[bp_id] == 1 else f"{bp_id}@{version}"
        for choice, (bp_id, version) in newest_of.items()
    }
    return {
        (key, bp_id): label[choice_id]
        for key, _, practices in shown
        for bp_id, choice_id in practices
    }


def practice_labels(lenses: Iterable[Lens]) -> dict[tuple[str, str], str]:
    """:func:`label_practices` of lenses."""
    return label_practices(
        (lens.key, lens.version, [(bp.id, bp.choice_id) for bp in lens.best_practices])
        for lens in lenses
    )
