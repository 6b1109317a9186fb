"""Every renderer keeps control and bidi characters from AWS text out of its output."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.checks.builders import NOW, OrgBuilder, lens, run, workload
from tests.render.hostile import HOSTILE, hostile_report
from wellsec.render import Format, render
from wellsec.render.csv_report import render_csv
from wellsec.render.html import render_html
from wellsec.render.junit import render_junit
from wellsec.render.safe import inert, inert_lines, inert_terminal, inert_tree, json_escapes
from wellsec.render.sarif import render_sarif
from wellsec.render.terminal import render_text
from wellsec.report import Report, from_json_dict
from wellsec.report.build import build_report
from wellsec.report.rules import rules_for
from wellsec.review import build_review

# OSC 0 (title), OSC 52 (clipboard), clear screen, 8-bit CSI, bidi override and isolate,
# NUL, DEL, a form feed, a vertical tab, a lone surrogate and a line separator.
CONTROLS = "\x1b]0;t\x07\x1b]52;c;eA==\x07\x1b[2J\u009b1m\u202e\u2066\x00\x7f\x0c\x0b\ud800\u2028"
NASTY = f"a\r\nRisk: NONE{CONTROLS}{HOSTILE}"
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)


def _every_string_hostile(value: Any) -> Any:
    if isinstance(value, str):
        return value + NASTY
    if isinstance(value, dict):
        return {k: v if k in ENUMS else _every_string_hostile(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_every_string_hostile(v) for v in value]
    return value


# The report codec refuses a value outside these enums: no hostile text gets through them.
ENUMS = {"status", "severity", "risk", "risk_if_missing", "role", "accounts"}


def _report() -> Report:
    data = hostile_report()
    keep = {"best_practice", "check", "id", "version", *ENUMS}  # keys, joins, enums
    for section in ("findings", "best_practices", "improvement_plan"):
        for entry in data[section]:
            for key, value in list(entry.items()):
                if key not in keep:
                    entry[key] = _every_string_hostile(value)
    data["workload"] = _every_string_hostile(data["workload"])
    data["scan"]["accounts"] = _every_string_hostile(data["scan"]["accounts"])
    data["notes"] = [NASTY]
    return from_json_dict(data)


def _junit(report: Report) -> str:
    return render_junit(report, rules_for(report))


def _sarif(report: Report) -> str:
    return render_sarif(report, rules_for(report))


@pytest.mark.parametrize("renderer", [render_csv, render_html, _junit, _sarif])
def test_report_renderers_write_no_unsafe_character(renderer: Any) -> None:
    text = renderer(_report())
    assert not UNSAFE.findall(text)
    assert "\\x1b]52;c" in text.replace("\\\\", "\\")  # shown, not obeyed
    text.encode("utf-8")  # a lone surrogate would fail here


def test_junit_and_sarif_parse_with_hostile_text() -> None:
    root = ET.fromstring(render_junit(_report(), rules_for(_report())))
    assert root.get("failures") == "2"
    assert json.loads(render_sarif(_report(), rules_for(_report())))["runs"][0]["results"]
    HTMLParser().feed(render_html(_report()))


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_of_a_review_with_hostile_names(fmt: Format) -> None:
    org = OrgBuilder.standard()
    org.scps[-1]["name"] = NASTY
    snapshot = org.build()
    for account in snapshot.accounts:
        account.name = NASTY
    review = build_review(lens(), workload(), snapshot, run(snapshot), NOW)
    text = render(review, fmt)
    text.encode("utf-8")
    if fmt is Format.JSON:  # faithful data, written so that no terminal obeys it
        assert NASTY in [a["name"] for a in json.loads(text)["scan"]["accounts"]]
        assert not re.findall("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", text)
        return
    assert not UNSAFE.findall(text), (fmt, UNSAFE.findall(text)[:5])
    assert not re.search(r"^\W*Risk: NONE", text, re.M)


def test_inert_helpers() -> None:
    assert inert("a\x1b[2Jb\u202ec\n") == "a\\x1b[2Jb\\u202ec\\n"
    assert inert(None) == "" and inert(inert("\x9b")) == "\\x9b"
    assert inert_lines("x\x07\ny") == "x\\x07\ny"
    assert inert_terminal("\x1b[31mred\x1b[0m\x1b]0;t\x07") == "\x1b[31mred\x1b[0m\\x1b]0;t\\x07"
    assert inert_tree({"k\x00": ["\x7f", 1, None]}) == {"k\\x00": ["\\x7f", 1, None]}
    raw = json.dumps({"a": "\u009b\u202e\ud800"}, ensure_ascii=False)
    assert json.loads(json_escapes(raw)) == {"a": "\u009b\u202e\ud800"}


def test_colour_terminal_report_keeps_only_its_own_colour_codes() -> None:
    snapshot = OrgBuilder.standard().build()
    for account in snapshot.accounts:
        account.name = NASTY
    review = build_review(lens(), workload(), snapshot, run(snapshot), NOW)
    text = render_text(build_report(review), color=True)
    assert "\x1b[" in text  # coloured
    without_colours = re.sub("\x1b\\[[0-9;]*m", "", text)
    assert not UNSAFE.findall(without_colours), UNSAFE.findall(without_colours)[:5]
