"""The schema, the collectors and the checks name the same evidence keys."""

from __future__ import annotations

import pytest

from wellsec.checks.registry import CheckSpec
from wellsec.checks.runner import all_checks
from wellsec.collect.registry import LEVELS, collectors
from wellsec.collect.scan import Scan  # noqa: F401  (registers every collector)
from wellsec.evidence import Level, keys


def test_every_collector_key_is_in_the_schema_and_every_schema_key_has_a_writer() -> None:
    written = [k for c in collectors.all() for k in c.keys]
    assert all(k is keys.BY_NAME[k.name] for k in written)
    assert len({k.name for k in written}) == len(written), "a key with two collectors"
    by_collectors = {k.name for k in written}
    by_scan = {k.name for k in keys.ALL if k.by_scan}
    local = {k.name for k in keys.ALL if k.level is Level.LOCAL}
    assert by_collectors | by_scan | local == set(keys.BY_NAME)
    assert not by_collectors & by_scan


def test_collectors_write_their_keys_at_their_level() -> None:
    for collector in collectors.all():
        assert {k.level for k in collector.keys} == {LEVELS[collector.scope]}, collector.name


@pytest.mark.parametrize("spec", all_checks(), ids=lambda s: s.id)
def test_every_key_a_check_reads_is_declared(spec: CheckSpec) -> None:
    declared = [str(k) for k in spec.evidence]
    assert [k for k in declared if k not in keys.BY_NAME] == []
