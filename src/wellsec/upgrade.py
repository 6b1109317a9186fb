"""Upgrade a stored review to a newer version of its lens, as the WA Tool's lens upgrade does.

The stored review's evidence snapshot is evaluated again under the newer lens, as of
the review's own time (the evidence is that old), with the workload's attestations
as they stood then and the review history before it. The result is a new review of
the same workload; the old one stays as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wellsec.lens.model import Lens
from wellsec.lens.versions import newest
from wellsec.provenance import of_upgrade
from wellsec.report.build import build_report
from wellsec.review import Review, evaluate
from wellsec.snapshot import from_dict
from wellsec.store.records import StoredReview, StoreError
from wellsec.workload import Workload

if TYPE_CHECKING:
    from wellsec.store.store import Store


@dataclass(frozen=True)
class Upgrade:
    """A stored review and the same evidence reviewed under the newer lens."""

    source: StoredReview
    review: Review
    snapshot_json: str


def _target(source: StoredReview, target: Lens | None) -> Lens:
    lens = target or newest(source.lens_id)
    if lens is None:
        raise StoreError(f"wellsec has no built-in version of lens {source.lens_id!r}")
    if lens.id != source.lens_id:
        raise StoreError(
            f"review {source.id} is on lens {source.lens_key}; {lens.key} is another lens"
        )
    if lens.version == source.lens_version:
        raise StoreError(f"review {source.id} is already on {lens.key}")
    if lens.version < source.lens_version:
        raise StoreError(f"{lens.key} is older than {source.lens_key}: only upgrades are made")
    return lens


def as_of(workload: Workload, when: dt.datetime) -> Workload:
    """The workload with only the attestations that existed at ``when``."""
    day = when.date()
    kept = [a for a in workload.attestations if a.date <= day]
    return workload.model_copy(update={"attestations": kept})


def upgrade_review(
    store: Store, ref: str, workload: Workload, target: Lens | None = None
) -> Upgrade:
    """Re-evaluate stored review ``ref`` of ``workload`` under ``target`` (default: the
    newest built-in version of its lens). Raise :class:`StoreError` when it cannot be."""
    source = store.get(ref, workload.name)
    lens = _target(source, target)
    text = store.snapshot_json(source.id)
    if text is None:
        raise StoreError(
            f"review {source.id} was recorded without its evidence snapshot, so it cannot be "
            f"re-evaluated; run a new review with --lens {lens.key}"
        )
    snapshot = from_dict(json.loads(text), f"<snapshot of review {source.id}>")
    earlier = tuple(
        r.created_at for r in store.reviews(workload.name) if r.created_at < source.created_at
    )
    review = evaluate(
        snapshot, as_of(workload, source.created_at), lens, now=source.created_at, history=earlier
    )
    made = of_upgrade(snapshot, source.id, text, store.report(source.id).get("provenance"))
    return Upgrade(source, dataclasses.replace(review, provenance=made), text)


def record_upgrade(store: Store, upgrade: Upgrade) -> int:
    """Record the upgraded review (with the same snapshot); return its id."""
    return store.record(
        report=build_report(upgrade.review),
        cadence_days=upgrade.review.workload.review_cadence_days,
        snapshot_json=upgrade.snapshot_json,
    )
