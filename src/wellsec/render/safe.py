"""Make text from AWS (and from files people hand us) inert before any output shows it.

A member account's owner picks its name, a recorder's, a topic's, its tags. Those
strings reach terminals, reports and CI systems, so every renderer passes them through
here:

- control characters (C0, DEL, C1 such as U+009B CSI) would move the cursor, set the
  window title, write the clipboard (OSC 52) or clear the screen in a terminal, and make
  an XML 1.0 document malformed even when escaped;
- bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069, and the marks U+200E,
  U+200F, U+061C) reorder what a reader sees (the "Trojan Source" trick);
- line and paragraph separators (U+2028, U+2029) start lines some viewers draw;
- lone surrogates and U+FFFE/U+FFFF cannot be written as UTF-8 or XML.

Each one becomes a visible escape (``\\x1b``, ``\\u202e``), so the reader sees that
something was there without the output obeying it. Newlines and tabs in a single value
are escaped too: a name must not paint a line of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from wellsec.report.model import Rule

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What Rich itself writes for colours (SGR): the only escape sequence a report may hold.
_SGR = re.compile("\x1b\\[[0-9;]*m")


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def inert(value: object) -> str:
    """One value as text with every unsafe character shown as an escape (one line)."""
    text = "" if value is None else str(value)
    return _UNSAFE.sub(_visible, text)


def inert_lines(text: str) -> str:
    """A whole rendered text: newlines stay (they are the layout), everything else is inert."""
    return "\n".join(inert(line) for line in text.split("\n"))


def inert_terminal(text: str) -> str:
    """A rendered terminal report: keep newlines and Rich's colour codes, escape the rest."""
    out = []
    for line in text.split("\n"):
        pieces = _SGR.split(line)
        codes = _SGR.findall(line)
        out.append("".join(inert(p) + c for p, c in zip(pieces, [*codes, ""], strict=True)))
    return "\n".join(out)


def inert_tree(value: Any) -> Any:
    """A copy of a JSON-like tree (dicts, lists, strings) with every string made inert."""
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, dict):
        return {inert_tree(k): inert_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [inert_tree(v) for v in value]
    return value


# JSON escapes C0 itself; DEL, C1, bidi and separators it would write raw (ensure_ascii=False).
# Lone surrogates too: as an escape they are valid JSON, raw they cannot be written as UTF-8.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def json_escapes(text: str) -> str:
    """JSON text with the characters a terminal or viewer would obey written as ``\\uXXXX``.

    The data stays exactly the same for a parser (a JSON string escape means the same
    character), but ``cat report.json`` no longer replays them. Only valid on JSON text:
    these characters can only occur inside its strings."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def inert_rules(rules: Mapping[str, Rule]) -> dict[str, Rule]:
    """Check descriptions with every string made inert (ids from a report are untrusted)."""
    return {
        inert(rule_id): Rule(*(inert(getattr(rule, f.name)) for f in fields(rule)))
        for rule_id, rule in rules.items()
    }
