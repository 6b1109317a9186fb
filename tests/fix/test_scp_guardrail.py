"""The "protect detective controls" SCP that ``wellsec fix`` writes, evaluated as AWS
would (tests/fix/scp_eval.py): a member administrator cannot switch off or blind the
detective controls, even by creating or changing a role named like the exemption, and
the StackSet execution role still deploys the baseline."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.fix.scp_eval import FULL_ACCESS, Request, decide
from wellsec.cli import app
from wellsec.fix.scp import SCP_MAX_CHARS
from wellsec.snapshot import Snapshot, dumps

MEMBER = "222222222222"
ROLE = f"arn:aws:iam::{MEMBER}:role/"
ADMIN = ROLE + "Admin"
EXEC = ROLE + "stacksets-exec-0b1c2d3e4f"  # what service-managed StackSets create
SELF_MANAGED = ROLE + "AWSCloudFormationStackSetExecutionRole"
RULE = f"arn:aws:events:eu-west-1:{MEMBER}:rule/wellsec-root-activity"
TOPIC = f"arn:aws:sns:eu-west-1:{MEMBER}:wellsec-root-activity"
TRAIL_BUCKET = f"arn:aws:s3:::wellsec-trail-{MEMBER}-eu-west-1"
BLINDING = (
    "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors",
    "cloudtrail:UpdateTrail", "config:StopConfigurationRecorder",
    "config:PutConfigurationRecorder", "config:PutDeliveryChannel", "config:DeleteConfigRule",
    "guardduty:UpdateDetector", "guardduty:CreateFilter", "guardduty:UpdateFilter",
    "guardduty:CreateIPSet", "guardduty:DisassociateFromAdministratorAccount",
    "securityhub:DisableSecurityHub", "securityhub:BatchDisableStandards",
    "securityhub:CreateAutomationRule", "securityhub:BatchUpdateFindings",
    "securityhub:UpdateStandardsControl", "securityhub:DisableImportFindingsForProduct",
)  # fmt: skip
ALERTING = (
    ("events:DisableRule", RULE), ("events:DeleteRule", RULE), ("events:RemoveTargets", RULE),
    ("events:PutRule", RULE), ("events:PutTargets", RULE), ("sns:DeleteTopic", TOPIC),
    ("sns:SetTopicAttributes", TOPIC), ("sns:Unsubscribe", "*"),
    ("s3:PutBucketPolicy", TRAIL_BUCKET), ("s3:DeleteBucket", TRAIL_BUCKET),
)  # fmt: skip


@pytest.fixture(scope="module")
def guardrail(
    tmp_path_factory: pytest.TempPathFactory, report: dict[str, Any], snapshot: Snapshot
) -> dict[str, Any]:
    """The policy as ``wellsec fix`` writes it from the broken organization's review."""
    home = tmp_path_factory.mktemp("guardrail")
    (home / "review.json").write_text(json.dumps(report))
    (home / "snapshot.json").write_text(dumps(snapshot))
    args = ["fix", "--review", str(home / "review.json"), "--snapshot", str(home / "snapshot.json")]
    result = CliRunner().invoke(app, [*args, "-d", str(home / "out")])
    assert result.exit_code == 0, result.stderr
    text = (home / "out" / "scps" / "protect-detective-controls.json").read_text()
    assert len(text) <= SCP_MAX_CHARS
    document: dict[str, Any] = json.loads(text)
    return document


def decision(guardrail: dict[str, Any], action: str, who: str, resource: str = "*") -> str:
    return decide([[FULL_ACCESS], [FULL_ACCESS, guardrail]], Request(action, who, resource))


@pytest.mark.parametrize("action", BLINDING)
def test_a_member_administrator_cannot_blind_the_detective_controls(
    guardrail: dict[str, Any], action: str
) -> None:
    assert decision(guardrail, action, ADMIN) == "Deny"
    assert decision(guardrail, action, EXEC) == "Allow"


@pytest.mark.parametrize(("action", "resource"), ALERTING)
def test_a_member_administrator_cannot_silence_wellsec_alerting(
    guardrail: dict[str, Any], action: str, resource: str
) -> None:
    assert decision(guardrail, action, ADMIN, resource) == "Deny"
    assert decision(guardrail, action, EXEC, resource) == "Allow"


@pytest.mark.parametrize(
    "name",
    [
        "stacksets-exec-mine",  # the old exemption pattern
        "AWSCloudFormationStackSetExecutionRole",
        "stacksets-exec-x/evil",  # a path that starts like the exemption
    ],
)
def test_a_member_administrator_cannot_make_a_role_named_like_the_exemption(
    guardrail: dict[str, Any], name: str
) -> None:
    assert decision(guardrail, "iam:CreateRole", ADMIN, ROLE + name) == "Deny"


@pytest.mark.parametrize(
    "action",
    [
        "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy",
        "iam:DeleteRole", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
        "iam:UpdateRole", "iam:TagRole",
    ],
)  # fmt: skip
def test_nobody_else_can_take_over_the_exempt_roles(guardrail: dict[str, Any], action: str) -> None:
    for role in (EXEC, SELF_MANAGED):
        assert decision(guardrail, action, ADMIN, role) == "Deny"
        assert decision(guardrail, action, EXEC, role) == "Allow"


@pytest.mark.parametrize(
    "lookalike",
    [
        ROLE + "Stacksets-Exec-mine",  # role names are unique case-insensitively, ARNs match case
        ROLE + "team/stacksets-exec-mine",  # a path before the name
        ROLE + "AWSCloudFormationStackSetExecutionRole2",
    ],
)
def test_roles_a_member_can_still_create_are_not_exempt(
    guardrail: dict[str, Any], lookalike: str
) -> None:
    assert decision(guardrail, "iam:CreateRole", ADMIN, lookalike) == "Allow"
    assert decision(guardrail, "cloudtrail:StopLogging", lookalike) == "Deny"


def test_everyday_work_is_untouched(guardrail: dict[str, Any]) -> None:
    assert decision(guardrail, "ec2:RunInstances", ADMIN) == "Allow"
    assert decision(guardrail, "iam:CreateRole", ADMIN, ROLE + "payments-app") == "Allow"
    own_rule = f"arn:aws:events:eu-west-1:{MEMBER}:rule/payments-nightly"
    assert decision(guardrail, "events:PutRule", ADMIN, own_rule) == "Allow"
    assert decision(guardrail, "cloudtrail:LookupEvents", ADMIN) == "Allow"
    assert decision(guardrail, "guardduty:ListFindings", ADMIN) == "Allow"
