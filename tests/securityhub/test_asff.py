"""ASFF findings from a review report, checked against the botocore Security Hub model."""

from __future__ import annotations

import copy
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber
from botocore.validate import ParamValidator

from tests.wa.wa import OWNER_ACCOUNT, report_data
from wellsec.report.rules import registry_rules
from wellsec.saved_review import parse_report
from wellsec.securityhub.asff import id_prefix, product_arn, to_asff
from wellsec.securityhub.asff_check import input_shape, problems
from wellsec.securityhub.importer import import_place, send

STATUSES = {"SEC01-BP02": "NOT_MET", "SEC01-BP04": "UNKNOWN", "SEC01-BP03": "NOT_APPLICABLE"}


def findings(statuses: dict[str, str] | None = None) -> list[dict[str, Any]]:
    data = report_data(statuses or STATUSES)
    data["findings"].append(
        {
            "check": "attest.threat_model_maintained",
            "best_practice": "SEC01-BP07",
            "status": "PASS",
            "severity": "medium",
            "account": None,
            "region": None,
            "resource": "workload/payments/attestation/threat_model_maintained",
            "message": "attested by app-owner@example.com on 2026-11-01",
        }
    )
    return to_asff(parse_report(data, "r.json"), "eu-west-1", OWNER_ACCOUNT, registry_rules())


def hub_client() -> Any:
    return botocore.session.get_session().create_client(
        "securityhub",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_findings_match_the_model_and_the_asff_rules() -> None:
    made = findings()
    assert problems(made) == []
    report_ = ParamValidator().validate({"Findings": made}, input_shape())
    assert not report_.has_errors(), report_.generate_report()
    by_check = {f["ProductFields"]["wellsec/Check"]: f for f in made}
    failing = by_check["check_bp02"]
    assert failing["Compliance"]["Status"] == "FAILED"
    assert failing["Severity"] == {"Label": "HIGH", "Original": "high"}
    assert failing["ProductArn"] == product_arn("us-east-1", "222222222222")
    assert failing["Resources"] == [
        {
            "Type": "AwsAccount",
            "Id": "AWS::::Account:222222222222",
            "Partition": "aws",
            "Region": "us-east-1",
        }
    ]
    # Unknown is never a pass: not available, at the check's severity.
    unknown = by_check["check_bp04"]
    assert unknown["Compliance"]["Status"] == "NOT_AVAILABLE"
    assert unknown["Severity"]["Label"] == "HIGH"
    assert by_check["check_bp03"]["Severity"]["Label"] == "INFORMATIONAL"
    assert by_check["check_bp01"]["Compliance"]["Status"] == "PASSED"
    # A workload-wide finding goes to the given account, in the home region.
    attested = by_check["attest.threat_model_maintained"]
    assert attested["AwsAccountId"] == OWNER_ACCOUNT and attested["Region"] == "eu-west-1"
    assert attested["ProductArn"] == product_arn("eu-west-1", OWNER_ACCOUNT)
    assert attested["Resources"][0]["Type"] == "Other"


def test_ids_are_stable_from_review_to_review() -> None:
    first = findings()
    second = findings({"SEC01-BP02": "MET"})
    assert [f["Id"] for f in first] == [f["Id"] for f in second]
    assert len({f["Id"] for f in first}) == len(first)
    assert all(f["Id"].startswith(id_prefix("payments")) for f in first)
    assert first[1]["Compliance"]["Status"] == "FAILED"
    assert second[1]["Compliance"]["Status"] == "PASSED"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda f: f["Severity"].update(Label="SEVERE"), "Severity.Label: 'SEVERE' is not one of"),
        (lambda f: f.update(Types=[]), "Types: at least one type is needed"),
        (lambda f: f.update(Title="t" * 300), "Title: longer than 256 characters"),
        (
            lambda f: f.pop("GeneratorId"),
            'Missing required parameter in Findings[0]: "GeneratorId"',
        ),
        (
            lambda f: f.update(ProductArn=product_arn("us-east-1", "999999999999")),
            "ProductArn: not the default product of account 222222222222",
        ),
        (lambda f: f.update(Description=" "), "Description: ' ' does not match"),
    ],
)
def test_problems_name_what_security_hub_would_refuse(change: Any, problem: str) -> None:
    finding = copy.deepcopy(findings()[0])
    change(finding)
    assert any(problem in p for p in problems([finding])), problems([finding])


