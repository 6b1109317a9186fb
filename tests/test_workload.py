"""wellsec.yaml parsing: good files load, bad ones get one line naming file and place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wellsec.errors import WorkloadError
from wellsec.workload import load_workload

GOOD = """
workload:
  name: payments
  environment: production
  regions: [us-east-1, eu-west-1]
  ous: [Workloads]
  review_cadence_days: 90
attestations:
  - id: threat_model_maintained
    by: owner@example.com
    date: 2026-10-01
    evidence: https://example.com/tm
"""


def test_nested_and_flat_forms(tmp_path: Path) -> None:
    nested = tmp_path / "a.yaml"
    nested.write_text(GOOD)
    workload = load_workload(nested)
    assert workload.name == "payments"
    assert workload.ous == ["Workloads"]
    found = workload.attestation("threat_model_maintained")
    assert found is not None
    assert found.date == dt.date(2026, 10, 1)
    assert found.expiry(365) == dt.date(2027, 10, 1)
    flat = tmp_path / "b.yaml"
    flat.write_text("name: shop\nregions: [eu-west-1]\n")
    assert load_workload(flat).regions == ["eu-west-1"]


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("name: ab\n", "name", "at least 3"),
        ("name: shop\nregions: [mars-1]\n", "regions[0]", "pattern"),
        ("name: shop\naccounts: ['12345']\n", "accounts[0]", "pattern"),
        ("name: shop\nenvironment: staging\n", "environment", "production"),
        ("name: shop\nbogus: 1\n", "bogus", "Extra inputs"),
        (
            "name: shop\nattestations:\n"
            "  - {id: x_y_z, by: me, date: 2026-01-02, expires: 2025-01-01}\n",
            "attestations[0]",
            "expires is before date",
        ),
        ("workload: {name: shop}\nextra: 1\n", None, "unknown top-level key 'extra'"),
        ("- just\n- a list\n", None, "expected a mapping"),
        ("name: [unclosed\n", "line", "not valid YAML"),
    ],
)
def test_bad_workload_files(tmp_path: Path, text: str, where: str | None, problem: str) -> None:
    path = tmp_path / "wellsec.yaml"
    path.write_text(text)
    with pytest.raises(WorkloadError) as info:
        load_workload(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert problem in message
    if where:
        assert where in message
    assert "\n" not in message
