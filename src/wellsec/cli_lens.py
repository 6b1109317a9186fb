"""Commands across lens versions: ``lens diff`` and ``upgrade``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from wellsec.cli import (
    DEFAULT_CONFIG,
    EXIT_INPUT,
    ConfigOpt,
    _die,
    _errors,
    _workload,
    app,
    lens_app,
)
from wellsec.cli_store import JsonOpt, StoreOpt, open_store
from wellsec.lens import load_lens

LensArg = Annotated[str, typer.Argument(help="A lens version (2025), key (sec01@2025) or file.")]


@lens_app.command("diff")
def lens_diff(before: LensArg, after: LensArg, as_json: JsonOpt = False) -> None:
    """What changed between two lens versions: practices, choice ids, risks, checks."""
    from wellsec.checks.practices import check_practices
    from wellsec.lens.diff import diff_lenses
    from wellsec.render.lens_diff import render_lens_diff

    with _errors():
        old, new = load_lens(before), load_lens(after)
        result = diff_lenses(old, new, check_practices(old), check_practices(new))
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_lens_diff(result))


@app.command("upgrade")
def upgrade_cmd(
    review: Annotated[
        str, typer.Argument(help="Review id, milestone name, latest or previous.")
    ] = "latest",
    to: Annotated[
        str | None, typer.Option("--to", help="Lens to upgrade to (default: the newest version).")
    ] = None,
    config: ConfigOpt = None,
    store_url: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Re-evaluate a stored review under a newer lens version and record it as a new review."""
    from wellsec.render.history import render_diff
    from wellsec.render.json_report import review_to_dict
    from wellsec.store.diff import diff_reports
    from wellsec.upgrade import record_upgrade, upgrade_review

    if config is None and not Path(DEFAULT_CONFIG).exists():
        _die(
            "upgrade needs the workload file (its attestations and threat model): pass --config",
            EXIT_INPUT,
        )
    with _errors():
        workload = _workload(config)
        target = load_lens(to) if to else None
    with open_store(store_url) as store:
        done = upgrade_review(store, review, workload, target)
        new_id = record_upgrade(store, done)
        before = store.report(done.source.id)
    after = review_to_dict(done.review)
    changes = diff_reports(before, after, done.source.id, new_id)
    if as_json:
        data = {"source": done.source.id, "review": new_id, "diff": changes.to_dict()}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(
            f"review {done.source.id} ({done.source.lens_key}) upgraded to {done.review.lens.key}: "
            f"recorded review {new_id} of {workload.name}\n"
        )
        sys.stdout.write(render_diff(changes))
