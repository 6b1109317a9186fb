"""Commands over the review history: milestones, diff, history, due."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wellsec.cli import EXIT_INPUT, EXIT_NOTHING, ConfigOpt, _die, _errors, _workload, app
from wellsec.lens.versions import label_practices
from wellsec.render.history import due_rows, render_diff, render_due, render_history
from wellsec.render.safe import json_escapes
from wellsec.store.diff import diff_reports
from wellsec.store.records import ENV_VAR, StoredReview, StoreError, StoreUnavailable

if TYPE_CHECKING:
    from wellsec.store.store import Store

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", envvar=ENV_VAR, help="Store URL (default: a SQLite file)."),
]
WorkloadOpt = Annotated[
    str | None, typer.Option("--workload", "-w", help="Workload name (default: wellsec.yaml's).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
milestone_app = typer.Typer(
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="Name reviews, as in the WA Tool.",
)
app.add_typer(milestone_app, name="milestone")


def store_exit(exc: StoreError) -> int:
    """3 when the store cannot be used at all (nothing could be read), 2 when it lacks what
    was asked for (a review id, a milestone name: bad input)."""
    return EXIT_NOTHING if isinstance(exc, StoreUnavailable) else EXIT_INPUT


@contextmanager
def open_store(url: str | None) -> Iterator[Store]:
    from wellsec.store.store import Store

    with _errors():
        try:
            store = Store(url)
        except StoreError as exc:
            _die(str(exc), store_exit(exc))
        try:
            yield store
        except StoreError as exc:
            _die(str(exc), store_exit(exc))
        finally:
            store.close()


def _workload_name(store: Store, name: str | None, config: Path | None) -> str | None:
    if name:
        return name
    if config is not None or Path("wellsec.yaml").exists():
        return _workload(config).name
    known = store.workloads()
    return known[0].name if len(known) == 1 else None


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
        _die("milestone names are 1 to 100 characters", EXIT_INPUT)
    with open_store(store_url) as store:
        wl = _workload_name(store, workload, config)
        if wl is None:
            _die("which workload? pass --workload", EXIT_INPUT)
        target = store.get(review, wl) if review else None
        made = store.create_milestone(wl, name, target.id if target else None)
    sys.stdout.write(f"milestone {made.name!r}: review {made.review_id} of {made.workload}\n")


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
            f"{r['workload']:<24} {r['name']:<24} review {r['review']:<6} {r['risk']}\n"
        )


@app.command("diff")
def diff_cmd(
    before: Annotated[str, typer.Argument(help="Review id, milestone name, latest or previous.")],
    after: Annotated[str, typer.Argument(help="Review id, milestone name, latest or previous.")],
    workload: WorkloadOpt = None,
    config: ConfigOpt = None,
    store_url: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What changed between two reviews or milestones."""
    with open_store(store_url) as store:
        wl = _workload_name(store, workload, config)
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
        wl = _workload_name(store, workload, config)
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
