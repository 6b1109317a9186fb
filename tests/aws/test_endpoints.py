"""A service AWS does not offer in a region is a fact about the region, not missing evidence:
the collectors read botocore's endpoint data before calling."""

from __future__ import annotations

from tests.aws.conftest import Org
from wellsec.aws import Reader
from wellsec.aws.endpoints import offered_in, offered_regions
from wellsec.collect.securityhub import NOT_OFFERED, audit_manager

# Per botocore's endpoint data: Control Tower and Audit Manager are regional services that
# AWS offers in some commercial regions only; both are offered in us-east-1.
NOT_AUDIT_MANAGER = sorted(
    set(offered_regions("ec2") or ()) - set(offered_regions("auditmanager") or ())
)


def test_endpoint_data_knows_regional_services_and_rules_out_nothing_for_global_ones() -> None:
    assert offered_in("auditmanager", "us-east-1") and NOT_AUDIT_MANAGER
    assert offered_regions("iam") is None or "us-east-1" in (offered_regions("iam") or ())
    assert offered_in("no-such-service", "us-east-1")  # unknown: nothing ruled out


def test_audit_manager_where_it_is_not_offered_is_a_fact_without_a_request(org: Org) -> None:
    member = org.members[0]
    region = NOT_AUDIT_MANAGER[0]
    before = org.emulator.requests_by_operation().get("auditmanager:GetAccountStatus", 0)
    evidence = audit_manager(Reader(org.connector(), member), region)
    assert evidence == {"auditmanager.assessments": {"status": NOT_OFFERED, "assessments": []}}
    after = org.emulator.requests_by_operation().get("auditmanager:GetAccountStatus", 0)
    assert after == before
