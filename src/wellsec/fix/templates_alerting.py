"""StackSet templates for the account's trail and the alerts that reach people:
a multi-region CloudTrail trail, root-activity alerting and AWS Health event routing."""

from __future__ import annotations

from typing import Any

from wellsec.fix.cfn import EMAIL_PARAMETER, TAG_KEY, arn_of, ref, sub, template

TRAIL_NAME = "wellsec-trail"
ROOT_PATTERN = {
    "detail-type": ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"],
    "detail": {"userIdentity": {"type": ["Root"]}},
}
HEALTH_PATTERN = {"source": ["aws.health"]}


def _tags(remedy: str) -> list[dict[str, str]]:
    return [{"Key": TAG_KEY, "Value": remedy}]


def private_bucket(name: str, remedy: str) -> dict[str, Any]:
    """An encrypted, versioned bucket closed to the public, kept if the stack goes."""
    return {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "BucketName": sub(name),
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "VersioningConfiguration": {"Status": "Enabled"},
            "Tags": _tags(remedy),
        },
    }


def deny_insecure_transport(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn_of(bucket), sub(f"${{{bucket}.Arn}}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def trail_template() -> dict[str, Any]:
    """One multi-region trail logging management events to its own bucket."""
    source = sub(
        f"arn:${{AWS::Partition}}:cloudtrail:${{AWS::Region}}:${{AWS::AccountId}}:trail/{TRAIL_NAME}"
    )
    return template(
        "wellsec: a multi-region CloudTrail trail logging management events.",
        {
            "TrailBucket": private_bucket(
                "wellsec-trail-${AWS::AccountId}-${AWS::Region}", "cloudtrail-trail"
            ),
            "TrailBucketPolicy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": ref("TrailBucket"),
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "CloudTrailAclCheck",
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                                "Action": "s3:GetBucketAcl",
                                "Resource": arn_of("TrailBucket"),
                                "Condition": {"StringEquals": {"aws:SourceArn": source}},
                            },
                            {
                                "Sid": "CloudTrailWrite",
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                                "Action": "s3:PutObject",
                                "Resource": sub("${TrailBucket.Arn}/AWSLogs/${AWS::AccountId}/*"),
                                "Condition": {
                                    "StringEquals": {
                                        "aws:SourceArn": source,
                                        "s3:x-amz-acl": "bucket-owner-full-control",
                                    }
                                },
                            },
                            deny_insecure_transport("TrailBucket"),
                        ],
                    },
                },
            },
            "Trail": {
                "Type": "AWS::CloudTrail::Trail",
                "DependsOn": "TrailBucketPolicy",
                "Properties": {
                    "TrailName": TRAIL_NAME,
                    "S3BucketName": ref("TrailBucket"),
                    "IsLogging": True,
                    "IsMultiRegionTrail": True,
                    "IncludeGlobalServiceEvents": True,
                    "EnableLogFileValidation": True,
                    "Tags": _tags("cloudtrail-trail"),
                },
            },
        },
    )


def routed_rule_template(remedy: str, description: str, pattern: dict[str, Any]) -> dict[str, Any]:
    """An EventBridge rule sending matching events to an SNS topic with an e-mail subscriber."""
    name = f"wellsec-{remedy}"
    return template(
        f"wellsec: {description}",
        {
            "AlertTopic": {
                "Type": "AWS::SNS::Topic",
                "Properties": {
                    "TopicName": name,
                    "Subscription": [{"Endpoint": ref("AlertEmail"), "Protocol": "email"}],
                    "Tags": _tags(remedy),
                },
            },
            "AlertTopicPolicy": {
                "Type": "AWS::SNS::TopicPolicy",
                "Properties": {
                    "Topics": [ref("AlertTopic")],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "EventBridgePublishes",
                                "Effect": "Allow",
                                "Principal": {"Service": "events.amazonaws.com"},
                                "Action": "sns:Publish",
                                "Resource": ref("AlertTopic"),
                                "Condition": {"ArnEquals": {"aws:SourceArn": arn_of("Rule")}},
                            }
                        ],
                    },
                },
            },
            "Rule": {
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "Name": name,
                    "Description": description,
                    "State": "ENABLED",
                    "EventPattern": pattern,
                    "Targets": [{"Id": "alert-topic", "Arn": ref("AlertTopic")}],
                },
            },
        },
        parameters={"AlertEmail": EMAIL_PARAMETER},
        outputs={"TopicArn": {"Value": ref("AlertTopic")}},
    )


def root_alerting_template() -> dict[str, Any]:
    return routed_rule_template(
        "root-activity", "Alert on sign-in and API activity of the root user.", ROOT_PATTERN
    )


def health_routing_template() -> dict[str, Any]:
    return routed_rule_template(
        "health-events", "Route AWS Health events of this region to people.", HEALTH_PATTERN
    )
