"""Commands over the review history: ``diff``, ``history``, ``due`` and ``upgrade``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from wellsec.cli.exits import EXIT_INPUT, die, errors
from wellsec.cli.options import ConfigOpt, JsonOpt, StoreOpt, WorkloadOpt
from wellsec.cli.stores import open_store, stored_workload
from wellsec.cli.support import has_workload_file, workload_of
from wellsec.lens import load_lens
from wellsec.lens.versions import label_practices
from wellsec.render.history import due_rows, render_diff, render_due, render_history
from wellsec.render.safe import inert, json_escapes
from wellsec.store.diff import diff_reports
from wellsec.store.records import StoredReview

if TYPE_CHECKING:
    from wellsec.store.store import Store

app = typer.Typer(pretty_exceptions_show_locals=False)
ReviewArg = Annotated[str, typer.Argument(help="Review id, milestone name, latest or previous.")]


@app.command("diff")
def diff_cmd(
    before: ReviewArg,
    after: ReviewArg,
    workload: WorkloadOpt = None,
    config: ConfigOpt = None,
    store_url: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What changed between two reviews or milestones."""
    with open_store(store_url) as store:
        wl = stored_workload(store, workload, config)
        a, b = store.get(before, wl), store.get(after, wl)
        result = diff_reports(store.report(a.id), store.report(b.id), a.id, b.id)
    if as_json:
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
        sys.stdout.write(json_escapes(text) + "\n")  # stored AWS text, never obeyed
    else:
        sys.stdout.write(render_diff(result))


@app.command("history")
def history_cmd(
    workload: WorkloadOpt = None,
    config: ConfigOpt = None,
    store_url: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Risk and practice statuses of every stored review, oldest first."""
    with open_store(store_url) as store:
        wl = stored_workload(store, workload, config)
        reviews = store.reviews(wl)
        rows = [(r, store.practice_statuses(r.id)) for r in reviews]
        milestones = store.milestones(wl)
        shown = _across_versions(store, rows)
    if as_json:
        data = [
            {
                "id": r.id,
                "workload": r.workload,
                "lens": r.lens_key,
                "created_at": r.created_at.isoformat(),
                "risk": r.risk,
                "complete": r.complete,
                "best_practices": {p: s for (p, a), s in statuses.items() if not a},
                "provenance": r.provenance,
            }
            for r, statuses in rows
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if not rows:
        sys.stdout.write("no reviews stored yet\n")
        return
    sys.stdout.write(render_history(shown, milestones))


Statuses = dict[tuple[str, str], str]


def _across_versions(
    store: Store, rows: list[tuple[StoredReview, Statuses]]
) -> list[tuple[StoredReview, Statuses]]:
    """Reviews under several lens versions, with practices lined up by choice id."""
    sheets = {}
    for review, _ in rows:
        if review.lens_key not in sheets:
            practices = store.report(review.id)["best_practices"]
            choices = [(bp["id"], bp.get("choice_id") or bp["id"]) for bp in practices]
            sheets[review.lens_key] = (review.lens_key, review.lens_version, choices)
    if len(sheets) < 2:
        return rows
    labels = label_practices(sheets.values())
    return [
        (r, {(labels.get((r.lens_key, p), p), a): s for (p, a), s in statuses.items()})
        for r, statuses in rows
    ]


@app.command("due")
def due_cmd(
    store_url: StoreOpt = None,
    soon: Annotated[int, typer.Option(help="Call a review due this many days ahead.")] = 14,
    as_json: JsonOpt = False,
    fail_on_overdue: Annotated[
        bool, typer.Option(help="Exit 1 when any workload is overdue.")
    ] = False,
) -> None:
    """Workloads whose next review is due or overdue, from the review calendar."""
    with open_store(store_url) as store:
        rows = due_rows(store.workloads(), dt.datetime.now(dt.UTC), soon)
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif rows:
        sys.stdout.write(render_due(rows))
    else:
        sys.stdout.write("no workloads reviewed yet\n")
    if fail_on_overdue and any(r["state"] == "overdue" for r in rows):
        raise typer.Exit(1)


@app.command("upgrade")
def upgrade_cmd(
    review: ReviewArg = "latest",
    to: Annotated[
        str | None, typer.Option("--to", help="Lens to upgrade to (default: the newest version).")
    ] = None,
    config: ConfigOpt = None,
    store_url: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Re-evaluate a stored review under a newer lens version and record it as a new review."""
    from wellsec.render.json_report import review_to_dict
    from wellsec.upgrade import record_upgrade, upgrade_review

    if not has_workload_file(config):
        die(
            "upgrade needs the workload file (its attestations and threat model): pass --config",
            EXIT_INPUT,
        )
    with errors():
        workload = workload_of(config)
        target = load_lens(to) if to else None
    with open_store(store_url) as store:
        done = upgrade_review(store, review, workload, target)
        new_id = record_upgrade(store, done)
        before = store.report(done.source.id)
    after = review_to_dict(done.review)
    changes = diff_reports(before, after, done.source.id, new_id)
    if as_json:
        data = {"source": done.source.id, "review": new_id, "diff": changes.to_dict()}
        text = json.dumps(data, indent=2, ensure_ascii=False)
        sys.stdout.write(json_escapes(text) + "\n")  # stored AWS text, never obeyed
    else:
        sys.stdout.write(
            f"review {done.source.id} ({done.source.lens_key}) upgraded to {done.review.lens.key}: "
            f"recorded review {new_id} of {inert(workload.name)}\n"
        )
        sys.stdout.write(render_diff(changes))
