"""``wellsec pull``: a WA Tool workload's SEC 1 answer as attestations, and disagreements."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from wellsec.cli.exits import EXIT_INPUT, EXIT_RISK, die, errors
from wellsec.cli.options import (
    DEFAULT_CONFIG,
    ConfigOpt,
    EndpointOpt,
    JsonOpt,
    ProfileOpt,
    RegionOpt,
    ReviewOpt,
    StoreOpt,
    WorkloadIdOpt,
)
from wellsec.cli.support import workload_of
from wellsec.cli.wa_support import resolve_workload, review_report, wa_tool
from wellsec.errors import InputError
from wellsec.lens import DEFAULT_LENS, load_lens
from wellsec.render.safe import inert, inert_lines, json_escapes
from wellsec.saved_review import ReviewReport
from wellsec.snapshot import write_atomic
from wellsec.store.records import StoreError
from wellsec.wa.attest_file import merge, updated_text
from wellsec.wa.client import AWS_LENS
from wellsec.wa.pull import (
    Disagreement,
    PulledAnswer,
    disagreements,
    read_answer,
    to_attestations,
    workload_link,
)
from wellsec.workload import Attestation

app = typer.Typer(pretty_exceptions_show_locals=False)


@app.command()
def pull(
    ctx: typer.Context,
    workload_id: WorkloadIdOpt = None,
    workload_name: Annotated[
        str | None, typer.Option("--workload-name", help="Find the workload by name.")
    ] = None,
    config: ConfigOpt = None,
    lens: Annotated[str, typer.Option("--lens", help="Built-in lens key or a lens file.")] = (
        DEFAULT_LENS
    ),
    custom_lens: Annotated[
        bool, typer.Option("--custom-lens", help="Read the answer of the imported custom lens.")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Write the attestations into wellsec.yaml.")
    ] = False,
    review: ReviewOpt = None,
    compare: Annotated[
        bool, typer.Option("--compare/--no-compare", help="Compare with a wellsec review.")
    ] = True,
    fail_on_disagreement: Annotated[
        bool, typer.Option("--fail-on-disagreement", help="Exit 1 when the two disagree.")
    ] = False,
    region: RegionOpt = None,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    store_url: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Turn the SEC 1 choices people selected in the WA Tool into attestations."""
    path = config or Path(DEFAULT_CONFIG)
    with errors():
        wl = workload_of(config) if config is not None or path.exists() else None
        if write and wl is None:
            die(f"--write: {path} does not exist", EXIT_INPUT)
        the_lens = load_lens(lens)
        tool = wa_tool(ctx, profile, region, endpoint_url)
        wid = workload_id or resolve_workload(tool, workload_name or (wl.name if wl else None))
        alias, question = AWS_LENS, the_lens.wa_question_id
        if custom_lens:
            found = tool.own_lenses_named(the_lens.name)
            if not found:
                raise InputError(None, f"no custom lens named {the_lens.name!r} in the WA Tool")
            alias, question = found[0].arn, the_lens.question_id
        answer = read_answer(tool, wid, alias, question)
        link = workload_link(tool.region, wid)
        pulled, messages = to_attestations(answer, the_lens, link)
        merged, kept = merge(list(wl.attestations) if wl else [], pulled, link)
        report = _comparison(review, wl.name if wl else answer.workload.name, store_url, compare)
        diffs = disagreements(answer, the_lens, report) if isinstance(report, ReviewReport) else []
        if write and wl is not None:
            write_atomic(path, updated_text(path, wl, merged))
    added = [a for a in merged if a in pulled]
    if as_json:
        sys.stdout.write(_json(answer, added, messages + kept, report, diffs, write) + "\n")
    else:
        _show(answer, added, messages + kept, report, diffs, path if write else None)
    if fail_on_disagreement and diffs:
        raise typer.Exit(EXIT_RISK)


def _comparison(
    ref: str | None, workload: str, store_url: str | None, compare: bool
) -> ReviewReport | str:
    """The review to compare with, or why there is none (an explicit --review must load)."""
    if not compare:
        return "comparison not asked for"
    if ref is not None:
        return review_report(ref, workload, store_url)
    try:
        return review_report(None, workload, store_url)
    except StoreError as exc:
        return f"no stored review to compare with ({exc})"


def _entries(attestations: list[Attestation]) -> list[dict[str, Any]]:
    return [a.model_dump(mode="json", exclude_none=True) for a in attestations]


def _json(
    answer: PulledAnswer,
    added: list[Attestation],
    messages: list[str],
    report: ReviewReport | str,
    diffs: list[Disagreement],
    written: bool,
) -> str:
    wl = answer.workload
    data = {
        "workload": {
            "id": wl.id,
            "name": wl.name,
            "review_owner": wl.owner,
            "updated_at": wl.updated_at.isoformat() if wl.updated_at else None,
        },
        "lens_alias": answer.lens_alias,
        "question_id": answer.question_id,
        "risk": answer.risk,
        "choices": {c.choice_id: c.status for c in answer.choices},
        "attestations": _entries(added),
        "messages": messages,
        "compared_with": report.source if isinstance(report, ReviewReport) else None,
        "disagreements": [
            {
                "best_practice": d.practice,
                "choice_id": d.choice_id,
                "wa_tool": d.wa_status,
                "review": d.review_status,
                "text": d.text,
            }
            for d in diffs
        ],
        "written": written,
    }
    return json_escapes(json.dumps(data, indent=2, ensure_ascii=False))  # AWS's text


def _show(
    answer: PulledAnswer,
    added: list[Attestation],
    messages: list[str],
    report: ReviewReport | str,
    diffs: list[Disagreement],
    written: Path | None,
) -> None:
    out = sys.stdout.write  # what the WA Tool says goes through inert()
    wl = answer.workload
    when = wl.updated_at.strftime("%Y-%m-%d %H:%M UTC") if wl.updated_at else "unknown"
    out(f"WA Tool workload {inert(wl.name)} ({inert(wl.id)}), ")
    out(f"review owner {inert(wl.owner or 'none')}, ")
    out(f"updated {when}: SEC 1 risk {inert(answer.risk or 'unknown')}\n")
    for choice in answer.choices:
        out(f"  {inert(choice.choice_id)}: {inert(choice.status)}\n")
    out("\n".join(f"  {inert(m)}" for m in messages) + "\n" if messages else "")
    if added:
        out("Attestations from the WA Tool:\n")
        out(inert_lines(yaml.safe_dump(_entries(added), sort_keys=False, allow_unicode=True)))
        if written:
            out(f"written to {written}\n")
        else:
            out(f"Add them to {DEFAULT_CONFIG}'s attestations, or run again with --write.\n")
    else:
        out("No attestation to take from the WA Tool.\n")
    if isinstance(report, str):
        out(f"{inert(report)}\n")
        return
    out(f"Compared with {inert(report.source)} (risk {inert(report.risk)}):\n")
    for d in diffs:
        out(f"  {inert(d.practice)} {inert(d.choice_id)}: {inert(d.text)}\n")
    if not diffs:
        out("  no disagreement\n")
    if answer.risk and answer.risk != report.risk:
        out(f"  the WA Tool rates SEC 1 {inert(answer.risk)}; the review {inert(report.risk)}\n")
