"""StackSet templates for AWS Config: a recorder with its delivery channel, baseline
managed rules, and the conformance pack of a declared compliance framework."""

from __future__ import annotations

from typing import Any

from wellsec.fix.cfn import TAG_KEY, arn_of, ref, stack_name, sub, template, text_parameter
from wellsec.fix.templates_alerting import deny_insecure_transport, private_bucket

RECORDER = "default"
# Managed rules every account and region can run: they keep Config evaluating and cover
# the account-level controls of SEC 1 (trail, root user, Security Hub, public buckets).
BASELINE_RULES = (
    ("wellsec-cloudtrail-enabled", "CLOUD_TRAIL_ENABLED", None),
    ("wellsec-root-mfa", "ROOT_ACCOUNT_MFA_ENABLED", None),
    ("wellsec-root-access-key", "IAM_ROOT_ACCESS_KEY_CHECK", None),
    ("wellsec-securityhub-enabled", "SECURITYHUB_ENABLED", None),
    ("wellsec-s3-public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED", "AWS::S3::Bucket"),
)


def recorder_template(home_region: str) -> dict[str, Any]:
    """A recorder of every supported resource type (global types in the home region only)
    and a delivery channel to a private bucket. CloudFormation starts the recorder."""
    config_service = {"Service": "config.amazonaws.com"}
    source_account = {"StringEquals": {"AWS:SourceAccount": ref("AWS::AccountId")}}
    body = template(
        "wellsec: AWS Config recording every resource type, delivering to its own bucket.",
        {
            "ConfigBucket": private_bucket(
                "wellsec-config-${AWS::AccountId}-${AWS::Region}", "config-recorder"
            ),
            "ConfigBucketPolicy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": ref("ConfigBucket"),
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "ConfigAclCheck",
                                "Effect": "Allow",
                                "Principal": config_service,
                                "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
                                "Resource": arn_of("ConfigBucket"),
                                "Condition": source_account,
                            },
                            {
                                "Sid": "ConfigWrite",
                                "Effect": "Allow",
                                "Principal": config_service,
                                "Action": "s3:PutObject",
                                "Resource": sub(
                                    "${ConfigBucket.Arn}/AWSLogs/${AWS::AccountId}/Config/*"
                                ),
                                "Condition": {
                                    "StringEquals": {
                                        "AWS:SourceAccount": ref("AWS::AccountId"),
                                        "s3:x-amz-acl": "bucket-owner-full-control",
                                    }
                                },
                            },
                            deny_insecure_transport("ConfigBucket"),
                        ],
                    },
                },
            },
            "ConfigRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": config_service,
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "ManagedPolicyArns": [
                        sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole")
                    ],
                    "Tags": [{"Key": TAG_KEY, "Value": "config-recorder"}],
                },
            },
            "Recorder": {
                "Type": "AWS::Config::ConfigurationRecorder",
                "Properties": {
                    "Name": RECORDER,
                    "RoleARN": arn_of("ConfigRole"),
                    "RecordingGroup": {
                        "AllSupported": True,
                        "IncludeGlobalResourceTypes": {"Fn::If": ["IsHomeRegion", True, False]},
                    },
                },
            },
            "DeliveryChannel": {
                "Type": "AWS::Config::DeliveryChannel",
                "DependsOn": "ConfigBucketPolicy",
                "Properties": {
                    "Name": RECORDER,
                    "S3BucketName": ref("ConfigBucket"),
                    "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "TwentyFour_Hours"},
                },
            },
        },
        parameters={
            "HomeRegion": text_parameter(
                "The one region that records global resource types (IAM).",
                pattern=r"^[a-z]{2}(-[a-z]+)+-\d$",
                default=home_region,
            )
        },
    )
    body["Conditions"] = {"IsHomeRegion": {"Fn::Equals": [ref("AWS::Region"), ref("HomeRegion")]}}
    return body


def rules_template() -> dict[str, Any]:
    """Baseline AWS managed Config rules."""
    resources: dict[str, Any] = {}
    for name, identifier, scope in BASELINE_RULES:
        properties: dict[str, Any] = {
            "ConfigRuleName": name,
            "Source": {"Owner": "AWS", "SourceIdentifier": identifier},
        }
        if scope is not None:
            properties["Scope"] = {"ComplianceResourceTypes": [scope]}
        else:
            properties["MaximumExecutionFrequency"] = "TwentyFour_Hours"
        logical = "".join(p.capitalize() for p in name.split("-")[1:]) + "Rule"
        resources[logical] = {"Type": "AWS::Config::ConfigRule", "Properties": properties}
    return template("wellsec: baseline AWS managed Config rules.", resources)


def pack_name(sample: str) -> str:
    """The deployed pack's name: the sample template's name, so wellsec recognises it."""
    return stack_name("wellsec", sample.replace(".", "-"))


def conformance_pack_template(framework_title: str, sample: str, location: str) -> dict[str, Any]:
    """One conformance pack from AWS's sample template, read from S3."""
    return template(
        f"wellsec: the {framework_title} conformance pack ({sample}).",
        {
            "Pack": {
                "Type": "AWS::Config::ConformancePack",
                "Properties": {
                    "ConformancePackName": pack_name(sample),
                    "TemplateS3Uri": ref("PackTemplateS3Uri"),
                },
            }
        },
        parameters={
            "PackTemplateS3Uri": text_parameter(
                f"Where the sample template {sample}.yaml was uploaded.",
                pattern=r"^s3://.+$",
                default=location,
            )
        },
    )
