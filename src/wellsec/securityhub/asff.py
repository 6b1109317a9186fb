"""A review report's findings as AWS Security Finding Format (ASFF) findings.

Each finding goes to the account it is about, in its region (the home region for account-
and organization-wide ones), under that account's default product ARN. Its ``Id`` is
derived from the workload, check, account, region and resource, so importing the next
review updates the same finding instead of adding another. A finding wellsec could not
decide (UNKNOWN) is never PASSED: its compliance is NOT_AVAILABLE at the check's severity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from wellsec import __version__
from wellsec.findings import Finding, Status
from wellsec.provenance import describe
from wellsec.report.model import Rule
from wellsec.saved_review import ReviewReport, clip

SCHEMA_VERSION = "2018-10-08"
TYPES = ("Software and Configuration Checks/AWS Security Best Practices",)
COMPLIANCE = {Status.PASS: "PASSED", Status.FAIL: "FAILED", Status.UNKNOWN: "NOT_AVAILABLE"}
LABELS = {
    "critical": "CRITICAL",
    "high": "HIGH",
    "medium": "MEDIUM",
    "low": "LOW",
    "informational": "INFORMATIONAL",
}
TITLE_MAX, DESCRIPTION_MAX, TEXT_MAX = 256, 1024, 512


# What the check registry says about a check, for the finding's title and remediation
# (:func:`wellsec.report.rules.registry_rules`).
CheckText = Rule


def product_arn(region: str, account: str) -> str:
    """The default (custom integration) product of ``account`` in ``region``."""
    return f"arn:aws:securityhub:{region}:{account}:product/{account}/default"


def _timestamp(report: ReviewReport) -> str:
    return report.generated_at.strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{report.generated_at.microsecond // 1000:03d}Z"
    )


def _resource(resource: str, region: str) -> dict[str, Any]:
    account = resource.removeprefix("arn:aws:::")
    if resource.startswith("arn:aws:::") and account.isdigit() and len(account) == 12:
        return {
            "Type": "AwsAccount",
            "Id": f"AWS::::Account:{account}",
            "Partition": "aws",
            "Region": region,
        }
    return {
        "Type": "Other",
        "Id": clip(resource or "unknown", 512),
        "Partition": "aws",
        "Region": region,
    }


def id_prefix(workload: str) -> str:
    """How the Ids of a workload's findings begin."""
    return f"wellsec/{workload}/"


def _finding_id(workload: str, finding: Finding, account: str, region: str) -> str:
    digest = hashlib.sha256(finding.resource.encode()).hexdigest()[:20]
    return f"{id_prefix(workload)}{finding.check}/{account}/{region}/{digest}"


def to_asff(
    report: ReviewReport,
    home_region: str,
    default_account: str,
    checks: Mapping[str, CheckText],
    source_url: str | None = None,
) -> list[dict[str, Any]]:
    """One ASFF finding per review finding (``default_account`` takes workload-level ones)."""
    when = _timestamp(report)
    seen: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for f in report.findings:
        account = f.account or default_account
        region = f.region or home_region
        check = f.check
        status = f.status
        base_id = _finding_id(report.workload, f, account, region)
        seen[base_id] = seen.get(base_id, 0) + 1
        ident = base_id if seen[base_id] == 1 else f"{base_id}/{seen[base_id]}"
        severity = f.severity.value
        label = LABELS.get(severity, "MEDIUM")
        if status in {Status.PASS, Status.NOT_APPLICABLE}:
            label = "INFORMATIONAL"
        text = checks.get(check)
        title = text.title if text else check.replace("attest.", "attestation ")
        remediation = text.remediation if text else "Record the attestation in wellsec.yaml."
        finding: dict[str, Any] = {
            "SchemaVersion": SCHEMA_VERSION,
            "Id": ident,
            "ProductArn": product_arn(region, account),
            "ProductName": "wellsec",
            "CompanyName": "wellsec",
            "GeneratorId": f"wellsec/{check}",
            "AwsAccountId": account,
            "Region": region,
            "Types": list(TYPES),
            "CreatedAt": when,
            "UpdatedAt": when,
            "Severity": {"Label": label, "Original": severity},
            "Title": clip(f"{f.best_practice} {title}", TITLE_MAX),
            "Description": clip(f.message or status.value, DESCRIPTION_MAX),
            "Remediation": {"Recommendation": {"Text": clip(remediation, TEXT_MAX)}},
            "ProductFields": {
                "ProviderName": "wellsec",
                "ProviderVersion": __version__,
                "wellsec/Workload": report.workload,
                "wellsec/Lens": report.lens_key,
                "wellsec/BestPractice": f.best_practice,
                "wellsec/Check": check,
                "wellsec/Status": status.value,
                # How the review was made. A value holds up to 2048 characters:
                # https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html
                "wellsec/Provenance": clip(describe(report.provenance), 2048),
            },
            "Resources": [_resource(f.resource, region)],
            "Compliance": {
                "Status": COMPLIANCE.get(status, "NOT_AVAILABLE"),
                "RelatedRequirements": [f"AWS Well-Architected {f.best_practice}"],
            },
            "FindingProviderFields": {
                "Severity": {"Label": label, "Original": severity},
                "Types": list(TYPES),
            },
            "RecordState": "ACTIVE",
        }
        if source_url:
            finding["SourceUrl"] = source_url
        out.append(finding)
    return out
