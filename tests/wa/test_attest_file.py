"""Pulled attestations written into wellsec.yaml: the rest of the file untouched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wellsec.errors import WorkloadError
from wellsec.wa.attest_file import merge, rewrite, updated_text
from wellsec.workload import Attestation, load_workload

LINK = "https://console.aws.amazon.com/wellarchitected/home?region=us-east-1#/workload/abc/overview"
PULLED = Attestation(
    id="threat_model_maintained", by="owner@example.com", date=dt.date(2026, 11, 20), evidence=LINK
)
FILE = f"""\
# Payments workload: reviewed quarterly.
name: payments
environment: production
owner: owner@example.com
regions: [us-east-1]

# Facts no API shows.
attestations:
- id: root_password_rotation   # the break-glass runbook
  by: platform@example.com
  date: 2026-10-01
- id: threat_model_maintained
  by: owner@example.com
  date: 2026-01-05
  evidence: {LINK}

# Examples for later:
#  - id: pipeline_security_testing
review_cadence_days: 90
"""


def test_merge_replaces_an_earlier_pull_and_keeps_people_entries() -> None:
    earlier = Attestation(
        id="threat_model_maintained", by="x", date=dt.date(2026, 1, 5), evidence=LINK
    )
    person = Attestation(id="root_password_rotation", by="p", date=dt.date(2026, 10, 1))
    merged, messages = merge([person, earlier], [PULLED], LINK)
    assert merged == [person, PULLED]
    assert messages == []


def test_merge_keeps_a_person_attestation_as_recent() -> None:
    person = Attestation(
        id="threat_model_maintained", by="ciso@example.com", date=dt.date(2026, 11, 25)
    )
    merged, messages = merge([person], [PULLED], LINK)
    assert merged == [person]
    assert messages == [
        "threat_model_maintained: kept the attestation by ciso@example.com on 2026-11-25 "
        "(as recent as the WA Tool's, 2026-11-20)"
    ]


def test_rewrite_touches_only_the_attestations_block(tmp_path: Path) -> None:
    path = tmp_path / "wellsec.yaml"
    path.write_text(FILE)
    workload = load_workload(path)
    merged, _ = merge(list(workload.attestations), [PULLED], LINK)
    text = updated_text(path, workload, merged)
    path.write_text(text)
    assert text.startswith("# Payments workload: reviewed quarterly.\nname: payments\n")
    assert (
        "# Examples for later:\n#  - id: pipeline_security_testing\nreview_cadence_days: 90\n"
        in text
    )
    again = load_workload(path)
    assert again.attestations == merged
    assert again.review_cadence_days == 90
    assert again.attestation("threat_model_maintained") == PULLED


def test_a_file_without_attestations_gets_the_block_appended() -> None:
    text = rewrite("name: payments\n", [PULLED])
    assert text.startswith("name: payments\n\nattestations:\n- id: threat_model_maintained\n")


def test_a_layout_it_cannot_edit_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "wellsec.yaml"
    path.write_text("name: payments\nattestations: [\n  {id: x_y_z, by: a, date: 2026-01-01}\n]\n")
    workload = load_workload(path)
    with pytest.raises(WorkloadError, match="cannot update its attestations safely"):
        updated_text(path, workload, [*workload.attestations, PULLED])
