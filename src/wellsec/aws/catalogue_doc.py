"""Render the AWS behaviour catalogue as ``docs/aws-behaviour.md``.

Run ``python -m wellsec.aws.catalogue_doc > docs/aws-behaviour.md`` after editing
``catalogue.yaml``; a test fails while the two differ.
"""

from __future__ import annotations

import sys

from wellsec.aws.catalogue import (
    Catalogue,
    ErrorMeaning,
    Meaning,
    Operation,
    load,
    model_errors,
    model_path,
    regions_without,
)

_INTRO = """\
# AWS behaviour catalogue

What wellsec believes about every AWS operation its scan sends, and where each belief
comes from. Generated from `src/wellsec/aws/catalogue.yaml` by
`python -m wellsec.aws.catalogue_doc`; do not edit by hand.

`tests/meta/test_aws_catalogue.py` holds it true: every operation a collector declares
is here and exists in the installed botocore model; every error that model lists is
here, as a **fact** (AWS states something; the value the collector records) or
**unavailable** (nothing is known: the evidence says why and the check is UNKNOWN);
injecting each error through the emulator gives exactly that; and every enum value the
code compares against is in its model shape.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _generic_reason(cat: Catalogue, code: str, status: int) -> str:
    for group in cat.generic_errors:
        if code in group.codes:
            return group.reason.split(":")[0].split(" (")[0]
    return f"service error (HTTP {status})" if status >= 500 else "request failed"


def _error_row(cat: Catalogue, error: ErrorMeaning, modelled: dict[str, int]) -> str:
    status = modelled.get(error.code)
    where = f"HTTP {status}" if status is not None else "documented, not modelled"
    if error.meaning is Meaning.UNAVAILABLE and not error.value:
        what = f"unavailable: {_generic_reason(cat, error.code, status or 400)}"
    else:
        what = f"{error.meaning.value}: {error.value}"
    source = error.source or "model"
    return f"| `{error.code}` | {where} | {_cell(what)} | {source} |"


def _availability(op: Operation) -> list[str]:
    missing = regions_without(op.action)
    if not missing:
        return []
    names = ", ".join(missing)
    return [
        f"- botocore endpoint data lists no endpoint in: {names} (a call there that cannot "
        "connect is EndpointConnectionError: unavailable)"
    ]


def _operation(cat: Catalogue, op: Operation) -> list[str]:
    modelled = model_errors(op.action)
    lines = [
        f"### `{op.action}`",
        "",
        f"- Region: **{op.region.value}**"
        + (f": {_cell(op.region_note)}" if op.region_note else ""),
        *_availability(op),
        f"- Callers: {op.callers}",
        f"- Source: {op.source}; errors from `{model_path(op.action)}`",
        "",
    ]
    if not op.errors:
        return [*lines, "The model lists no errors; the generic errors at the top apply.", ""]
    lines += ["| code | status | meaning | source |", "|---|---|---|---|"]
    lines += [_error_row(cat, e, modelled) for e in op.errors.values()]
    return [*lines, ""]


def render(cat: Catalogue) -> str:
    """The catalogue as Markdown."""
    out = [_INTRO, "## Generic errors (any operation)", ""]
    out += ["| codes | meaning | source |", "|---|---|---|"]
    for group in cat.generic_errors:
        codes = ", ".join(f"`{c}`" for c in group.codes)
        out.append(f"| {codes} | unavailable: {_cell(group.reason)} | {group.source} |")
    out += ["", "## Operations", ""]
    for action in sorted(cat.operations):
        out += _operation(cat, cat.operations[action])
    out += ["## Enum values the code compares against", ""]
    out += ["| value | model shape | used in |", "|---|---|---|"]
    for enum in cat.enums:
        shape = f"`{enum.service}.{enum.shape}`" if enum.shape else f"none: {enum.source}"
        out.append(f"| `{enum.value}` | {_cell(shape)} | {_cell(enum.used_in)} |")
    out += ["", "## Audit of the check families", ""]
    for note in cat.audit:
        out += [f"- **{note.family}**: {note.belief}.", f"  {note.verdict}. ({note.source})"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(load()))
