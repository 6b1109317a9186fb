"""StackSet templates for threat detection and security findings: GuardDuty detectors,
Security Hub (the hub, the Foundational Security Best Practices standard) and Security
Hub's delegated administration, organization auto-enable and cross-region aggregation."""

from __future__ import annotations

from typing import Any

from wellsec.fix.cfn import TAG_KEY, ref, sub, template, text_parameter

FSBP_ARN = (
    "arn:${AWS::Partition}:securityhub:${AWS::Region}::standards/"
    "aws-foundational-security-best-practices/v/1.0.0"
)
ACCOUNT_PATTERN = r"^\d{12}$"


def detector_template() -> dict[str, Any]:
    return template(
        "wellsec: a GuardDuty detector with S3 and malware protection.",
        {
            "Detector": {
                "Type": "AWS::GuardDuty::Detector",
                "Properties": {
                    "Enable": True,
                    "FindingPublishingFrequency": "FIFTEEN_MINUTES",
                    "Features": [
                        {"Name": "S3_DATA_EVENTS", "Status": "ENABLED"},
                        {"Name": "EBS_MALWARE_PROTECTION", "Status": "ENABLED"},
                    ],
                    "Tags": [{"Key": TAG_KEY, "Value": "guardduty-detector"}],
                },
            }
        },
    )


def _fsbp(depends_on: str | None = None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "Type": "AWS::SecurityHub::Standard",
        "Properties": {"StandardsArn": sub(FSBP_ARN)},
    }
    if depends_on:
        resource["DependsOn"] = depends_on
    return resource


def hub_template() -> dict[str, Any]:
    """Security Hub with new controls enabled automatically, running FSBP."""
    return template(
        "wellsec: Security Hub enabled, adopting new controls, running FSBP.",
        {
            "Hub": {
                "Type": "AWS::SecurityHub::Hub",
                "Properties": {
                    "EnableDefaultStandards": False,
                    "AutoEnableControls": True,
                    "ControlFindingGenerator": "SECURITY_CONTROL",
                    "Tags": {TAG_KEY: "securityhub-hub"},
                },
            },
            "FoundationalBestPractices": _fsbp("Hub"),
        },
    )


def fsbp_template() -> dict[str, Any]:
    """FSBP on a hub that is already enabled."""
    return template(
        "wellsec: the AWS Foundational Security Best Practices standard.",
        {"FoundationalBestPractices": _fsbp()},
    )


def delegated_admin_template(admin: str) -> dict[str, Any]:
    """Run in the management account: designate the Security Hub administrator."""
    return template(
        "wellsec: designate the Security Hub delegated administrator.",
        {
            "DelegatedAdmin": {
                "Type": "AWS::SecurityHub::DelegatedAdmin",
                "Properties": {"AdminAccountId": ref("AdminAccountId")},
            }
        },
        parameters={
            "AdminAccountId": text_parameter(
                "The security tooling account.", pattern=ACCOUNT_PATTERN, default=admin
            )
        },
    )


def organization_template() -> dict[str, Any]:
    """Run in the administrator: enable Security Hub in new member accounts."""
    return template(
        "wellsec: Security Hub auto-enabled for the organization's new accounts.",
        {
            "OrganizationConfiguration": {
                "Type": "AWS::SecurityHub::OrganizationConfiguration",
                "Properties": {
                    "AutoEnable": True,
                    "AutoEnableStandards": "DEFAULT",
                    "ConfigurationType": "LOCAL",
                },
            }
        },
    )


def aggregator_template() -> dict[str, Any]:
    """Run in the administrator's home region: bring every region's findings there."""
    return template(
        "wellsec: Security Hub findings of all regions aggregated in this one.",
        {
            "Aggregator": {
                "Type": "AWS::SecurityHub::FindingAggregator",
                "Properties": {"RegionLinkingMode": "ALL_REGIONS"},
            }
        },
    )
