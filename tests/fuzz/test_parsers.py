"""Property-based fuzzing of every parser of user input: each either accepts the input or
raises its own one-line error naming the file; nothing else escapes."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellsec.attest.threat_composer import parse_export
from wellsec.attest.threat_model import load_reports
from wellsec.errors import LensError, SnapshotError, WorkloadError
from wellsec.lens import load_lens, load_lens_file, parse_lens
from wellsec.lens.rules import ConditionError, parse_condition
from wellsec.snapshot import from_dict, load_snapshot
from wellsec.workload import load_workload, parse_workload

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
KEYS = st.sampled_from(
    [
        "name",
        "regions",
        "accounts",
        "ous",
        "attestations",
        "environment",
        "review_cadence_days",
        "threat_model",
        "compliance",
        "workload",
        "id",
        "by",
        "date",
        "expires",
    ]
)
workload_like = st.dictionaries(KEYS | st.text(max_size=8), json_values, max_size=8)


def _one_line(exc: Exception, path: str) -> None:
    text = str(exc)
    assert "\n" not in text
    assert text.startswith(path)


@FUZZ
@given(workload_like)
def test_workload_data(data: dict[str, Any]) -> None:
    try:
        parse_workload(data, "w.yaml")
    except WorkloadError as exc:
        _one_line(exc, "w.yaml")


@FUZZ
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_workload_files(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wellsec.yaml"
        path.write_bytes(raw)
        try:
            load_workload(path)
        except WorkloadError as exc:
            _one_line(exc, str(path))


@FUZZ
@given(json_values)
def test_snapshot_data(data: Any) -> None:
    try:
        from_dict(data, "s.json")
    except SnapshotError as exc:
        _one_line(exc, "s.json")


SNAPSHOT_BASE = {
    "schema": "wellsec.snapshot/1",
    "created_at": "2026-11-01T00:00:00+00:00",
    "caller_account": "111111111111",
    "regions": ["us-east-1"],
    "organization": {},
    "accounts": [
        {"id": "111111111111", "name": "a", "role": "member", "evidence": {}, "regions": {}}
    ],
}


@FUZZ
@given(st.sampled_from(sorted(SNAPSHOT_BASE)), json_values)
def test_snapshot_with_one_field_replaced(field: str, value: Any) -> None:
    data = copy.deepcopy(SNAPSHOT_BASE)
    data[field] = value
    try:
        from_dict(data, "s.json")
    except SnapshotError as exc:
        _one_line(exc, "s.json")


@FUZZ
@given(st.binary(max_size=300))
def test_snapshot_files(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snap.json"
        path.write_bytes(raw)
        try:
            load_snapshot(path)
        except SnapshotError as exc:
            _one_line(exc, str(path))


LENS = load_lens().source


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


LENS_PATHS = _paths(LENS)


@FUZZ
@given(st.sampled_from(LENS_PATHS), json_values)
def test_lens_with_one_value_replaced(path: tuple[Any, ...], value: Any) -> None:
    data = copy.deepcopy(LENS)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    try:
        parse_lens(data, "lens.json")
    except LensError as exc:
        _one_line(exc, "lens.json")


@FUZZ
@given(st.binary(max_size=300))
def test_lens_files(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lens.json"
        path.write_bytes(raw)
        try:
            load_lens_file(path)
        except LensError as exc:
            _one_line(exc, str(path))


@FUZZ
@given(st.text(alphabet="ab_c!&|() \t", max_size=40))
def test_conditions(text: str) -> None:
    with contextlib.suppress(ConditionError):
        parse_condition(text).evaluate(frozenset({"ab"}))


THREAT = {
    "schema": 1,
    "threats": [
        {
            "id": "t1",
            "numericId": 1,
            "statement": "x",
            "status": "threatIdentified",
            "metadata": [{"key": "Priority", "value": "High"}],
        }
    ],
    "mitigations": [{"id": "m1", "numericId": 1, "content": "y", "status": "mitigationResolved"}],
    "mitigationLinks": [{"mitigationId": "m1", "linkedId": "t1"}],
}
THREAT_PATHS = _paths(THREAT)


@FUZZ
@given(st.sampled_from(THREAT_PATHS), json_values)
def test_threat_composer_exports(path: tuple[Any, ...], value: Any) -> None:
    data = copy.deepcopy(THREAT)
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    result = parse_export(json.dumps(data).encode())
    if isinstance(result, str):
        assert "\n" not in result


@FUZZ
@given(st.binary(max_size=300))
def test_threat_model_files_never_raise(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.tc.json"
        path.write_bytes(raw)
        reports = load_reports([str(path)], dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
        assert len(reports) == 1
