"""Threat Composer exports: schema validation (with the place of the problem) and figures."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.attest.tc import export, link, mitigation, threat, uid
from wellsec.attest.threat_composer import (
    MAX_BYTES,
    Completeness,
    ThreatComposerExport,
    assess,
    parse_export,
)


def parse(doc: Any) -> ThreatComposerExport | str:
    return parse_export(json.dumps(doc).encode())


def figures(doc: dict[str, Any]) -> Completeness:
    model = parse(doc)
    assert isinstance(model, ThreatComposerExport), model
    return assess(model)


# --- valid exports --------------------------------------------------------------------------


def test_a_complete_export_parses_and_has_no_gap() -> None:
    model = parse(export())
    assert isinstance(model, ThreatComposerExport)
    assert model.name == "payments"
    assert [t.label for t in model.threats] == ["T1", "T2", "T3"]
    c = assess(model)
    assert c.complete
    assert (c.threats, c.open_threats, c.mitigations, c.mitigations_resolved) == (3, 2, 2, 1)
    assert c.by_priority == (("High", 1), ("Medium", 1), ("Low", 1))
    assert c.resolved_share == 0.5
    assert c.without_priority == c.without_stride == c.open_unmitigated == ()
    assert c.dangling_links == ()


def test_threat_composer_keys_wellsec_does_not_read_are_allowed() -> None:
    doc = export()
    doc["workspace"] = {"name": "team"}
    doc["threats"][0].update(impactedGoal=["integrity"], customTemplate="x", displayOrder=9)
    doc["mitigations"][0]["metadata"] = [{"key": "Comments", "value": "done in Q3"}]
    assert isinstance(parse(doc), ThreatComposerExport)


def test_only_schema_is_required() -> None:
    model = parse({"schema": 1})
    assert isinstance(model, ThreatComposerExport)
    c = assess(model)
    assert c.threats == 0
    assert not c.complete  # a model without threats models nothing
    assert c.resolved_share is None


def test_threat_status_defaults_to_identified_as_in_threat_composer() -> None:
    doc = export()
    del doc["threats"][1]["status"]
    del doc["mitigationLinks"][1]
    assert figures(doc).open_unmitigated == ("T2",)


def test_a_byte_order_mark_is_accepted() -> None:
    model = parse_export(b"\xef\xbb\xbf" + json.dumps(export()).encode())
    assert isinstance(model, ThreatComposerExport)


# --- broken exports: every problem names its place ------------------------------------------


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set ``doc[a][0][b] = value`` for ``path`` "a.0.b"."""

    def change(doc: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = doc
        for p in parents:
            target = target[p]
        target[last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = doc
        for p in parents:
            target = target[p]
        del target[last]

    return change


BROKEN = [
    pytest.param(_drop("schema"), "schema: required", id="no-schema"),
    pytest.param(_set("schema", 2), "schema: unsupported Threat Composer schema 2", id="schema-2"),
    pytest.param(_set("schema", "1"), 'schema: unsupported Threat Composer schema "1"', id="str"),
    pytest.param(_set("schema", True), "schema: unsupported Threat Composer schema true", id="t"),
    pytest.param(_set("threats", {}), "threats: Input should be a valid list", id="threats-dict"),
    pytest.param(_set("threats.1.status", "open"), "threats[1].status: Input should be", id="st"),
    pytest.param(
        _set("threats.2.numericId", "3"), "threats[2].numericId: Input should be a valid integer"
    ),
    pytest.param(_set("threats.0.numericId", 1.5), "threats[0].numericId:", id="float-id"),
    pytest.param(_drop("threats.0.id"), "threats[0].id: Field required", id="no-id"),
    pytest.param(_set("threats.0.id", "x" * 37), "threats[0].id: String should have at most 36"),
    pytest.param(_set("threats.0.statement", 7), "threats[0].statement: Input should be a valid"),
    pytest.param(
        _set("threats.0.metadata.0.value", "Critical"),
        'threats[0].metadata[0].value: Priority must be High, Medium or Low, not "Critical"',
        id="priority",
    ),
    pytest.param(
        _set("threats.0.metadata.1.value", ["S", "X"]),
        'threats[0].metadata[1].value: STRIDE letters are S, T, R, I, D, E, not "X"',
        id="stride-letter",
    ),
    pytest.param(
        _set("threats.0.metadata.1.value", "S"),
        'threats[0].metadata[1].value: STRIDE must be a list of letters, not "S"',
        id="stride-str",
    ),
    pytest.param(
        _set("threats.0.metadata.0", {"value": "High"}),
        "threats[0].metadata[0].key: Field required",
        id="metadata-key",
    ),
    pytest.param(
        _set("mitigations.1.status", "done"),
        "mitigations[1].status: Input should be 'mitigationIdentified', 'mitigationInProgress', "
        "'mitigationResolved' or 'mitigationResolvedWillNotAction', got \"done\"",
        id="mitigation-status",
    ),
    pytest.param(_drop("mitigations.0.content"), "mitigations[0].content: Field required"),
    pytest.param(
        _drop("mitigationLinks.1.linkedId"), "mitigationLinks[1].linkedId: Field required"
    ),
    pytest.param(
        _set("assumptionLinks.0.type", "Asset"), "assumptionLinks[0].type: Input should be"
    ),
    pytest.param(_set("applicationInfo", "payments"), "applicationInfo: Input should be"),
    pytest.param(
        _set("threats.2.id", uid("threat", 1)), "threats[2].id: duplicate id 'threat-", id="dup"
    ),
]


@pytest.mark.parametrize(("change", "says"), BROKEN)
def test_a_broken_export_is_reported_with_its_place(
    change: Callable[[dict[str, Any]], None], says: str
) -> None:
    doc = export()
    change(doc)
    problem = parse(doc)
    assert isinstance(problem, str)
    assert problem.startswith(says), problem
    assert "\n" not in problem


def test_several_problems_are_counted_on_one_line() -> None:
    doc = export()
    doc["threats"][0]["status"] = "open"
    doc["threats"][1]["status"] = "closed"
    problem = parse(doc)
    assert problem == (
        "threats[0].status: Input should be 'threatIdentified', 'threatResolved' or "
        "'threatResolvedNotUseful', got \"open\" (and 1 more)"
    )


@pytest.mark.parametrize(
    ("data", "says"),
    [
        pytest.param(b'{"schema": 1,', "line 1 column 14: not valid JSON: Expecting", id="cut"),
        pytest.param(b"\xff\xfe{}", "byte 0: not UTF-8 text", id="utf16"),
        pytest.param(b"[]", "(top level): expected a JSON object", id="array"),
        pytest.param(b'{"schema": NaN}', "(top level): not valid JSON: NaN", id="nan"),
        pytest.param(b"[" * 100_000, "(top level): not valid JSON", id="deep"),
        pytest.param(b"", "line 1 column 1: not valid JSON", id="empty"),
    ],
)
def test_not_json_is_reported_with_its_place(data: bytes, says: str) -> None:
    problem = parse_export(data)
    assert isinstance(problem, str)
    assert problem.startswith(says), problem


def test_too_large_is_refused_before_parsing() -> None:
    problem = parse_export(b" " * (MAX_BYTES + 1))
    assert problem == f"(top level): larger than 5 MB ({MAX_BYTES + 1} bytes)"


# --- completeness ---------------------------------------------------------------------------


def test_threats_without_priority_or_stride_are_named() -> None:
    doc = export()
    doc["threats"] += [threat(4, priority=None), threat(5, "Low", stride=[])]
    c = figures(doc)
    assert c.without_priority == ("T4",)
    assert c.without_stride == ("T5",)
    assert c.by_priority == (("High", 1), ("Medium", 1), ("Low", 2), ("unset", 1))
    assert not c.complete


def test_an_empty_stride_list_counts_as_missing() -> None:
    doc = export()
    doc["threats"][0]["metadata"][1]["value"] = []
    assert figures(doc).without_stride == ("T1",)


def test_open_threats_need_a_mitigation_resolved_ones_do_not() -> None:
    doc = export()
    doc["mitigationLinks"] = [link(2, 2)]
    doc["threats"].append(threat(4, "Low", status="threatResolvedNotUseful"))
    c = figures(doc)
    assert c.open_unmitigated == ("T1",)
    assert c.open_unmitigated_high == ("T1",)
    assert not c.complete


def test_a_mitigation_that_will_not_be_actioned_mitigates_nothing() -> None:
    doc = export()
    doc["mitigations"][0]["status"] = "mitigationResolvedWillNotAction"
    c = figures(doc)
    assert c.open_unmitigated == ("T1",)
    assert c.mitigations_will_not_action == 1
    assert c.mitigations_resolved == 0


def test_mitigations_without_status_are_not_resolved() -> None:
    doc = export()
    doc["mitigations"] = [mitigation(1, None), mitigation(2)]
    c = figures(doc)
    assert (c.mitigations_resolved, c.mitigations) == (1, 2)


@pytest.mark.parametrize(
    ("links", "dangling"),
    [
        pytest.param([link(9, 1)], ("mitigationLinks[0].mitigationId",), id="unknown-mitigation"),
        pytest.param([link(1, 9)], ("mitigationLinks[0].linkedId",), id="unknown-threat"),
        pytest.param(
            [link(1, 1), link(8, 9)],
            ("mitigationLinks[1].mitigationId", "mitigationLinks[1].linkedId"),
            id="both",
        ),
    ],
)
def test_dangling_mitigation_links_are_named(
    links: list[dict[str, str]], dangling: tuple[str, ...]
) -> None:
    doc = export()
    doc["mitigationLinks"] = [*links, link(2, 2)]
    c = figures(doc)
    assert c.dangling_links == dangling
    assert not c.complete


def test_a_link_to_a_missing_mitigation_does_not_mitigate() -> None:
    doc = export()
    doc["mitigationLinks"] = [link(9, 1), link(2, 2)]
    assert figures(doc).open_unmitigated == ("T1",)


def test_a_mitigation_may_link_to_an_assumption() -> None:
    doc = export()
    doc["mitigationLinks"].append(
        {"mitigationId": uid("mitigation", 1), "linkedId": uid("assumption", 1)}
    )
    assert figures(doc).complete


@pytest.mark.parametrize(
    ("alink", "dangling"),
    [
        pytest.param(
            {"type": "Threat", "assumptionId": uid("assumption", 9), "linkedId": uid("threat", 1)},
            ("assumptionLinks[0].assumptionId",),
            id="unknown-assumption",
        ),
        pytest.param(
            {"type": "Threat", "assumptionId": uid("assumption", 1), "linkedId": uid("threat", 9)},
            ("assumptionLinks[0].linkedId",),
            id="unknown-threat",
        ),
        pytest.param(
            {
                "type": "Mitigation",
                "assumptionId": uid("assumption", 1),
                "linkedId": uid("threat", 1),
            },
            ("assumptionLinks[0].linkedId",),
            id="threat-named-as-mitigation",
        ),
    ],
)
def test_dangling_assumption_links_are_named(
    alink: dict[str, str], dangling: tuple[str, ...]
) -> None:
    doc = export()
    doc["assumptionLinks"] = [alink]
    assert figures(doc).dangling_links == dangling


def test_the_packaged_demo_model_is_valid_with_the_intended_gaps() -> None:
    from importlib.resources import files

    data = (files("wellsec") / "emulator" / "data" / "demo-payments.tc.json").read_bytes()
    model = parse_export(data)
    assert isinstance(model, ThreatComposerExport), model
    c = assess(model)
    assert 8 <= c.threats <= 12
    assert c.open_unmitigated_high == c.open_unmitigated == ("T4",)
    assert c.without_stride == ("T8",)
    assert c.without_priority == c.dangling_links == ()
    assert 0 < c.mitigations_resolved < c.mitigations