def test_batches_of_at_most_100_and_failed_findings() -> None:
    many = [dict(findings()[0], Id=f"wellsec/payments/x/{i}") for i in range(250)]
    client = hub_client()
    with Stubber(client) as stub:
        stub.add_response(
            "batch_import_findings",
            {
                "FailedCount": 1,
                "SuccessCount": 99,
                "FailedFindings": [
                    {"Id": many[7]["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "bad"}
                ],
            },
            {"Findings": many[:100]},
        )
        stub.add_client_error(
            "batch_import_findings",
            service_error_code="InvalidAccessException",
            service_message="not subscribed",
            http_status_code=401,
            expected_params={"Findings": many[100:200]},
        )
        stub.add_response(
            "batch_import_findings",
            {"FailedCount": 0, "SuccessCount": 50, "FailedFindings": []},
            {"Findings": many[200:]},
        )
        imported, failures = send(client, many)
        stub.assert_no_pending_responses()
    assert imported == 149
    assert len(failures) == 101
    assert failures[0].id == many[7]["Id"] and failures[0].code == "InvalidInput"
    assert {f.code for f in failures[1:]} == {"InvalidAccessException"}


def test_findings_a_review_no_longer_has_are_archived() -> None:
    sent = findings()[:2]
    same_place = [f for f in sent if f["ProductArn"] == sent[0]["ProductArn"]]
    old = dict(
        sent[0],
        Id=id_prefix("payments") + "guardduty_enabled/old",
        UpdatedAt="2026-01-01T00:00:00.000Z",
    )
    client = hub_client()
    with Stubber(client) as stub:
        stub.add_response(
            "batch_import_findings",
            {"FailedCount": 0, "SuccessCount": len(same_place), "FailedFindings": []},
        )
        expected_filters = {
            "Id": [{"Value": id_prefix("payments"), "Comparison": "PREFIX"}],
            "ProductArn": [{"Value": sent[0]["ProductArn"], "Comparison": "EQUALS"}],
            "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        }
        stub.add_response(
            "get_findings",
            {"Findings": [same_place[0]], "NextToken": "2"},
            {"Filters": expected_filters, "MaxResults": 100},
        )
        stub.add_response(
            "get_findings",
            {"Findings": [old]},
            {"Filters": expected_filters, "MaxResults": 100, "NextToken": "2"},
        )
        archived = {**old, "RecordState": "ARCHIVED", "UpdatedAt": same_place[0]["UpdatedAt"]}
        stub.add_response(
            "batch_import_findings",
            {"FailedCount": 0, "SuccessCount": 1, "FailedFindings": []},
            {"Findings": [archived]},
        )
        result = import_place(
            client, "222222222222", "us-east-1", same_place, id_prefix("payments")
        )
        stub.assert_no_pending_responses()
    assert (result.imported, result.archived, result.warning) == (len(same_place), 1, None)


def test_a_role_that_cannot_read_findings_leaves_a_warning() -> None:
    sent = findings()[:1]
    client = hub_client()
    with Stubber(client) as stub:
        stub.add_response(
            "batch_import_findings", {"FailedCount": 0, "SuccessCount": 1, "FailedFindings": []}
        )
        stub.add_client_error("get_findings", service_error_code="AccessDeniedException")
        result = import_place(client, "222222222222", "us-east-1", sent, "wellsec/payments/")
    assert result.imported == 1 and result.archived == 0
    assert result.warning is not None and "AccessDeniedException" in result.warning
