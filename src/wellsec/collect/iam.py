"""Root-user evidence from IAM: account summary, credential report, virtual MFA devices,
and the organization's centralized root access features."""

from __future__ import annotations

import base64
import csv
import io
import time
from typing import Any

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence import shapes as s
from wellsec.snapshot import Evidence

ROOT_ROW = "<root_account>"
REPORT_WAIT_SECONDS = 60.0
_NOT_READY = {"ReportInProgress", "CredentialReportNotReadyException", "ReportNotPresent"}
_ROOT_FIELDS = (
    "arn",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_used_date",
    "access_key_2_active",
    "access_key_2_last_used_date",
)


@collectors.register(keys=(keys.IAM_ACCOUNT_SUMMARY,), actions=("iam:GetAccountSummary",))
def account_summary(reader: Reader, region: str) -> Evidence:
    reply = reader.call("iam", region, "GetAccountSummary")
    if is_unavailable(reply):
        return keys.IAM_ACCOUNT_SUMMARY.of(reply)
    summary = reply.get("SummaryMap", {})
    return keys.IAM_ACCOUNT_SUMMARY.of(
        {
            "AccountMFAEnabled": int(summary.get("AccountMFAEnabled", 0)),
            "AccountAccessKeysPresent": int(summary.get("AccountAccessKeysPresent", 0)),
        }
    )


@collectors.register(
    keys=(keys.IAM_ROOT_CREDENTIALS,),
    actions=("iam:GenerateCredentialReport", "iam:GetCredentialReport"),
    priority=100,
)
def root_credentials(reader: Reader, region: str) -> Evidence:
    """The root row of the credential report (generation is asynchronous: poll)."""
    return keys.IAM_ROOT_CREDENTIALS.of(_root_row(reader, region))


def _root_row(reader: Reader, region: str, wait: float = REPORT_WAIT_SECONDS) -> Any:
    started = reader.call("iam", region, "GenerateCredentialReport")
    if is_unavailable(started):
        return started
    deadline = time.monotonic() + wait
    delay = 0.2
    while True:
        reply = reader.call(
            "iam",
            region,
            "GetCredentialReport",
            expected=dict.fromkeys(_NOT_READY, "not ready"),
            reuse=False,  # polled until ready
        )
        if reply != "not ready":
            break
        if time.monotonic() >= deadline:
            return Unavailable(
                f"credential report not ready after {wait:.0f}s",
                "iam:GetCredentialReport",
                "ReportInProgress",
            )
        time.sleep(delay)
        delay = min(delay * 2, 5.0)
    if is_unavailable(reply):
        return reply
    return parse_root_row(reply.get("Content", b""))


def parse_root_row(content: bytes | str) -> Any:
    """Pick the root row out of a credential report's CSV."""
    if isinstance(content, str):
        content = base64.b64decode(content)
    text = content.decode("utf-8", errors="replace")
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("user") == ROOT_ROW:
            return {name: row.get(name, "") for name in _ROOT_FIELDS}
    return Unavailable(
        "the credential report has no root user row", "iam:GetCredentialReport", "NoRootRow"
    )


@collectors.register(keys=(keys.IAM_ROOT_VIRTUAL_MFA,), actions=("iam:ListVirtualMFADevices",))
def root_virtual_mfa(reader: Reader, region: str) -> Evidence:
    devices = reader.paginate(
        "iam", region, "ListVirtualMFADevices", "VirtualMFADevices", AssignmentStatus="Assigned"
    )
    if is_unavailable(devices):
        return keys.IAM_ROOT_VIRTUAL_MFA.of(devices)
    root_devices = [
        d["SerialNumber"]
        for d in devices
        if str(d.get("SerialNumber", "")).endswith(":mfa/root-account-mfa-device")
        or str(d.get("User", {}).get("Arn", "")).endswith(":root")
    ]
    return keys.IAM_ROOT_VIRTUAL_MFA.of({"assigned": bool(root_devices), "serials": root_devices})


# iam:ListOrganizationsFeatures errors (botocore iam/2010-05-08/service-2.json; IAM API
# reference, https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html).
# Three are facts about the organization: centralized root access is off, and why.
FEATURES_OFF = {
    "OrganizationNotFoundException": "the account is not in an organization",
    "OrganizationNotInAllFeaturesModeException": (
        "the organization does not have all features enabled"
    ),
    "ServiceAccessNotEnabledException": "trusted access for IAM is not enabled",
}
# The fourth says only that this caller cannot read the features: missing evidence.
NOT_ADMIN = "AccountNotManagementOrDelegatedAdministratorException"


@collectors.register(
    keys=(keys.ORGANIZATIONS_FEATURES,), actions=("iam:ListOrganizationsFeatures",)
)
def organizations_features(reader: Reader, region: str) -> Evidence:
    """The organization's centralized root access features.

    ``{"enabled": [...]}``; when IAM answers that the features cannot be on, ``enabled`` is
    empty and ``off`` says why (with ``organization: False`` outside any organization).
    """
    reply = reader.call(
        "iam",
        region,
        "ListOrganizationsFeatures",
        expected={**{code: code for code in FEATURES_OFF}, NOT_ADMIN: NOT_ADMIN},
    )
    if reply == NOT_ADMIN:
        return keys.ORGANIZATIONS_FEATURES.of(
            Unavailable(
                "only the management account or IAM's delegated administrator can read "
                "centralized root access; scan from one of them",
                "iam:ListOrganizationsFeatures",
                NOT_ADMIN,
            )
        )
    if isinstance(reply, str) and reply in FEATURES_OFF:
        value: s.OrganizationsFeatures = {"enabled": [], "off": FEATURES_OFF[reply]}
        if reply == "OrganizationNotFoundException":
            value["organization"] = False
        return keys.ORGANIZATIONS_FEATURES.of(value)
    if is_unavailable(reply):
        return keys.ORGANIZATIONS_FEATURES.of(reply)
    return keys.ORGANIZATIONS_FEATURES.of({"enabled": sorted(reply.get("EnabledFeatures", []))})
