"""Text view of what changed between two lens versions."""

from __future__ import annotations

from wellsec.lens.diff import LensDiff
from wellsec.render.safe import inert_lines

SECTIONS = (
    ("renamed", "Renamed practices"),
    ("added", "Practices added"),
    ("removed", "Practices removed"),
    ("renumbered", "Practices with a new id"),
    ("choice_id", "Practice ids now on another WA Tool choice"),
    ("risk", "Level of risk if missing"),
    ("checks", "Checks that serve another practice"),
    ("attestation", "Attestations that serve another practice"),
)


def render_lens_diff(diff: LensDiff) -> str:
    lines = [f"Lens {diff.before} -> {diff.after}"]
    for kind, title in SECTIONS:
        changes = diff.of_kind(kind)
        if not changes:
            continue
        lines += ["", f"{title}:"]
        for c in changes:
            note = f"  ({c.note})" if c.note and kind not in {"checks", "attestation"} else ""
            if kind in {"checks", "attestation"}:
                lines.append(
                    f"  {c.note:<36} {c.before or '(not used)'} -> {c.after or '(not used)'}"
                )
            elif kind == "added":
                lines.append(f"  {c.practice:<18} {c.after}{note}")
            elif kind == "removed":
                lines.append(f"  {c.practice:<18} {c.before}{note}")
            else:
                lines.append(f"  {c.practice:<18} {c.before} -> {c.after}{note}")
    lines += [
        "",
        "Risk rules (first true wins):" if diff.rules_changed else "Risk rules: unchanged",
    ]
    if diff.rules_changed:
        lines += [f"  before: {rule}" for rule in diff.rules_before]
        lines += [f"  after:  {rule}" for rule in diff.rules_after]
    # Lens files are someone else's text: no control characters reach the terminal.
    return inert_lines("\n".join(lines)) + "\n"
