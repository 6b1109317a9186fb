"""The test evaluator of SCPs against AWS's own examples and documented rules."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fix.scp_eval import FULL_ACCESS, Request, arn_like, decide

# "Deny access to AWS based on the requested AWS Region", with its two exempt roles
# (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html),
# its NotAction list shortened.
REGION_EXAMPLE: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllOutsideEU",
            "Effect": "Deny",
            "NotAction": ["cloudfront:*", "iam:*", "organizations:*", "route53:*", "sts:*"],
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]},
                "ArnNotLike": {
                    "aws:PrincipalARN": [
                        "arn:aws:iam::*:role/Role1AllowedToBypassThisSCP",
                        "arn:aws:iam::*:role/Role2AllowedToBypassThisSCP",
                    ]
                },
            },
        }
    ],
}
# "Prevent IAM principals from making certain changes, with exceptions for a specified
# admin role" (same page).
PROTECT_EXAMPLE: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAccessWithException",
            "Effect": "Deny",
            "Action": [
                "iam:AttachRolePolicy",
                "iam:DeleteRole",
                "iam:DeleteRolePermissionsBoundary",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
            ],
            "Resource": ["arn:aws:iam::*:role/name-of-role-to-deny"],
            "Condition": {
                "ArnNotLike": {"aws:PrincipalARN": "arn:aws:iam::*:role/name-of-admin-role"}
            },
        }
    ],
}
DEV = "arn:aws:iam::111122223333:role/Dev"


def under(*scps: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The root with FullAWSAccess, and the account with FullAWSAccess and ``scps``."""
    return [[FULL_ACCESS], [FULL_ACCESS, *scps]]


def region(action: str, where: str, who: str = DEV) -> Request:
    return Request(action, who, context={"aws:RequestedRegion": where})


@pytest.mark.parametrize(
    ("request_", "decision"),
    [
        pytest.param(region("ec2:RunInstances", "us-west-2"), "Deny", id="outside"),
        pytest.param(region("ec2:RunInstances", "eu-west-1"), "Allow", id="inside"),
        pytest.param(region("iam:CreateUser", "us-east-1"), "Allow", id="global-service"),
        pytest.param(region("IAM:createuser", "us-east-1"), "Allow", id="action-case"),
        pytest.param(
            region(
                "ec2:RunInstances", "us-west-2", "arn:aws:iam::1:role/Role1AllowedToBypassThisSCP"
            ),
            "Allow",
            id="exempt-role",
        ),
        pytest.param(
            region(
                "ec2:RunInstances", "us-west-2", "arn:aws:iam::1:role/role1allowedtobypassthisscp"
            ),
            "Deny",
            id="arn-values-are-case-sensitive",
        ),
    ],
)
def test_the_documented_region_example(request_: Request, decision: str) -> None:
    assert decide(under(REGION_EXAMPLE), request_) == decision


ROLE = "arn:aws:iam::111122223333:role/"


@pytest.mark.parametrize(
    ("who", "target", "decision"),
    [
        (DEV, "name-of-role-to-deny", "Deny"),
        (ROLE + "name-of-admin-role", "name-of-role-to-deny", "Allow"),
        (DEV, "another-role", "Allow"),
    ],
)
def test_the_documented_protect_role_example(who: str, target: str, decision: str) -> None:
    call = Request("iam:PutRolePolicy", who, ROLE + target)
    assert decide(under(PROTECT_EXAMPLE), call) == decision


def test_without_an_allow_at_every_level_a_request_is_denied() -> None:
    call = Request("s3:ListAllMyBuckets", DEV)
    assert decide([[FULL_ACCESS], [FULL_ACCESS]], call) == "Allow"
    assert decide([[FULL_ACCESS], []], call) == "Deny"  # FullAWSAccess detached
    deny_all = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"},
    }
    assert decide([[FULL_ACCESS, deny_all], [FULL_ACCESS]], call) == "Deny"  # explicit deny wins


def test_arn_matching_keeps_to_each_of_the_six_parts() -> None:
    assert arn_like("arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/a/b")
    assert arn_like("arn:aws:s3:::bucket-?", "arn:aws:s3:::bucket-1")
    assert not arn_like("arn:aws:iam::*", "arn:aws:iam::123456789012:role/x")  # a glob would match
    assert not arn_like("arn:aws:iam::*:role/x*", "arn:aws:iam::123456789012:role/X1")


def _stmt(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": condition}
        ],
    }


TAG = "aws:ResourceTag/team"
WHERE = "aws:RequestedRegion"
USERS = "arn:aws:iam::*:user/*"
CONDITIONS = {
    "missing-positive": ({"StringEquals": {TAG: "x"}}, "Allow"),
    "missing-negated": ({"StringNotEquals": {TAG: "x"}}, "Deny"),
    "if-exists": ({"StringEqualsIfExists": {TAG: "x"}}, "Deny"),
    "null": ({"Null": {TAG: "true"}}, "Deny"),
    "or-values-key-case": ({"StringLike": {WHERE.lower(): ["us-*", "eu-west-?"]}}, "Deny"),
    "nor-values": ({"StringNotLike": {WHERE: ["us-*", "eu-*"]}}, "Allow"),
    "and-operators": (
        {"StringEquals": {WHERE: "eu-west-1"}, "ArnLike": {"aws:PrincipalArn": USERS}},
        "Allow",
    ),
}


@pytest.mark.parametrize(("condition", "decision"), CONDITIONS.values(), ids=CONDITIONS.keys())
def test_documented_condition_logic(condition: dict[str, Any], decision: str) -> None:
    call = Request("s3:GetObject", DEV, context={"aws:RequestedRegion": "eu-west-1"})
    assert decide(under(_stmt(condition)), call) == decision


def test_unsupported_operators_are_refused_not_guessed() -> None:
    call = Request("s3:GetObject", DEV)
    with pytest.raises(NotImplementedError):
        decide(under(_stmt({"ForAnyValue:StringLike": {"aws:TagKeys": "x"}})), call)
    with pytest.raises(NotImplementedError):
        decide(under(_stmt({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})), call)
