"""A fault can aim at one request parameter, such as one parent of the organization tree."""

from __future__ import annotations

from wellsec.emulator.faults import FaultKind, FaultSpec

OPERATION = "organizations:ListAccountsForParent"


def test_a_parameter_fault_hits_only_that_value() -> None:
    spec = FaultSpec(FaultKind.DENY, OPERATION, parameter=("ParentId", "ou-a"))
    assert spec.matches(OPERATION, "1", "us-east-1", {"ParentId": "ou-a"})
    assert not spec.matches(OPERATION, "1", "us-east-1", {"ParentId": "ou-b"})
    assert not spec.matches(OPERATION, "1", "us-east-1", None)


def test_a_fault_without_parameter_hits_every_request() -> None:
    spec = FaultSpec(FaultKind.DENY, OPERATION)
    assert spec.matches(OPERATION, "1", "us-east-1", {"ParentId": "ou-b"})
    assert spec.matches(OPERATION, "1", "us-east-1")
