"""``wellsec milestone create`` and ``milestone list``: name reviews, as in the WA Tool."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from wellsec.cli.exits import EXIT_INPUT, die
from wellsec.cli.options import ConfigOpt, JsonOpt, StoreOpt, WorkloadOpt
from wellsec.cli.stores import open_store, stored_workload
from wellsec.render.safe import inert

milestone_app = typer.Typer(
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="Name reviews, as in the WA Tool.",
)


@milestone_app.command("create")
def milestone_create(
    name: Annotated[str, typer.Argument(help="Milestone name (unique per workload).")],
    review: Annotated[str | None, typer.Option(help="Review id (default: the latest).")] = None,
    workload: WorkloadOpt = None,
    config: ConfigOpt = None,
    store_url: StoreOpt = None,
) -> None:
    """Name the latest (or a given) review of a workload."""
    if not 1 <= len(name) <= 100:
        die("milestone names are 1 to 100 characters", EXIT_INPUT)
    with open_store(store_url) as store:
        wl = stored_workload(store, workload, config)
        if wl is None:
            die("which workload? pass --workload", EXIT_INPUT)
        target = store.get(review, wl) if review else None
        made = store.create_milestone(wl, name, target.id if target else None)
    sys.stdout.write(
        f"milestone {inert(repr(made.name))}: review {made.review_id} of {inert(made.workload)}\n"
    )


@milestone_app.command("list")
def milestone_list(
    workload: WorkloadOpt = None, store_url: StoreOpt = None, as_json: JsonOpt = False
) -> None:
    """List milestones."""
    with open_store(store_url) as store:
        found = store.milestones(workload)
        reviews = {r.id: r for r in store.reviews(workload)}
    rows = [
        {
            "workload": m.workload,
            "name": m.name,
            "review": m.review_id,
            "risk": reviews[m.review_id].risk if m.review_id in reviews else None,
            "created_at": m.created_at.isoformat(),
        }
        for m in found
    ]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    for r in rows:
        sys.stdout.write(
            f"{inert(r['workload']):<24} {inert(r['name']):<24} review {r['review']:<6} "
            f"{r['risk']}\n"
        )
