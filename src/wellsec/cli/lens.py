"""``wellsec lens show``, ``lens export`` and ``lens diff``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from wellsec.cli.exits import errors
from wellsec.cli.options import JsonOpt, LensOpt
from wellsec.cli.support import emit
from wellsec.lens import DEFAULT_LENS, Lens, load_lens
from wellsec.render.safe import inert_lines, json_escapes

lens_app = typer.Typer(
    pretty_exceptions_show_locals=False, no_args_is_help=True, help="Show or export the lens."
)
LensArg = Annotated[str, typer.Argument(help="A lens version (2025), key (sec01@2025) or file.")]


@lens_app.command("show")
def lens_show(lens: LensOpt = DEFAULT_LENS) -> None:
    """Print the lens: practices, risk rules, improvement items."""
    with errors():
        text = _describe_lens(load_lens(lens))  # a lens may list a check wellsec lacks
    sys.stdout.write(inert_lines(text))  # a lens file is someone else's text


def _describe_lens(lens: Lens) -> str:
    from wellsec.checks.practices import check_practices
    from wellsec.checks.runner import all_checks  # noqa: F401  (registers the checks)

    served = check_practices(lens)
    lines = [f"{lens.key}  {lens.name}", lens.question_title, ""]
    for bp in lens.best_practices:
        lines.append(f"{bp.id}  {bp.title}  [risk if missing: {bp.risk_if_missing.value}]")
        lines.append(f"    choice id: {bp.choice_id}")
        mine = sorted(c for c, p in served.items() if p == bp.id)
        lines.append(f"    checks: {', '.join(mine) or '(none: attested only)'}")
        for item in bp.items:
            lines.append(f"    - {item.title}: {item.text}")
            lines += [
                f"        {r.name}" + (f" <{r.url}>" if r.url else "") for r in item.resources
            ]
        for spec in bp.attestations:
            lines.append(
                f"    attestation {spec.id} (valid {spec.max_age_days} days): {spec.statement}"
            )
        lines.append("")
    lines.append("Risk rules (first true wins):")
    lines += [f"  {r.risk.value:<6} if {r.condition}" for r in lens.risk_rules]
    return "\n".join(lines) + "\n"


@lens_app.command("export")
def lens_export(
    lens: LensOpt = DEFAULT_LENS,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
) -> None:
    """Write the lens as Well-Architected custom-lens JSON (for ImportLens)."""
    with errors():
        the_lens = load_lens(lens)
    emit(
        json_escapes(json.dumps(the_lens.to_wa_json(), indent=2, ensure_ascii=False)) + "\n", output
    )


@lens_app.command("diff")
def lens_diff(before: LensArg, after: LensArg, as_json: JsonOpt = False) -> None:
    """What changed between two lens versions: practices, choice ids, risks, checks."""
    from wellsec.checks.practices import check_practices
    from wellsec.lens.diff import diff_lenses
    from wellsec.render.lens_diff import render_lens_diff

    with errors():
        old, new = load_lens(before), load_lens(after)
        result = diff_lenses(old, new, check_practices(old), check_practices(new))
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_lens_diff(result))
