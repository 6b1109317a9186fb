"""`wellsec export -f asff --to-securityhub` end to end: the demo organization's review goes
into each account's Security Hub over HTTP, and the next review updates the same findings.

In the demo, dev has no hub in eu-west-1: that place's findings fail, the rest go in.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.e2e.conftest import Demo
from wellsec.securityhub.asff import product_arn
from wellsec.securityhub.asff_check import problems

US, EU = "us-east-1", "eu-west-1"
HEALTH_PATTERN = json.dumps({"source": ["aws.health"]})
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


def hub(demo: Demo, account: str, region: str) -> Any:
    """A Security Hub client acting in ``account``."""
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    if account != demo.org.management_account_id:
        creds = session.client("sts", endpoint_url=demo.emulator.endpoint_url).assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
            RoleSessionName="test",
        )["Credentials"]
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=region,
        )
    return session.client("securityhub", endpoint_url=demo.emulator.endpoint_url, config=NO_RETRIES)


def stored(demo: Demo, account: str, region: str) -> list[dict[str, Any]]:
    """wellsec's active findings in one account and region, every page of GetFindings."""
    client = hub(demo, account, region)
    found: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {
        "Filters": {
            "GeneratorId": [{"Value": "wellsec/", "Comparison": "PREFIX"}],
            "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        },
        "MaxResults": 20,
    }
    while True:
        page = client.get_findings(**kwargs)
        found += page["Findings"]
        if not page.get("NextToken"):
            return found
        kwargs["NextToken"] = page["NextToken"]


def review_file(demo: Demo, name: str) -> Path:
    run = demo.review()
    assert run.exit_code in (0, 4), run.stderr
    kept = demo.tmp / name
    shutil.copy(demo.tmp / "report.json", kept)
    return kept


def export(demo: Demo, *args: str) -> Any:
    return demo.cli(
        "export", "-f", "asff", "--config", str(demo.config),
        "--endpoint-url", demo.emulator.endpoint_url, *args, json_out=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def first_review(demo: Demo) -> Path:
    return review_file(demo, "review-1.json")


def test_asff_file_has_one_valid_finding_per_review_finding(demo: Demo, first_review: Path) -> None:
    out = demo.tmp / "findings.json"
    result = export(demo, "--review", str(first_review), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    made = json.loads(out.read_text())
    report = json.loads(first_review.read_text())
    assert len(made) == len(report["findings"])
    assert problems(made) == []
    assert len({f["Id"] for f in made}) == len(made)
    management = demo.org.management_account_id
    for finding in made:
        assert finding["ProductArn"] == product_arn(finding["Region"], finding["AwsAccountId"])
        assert finding["AwsAccountId"] in set(demo.org.accounts.values())
    workload_wide = [f for f in made if f["ProductFields"]["wellsec/Check"].startswith("attest.")]
    assert workload_wide and {f["AwsAccountId"] for f in workload_wide} == {management}
    unknown = [f for f in made if f["ProductFields"]["wellsec/Status"] == "UNKNOWN"]
    assert all(f["Compliance"]["Status"] == "NOT_AVAILABLE" for f in unknown)


def test_import_then_a_second_review_updates_the_same_findings(
    demo: Demo, first_review: Path
) -> None:
    out = demo.tmp / "first.json"
    result = export(demo, "--review", str(first_review), "--to-securityhub", "-o", str(out))
    made = json.loads(out.read_text())
    dev, prod = demo.account("dev"), demo.account("prod")
    # dev has no hub in eu-west-1: those findings fail, the rest are imported.
    assert result.exit_code == 4, result.stderr
    per_place = Counter((f["AwsAccountId"], f["Region"]) for f in made)
    failed_here = per_place[(dev, EU)]
    assert failed_here > 0
    assert f"Security Hub {dev} {EU}: 0 of {failed_here} imported, {failed_here} failed" in (
        result.stderr
    )
    assert "InvalidAccessException" in result.stderr
    for (account, region), count in per_place.items():
        if (account, region) == (dev, EU):
            with pytest.raises(ClientError, match="InvalidAccessException"):
                stored(demo, account, region)
            continue
        assert len(stored(demo, account, region)) == count, (account, region)

    # prod starts routing AWS Health events in us-east-1; review again (recorded in the store).
    _route_health_events(demo, prod)
    second = review_file(demo, "review-2.json")
    routed = [
        f
        for f in json.loads(second.read_text())["findings"]
        if f["check"] == "health_events_routed" and f["account"] == prod and f["region"] == US
    ]
    assert [f["status"] for f in routed] == ["PASS"]
    # The latest stored review this time, not a file.
    again = export(demo, "--to-securityhub")
    assert again.exit_code == 4, again.stderr
    for (account, region), count in per_place.items():
        if (account, region) != (dev, EU):
            assert len(stored(demo, account, region)) == count, (account, region)
    finding = next(
        f
        for f in stored(demo, prod, US)
        if f["ProductFields"]["wellsec/Check"] == "health_events_routed"
    )
    before = next(f for f in made if f["Id"] == finding["Id"])
    assert before["Compliance"]["Status"] == "FAILED"
    assert finding["Compliance"]["Status"] == "PASSED"
    assert finding["UpdatedAt"] > before["UpdatedAt"]
    assert finding["Workflow"] == {"Status": "NEW"}  # set by the first import, kept

    # A review without that finding (its resource gone): the earlier one is archived.
    trimmed = json.loads(second.read_text())
    trimmed["findings"] = [f for f in trimmed["findings"] if f not in routed]
    third = demo.tmp / "review-3.json"
    third.write_text(json.dumps(trimmed))
    last = export(demo, "--review", str(third), "--to-securityhub")
    count = per_place[(prod, US)] - 1
    assert f"Security Hub {prod} {US}: {count} of {count} imported, 1 earlier finding archived" in (
        last.stderr
    )
    assert len(stored(demo, prod, US)) == count
    gone = hub(demo, prod, US).get_findings(
        Filters={"Id": [{"Value": finding["Id"], "Comparison": "EQUALS"}]}
    )["Findings"]
    assert [f["RecordState"] for f in gone] == ["ARCHIVED"]


def _route_health_events(demo: Demo, account: str) -> None:
    from wellsec.emulator.sessions import session_for

    session = session_for(demo.emulator.endpoint_url, account)
    url = demo.emulator.endpoint_url
    sns = session.client("sns", endpoint_url=url, region_name=US)
    topic = sns.create_topic(Name="health-notifications")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    events = session.client("events", endpoint_url=url, region_name=US)
    events.put_rule(Name="health-us", EventPattern=HEALTH_PATTERN, State="ENABLED")
    events.put_targets(Rule="health-us", Targets=[{"Id": "notify", "Arn": topic}])


def test_security_hub_refuses_what_it_would_refuse(demo: Demo, first_review: Path) -> None:
    prod, security = demo.account("prod"), demo.account("security-tooling")
    client = hub(demo, prod, US)
    out = demo.tmp / "one.json"
    assert export(demo, "--review", str(first_review), "-o", str(out)).exit_code == 0
    sample = next(f for f in json.loads(out.read_text()) if f["AwsAccountId"] == prod)
    sample = {**sample, "GeneratorId": "test/by-hand"}  # not one of wellsec's
    with pytest.raises(ClientError, match="InvalidInputException"):
        client.batch_import_findings(Findings=[sample] * 101)
    foreign = {**sample, "Id": "x-1", "AwsAccountId": security}
    foreign["ProductArn"] = product_arn(US, security)
    missing = {**sample, "Resources": [], "Id": "x-2"}
    reply = client.batch_import_findings(Findings=[foreign, missing, {**sample, "Id": "x-3"}])
    assert reply["SuccessCount"] == 1
    assert {(f["Id"], f["ErrorCode"]) for f in reply["FailedFindings"]} == {
        ("x-1", "AccessDeniedException"),
        ("x-2", "InvalidInput"),
    }
    got = client.get_findings(Filters={"Id": [{"Value": "x-3", "Comparison": "EQUALS"}]})
    assert [f["Id"] for f in got["Findings"]] == ["x-3"]
    with pytest.raises(ClientError, match="InvalidInputException"):
        client.get_findings(Filters={"ResourceType": [{"Value": "Other", "Comparison": "EQUALS"}]})


def test_the_import_is_declared_outside_the_scan_policy() -> None:
    from wellsec.permissions import required_actions
    from wellsec.securityhub import IMPORT_ACTIONS

    assert "securityhub:BatchImportFindings" in IMPORT_ACTIONS
    assert "securityhub:BatchImportFindings" not in required_actions()
    assert not [a for a in required_actions() if a.startswith("wellarchitected:")]
