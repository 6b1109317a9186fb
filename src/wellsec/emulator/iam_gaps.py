"""IAM answers moto gets wrong or lacks: everything about the root user.

Each rewriter takes moto's successful XML reply and returns the corrected
one; :func:`list_organizations_features` answers an operation moto lacks.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from wellsec.emulator.state import GapState, RootAccessKey, RootUser
from wellsec.emulator.wire import Reply, RequestInfo, error_reply, query_reply

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"
ROOT_MFA_SERIAL = "arn:aws:iam::{account}:mfa/root-account-mfa-device"
REPORT_COLUMNS = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
)
ROOT_USER = "<root_account>"
IAM_PRINCIPAL = "iam.amazonaws.com"


def iso(when: datetime) -> str:
    """A timestamp as the credential report writes it: ``2026-11-27T10:00:00+00:00``."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def xml_time(when: datetime) -> str:
    """A timestamp as IAM's XML writes it: ``2026-11-27T10:00:00Z``."""
    return iso(when).replace("+00:00", "Z")


def _summary_value(body: str, key: str, value: int) -> str:
    pattern = re.compile(rf"(<key>{key}</key>\s*<value>)\d+(</value>)")
    return pattern.sub(rf"\g<1>{value}\g<2>", body)


def rewrite_account_summary(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """Set AccountMFAEnabled and AccountAccessKeysPresent from the root user."""
    # catalogue: iam:GetAccountSummary
    root = state.root_user(info.account_id)
    text = body.decode("utf-8")
    text = _summary_value(text, "AccountMFAEnabled", 1 if root.mfa else 0)
    text = _summary_value(text, "AccountAccessKeysPresent", 1 if root.access_keys else 0)
    return text.encode("utf-8")


def note_report_generation(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """Remember when a credential report generation started (moto's reply unchanged)."""
    # catalogue: iam:GenerateCredentialReport
    if b"STARTED" in body or state.report_generated(info.account_id) is None:
        state.note_report_generated(info.account_id, datetime.now(UTC))
    return body


def _password_last_used(root: RootUser) -> str:
    """``N/A`` for a root user without a password that never signed in, as for IAM users."""
    if root.password_last_used is not None:
        return iso(root.password_last_used)
    return "no_information" if root.password else "N/A"


def root_report_row(account_id: str, root: RootUser, created: datetime) -> dict[str, str]:
    """The ``<root_account>`` row of a credential report, as AWS writes it."""
    row = {
        "user": ROOT_USER,
        "arn": f"arn:aws:iam::{account_id}:root",
        "user_creation_time": iso(root.created or created),
        # Commercial partitions write TRUE/FALSE for the root user's password (older
        # documentation, and GovCloud, say not_supported); its change date goes with it.
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
        "password_enabled": "true" if root.password else "false",
        "password_last_used": _password_last_used(root),
        "password_last_changed": (
            iso(root.password_changed or root.created or created) if root.password else "N/A"
        ),
        "password_next_rotation": "not_supported",
        "mfa_active": "true" if root.mfa else "false",
    }
    keys: list[RootAccessKey | None] = [*root.access_keys[:2], None, None]
    for number, key in enumerate(keys[:2], start=1):
        prefix = f"access_key_{number}_"
        if key is None:
            row.update({prefix + "active": "false", prefix + "last_rotated": "N/A"})
            used: dict[str, str] = {"date": "N/A", "region": "N/A", "service": "N/A"}
        else:
            row[prefix + "active"] = "true" if key.active else "false"
            row[prefix + "last_rotated"] = iso(key.created or root.created or created)
            used = (
                {
                    "date": iso(key.last_used),
                    "region": key.last_used_region,
                    "service": key.last_used_service,
                }
                if key.last_used
                else {"date": "N/A", "region": "N/A", "service": "N/A"}
            )
        for what, value in used.items():
            row[f"{prefix}last_used_{what}"] = value
    for number in (1, 2):
        row[f"cert_{number}_active"] = "false"
        row[f"cert_{number}_last_rotated"] = "N/A"
    return row


def with_root_row(report: str, account_id: str, root: RootUser, created: datetime) -> str:
    """``report`` (CSV) on AWS's column set, with the root row first."""
    rows = [r for r in csv.DictReader(io.StringIO(report)) if r.get("user") != ROOT_USER]
    out = io.StringIO()
    writer = csv.DictWriter(
        out, REPORT_COLUMNS, restval="N/A", extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerow(root_report_row(account_id, root, created))
    writer.writerows(rows)
    return out.getvalue()


def rewrite_credential_report(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """Add the ``<root_account>`` row to moto's report; fix its GeneratedTime."""
    # catalogue: iam:GetCredentialReport
    text = body.decode("utf-8")
    match = re.search(r"<Content>([^<]*)</Content>", text)
    if match is None:
        return body
    report = base64.b64decode(match.group(1)).decode("utf-8")
    fixed = with_root_row(report, info.account_id, state.root_user(info.account_id), state.created)
    content = base64.b64encode(fixed.encode("utf-8")).decode("ascii")
    text = text[: match.start(1)] + content + text[match.end(1) :]
    generated = state.report_generated(info.account_id)
    if generated is not None:
        text = re.sub(
            r"<GeneratedTime>[^<]*</GeneratedTime>",
            f"<GeneratedTime>{xml_time(generated)}</GeneratedTime>",
            text,
        )
    return text.encode("utf-8")


def root_mfa_member(account_id: str, root: RootUser, created: datetime) -> str:
    """The XML ``<member>`` for the root user's virtual MFA device."""
    since = root.created or created
    last_used = (
        f"<PasswordLastUsed>{xml_time(root.password_last_used)}</PasswordLastUsed>"
        if root.password_last_used
        else ""
    )
    return (
        f"<member><SerialNumber>{ROOT_MFA_SERIAL.format(account=account_id)}</SerialNumber>"
        f"<User><Path>/</Path><UserId>{account_id}</UserId>"
        f"<Arn>arn:aws:iam::{account_id}:root</Arn><CreateDate>{xml_time(since)}</CreateDate>"
        f"{last_used}</User><EnableDate>{xml_time(since)}</EnableDate></member>"
    )


def rewrite_virtual_mfa(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """List the root user's virtual MFA device (assigned) alongside moto's devices."""
    # catalogue: iam:ListVirtualMFADevices
    root = state.root_user(info.account_id)
    status = info.param("AssignmentStatus", "Any")
    if root.mfa != "virtual" or status not in ("Any", "Assigned") or info.param("Marker"):
        return body
    member = root_mfa_member(info.account_id, root, state.created)
    text = body.decode("utf-8")
    if "<VirtualMFADevices/>" in text:
        text = text.replace(
            "<VirtualMFADevices/>", f"<VirtualMFADevices>{member}</VirtualMFADevices>", 1
        )
    else:
        text = text.replace("<VirtualMFADevices>", f"<VirtualMFADevices>{member}", 1)
    return text.encode("utf-8")


def note_created_account(info: RequestInfo, body: bytes, state: GapState) -> bytes:
    """A member created while RootCredentialsManagement is on has no root password.

    "New accounts you create in Organizations have no root user credentials by default"
    once root credentials are centrally managed (IAM User Guide,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management).
    """
    if "RootCredentialsManagement" not in state.organizations_features():
        return body
    status = json.loads(body or b"{}").get("CreateAccountStatus", {})
    account_id = status.get("AccountId")
    if account_id:
        now = datetime.now(UTC).replace(microsecond=0)
        state.set_root_user(str(account_id), RootUser(created=now, password=False))
    return body


def list_organizations_features(info: RequestInfo, state: GapState) -> Reply:
    """Answer iam:ListOrganizationsFeatures from moto's organization and the scenario.

    The errors (all HTTP 400, query protocol) and their order follow the botocore model
    (iam/2010-05-08/service-2.json) and the IAM API reference,
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html:
    no organization, not in all-features mode, caller neither management account nor
    delegated administrator, IAM trusted access (organizations:EnableAWSServiceAccess for
    iam.amazonaws.com) not enabled.
    """
    # catalogue: iam:ListOrganizationsFeatures
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException
    from moto.organizations.models import organizations_backends
    from moto.utilities.utils import get_partition

    partition = get_partition(info.region)
    backend = organizations_backends[info.account_id][partition]
    try:
        org = backend.describe_organization()["Organization"]
    except AWSOrganizationsNotInUseException:
        return error_reply(
            info,
            "OrganizationNotFoundException",
            "The request failed because your account is not a member of an organization.",
        )
    if org.get("FeatureSet") != "ALL":
        return error_reply(
            info,
            "OrganizationNotInAllFeaturesModeException",
            "The request failed because your organization does not have all features enabled.",
        )
    if org.get("MasterAccountId") != info.account_id:
        return error_reply(
            info,
            "AccountNotManagementOrDelegatedAdministratorException",
            "The request was rejected because the account making the request "
            "is not the management account or delegated administrator account "
            "for centralized root access.",
        )
    services = organizations_backends[info.account_id][partition].services
    if not any(s.get("ServicePrincipal") == IAM_PRINCIPAL for s in services):
        return error_reply(
            info,
            "ServiceAccessNotEnabledException",
            "The request was rejected because trusted access is not enabled for IAM "
            "in AWS Organizations.",
        )
    features = "".join(
        f"<member>{escape(f)}</member>" for f in sorted(state.organizations_features())
    )
    return query_reply(
        IAM_NS,
        "ListOrganizationsFeatures",
        f"<OrganizationId>{escape(str(org['Id']))}</OrganizationId>"
        f"<EnabledFeatures>{features}</EnabledFeatures>",
    )


def answer_organizations_features(info: RequestInfo, state: GapState, _models: object) -> Reply:
    """The gap layer's answerer for iam:ListOrganizationsFeatures."""
    # catalogue: iam:ListOrganizationsFeatures
    return list_organizations_features(info, state)
