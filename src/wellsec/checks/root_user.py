"""SEC01-BP02 Secure AWS account: the root user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.verdicts import failed, need, not_applicable, passed, unknown
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence.shapes import AccountSummary, RootCredentials
from wellsec.findings import Scope, Severity, Status
from wellsec.snapshot import AccountRole, AccountSnapshot

BP = "SEC01-BP02"
# How root_mfa_enabled words a member root with no credentials while root access is not
# central: the one root-MFA FAIL that enabling centralized root access turns NOT_APPLICABLE.
NO_CREDENTIALS_NOT_CENTRAL = "root user has no MFA and no credentials"
REPORT_ACTIONS = ("iam:GenerateCredentialReport", "iam:GetCredentialReport")


def _root_arn(account: AccountSnapshot) -> str:
    return f"arn:aws:iam::{account.id}:root"


def centrally_managed(ctx: CheckContext, account: AccountSnapshot) -> bool | Unavailable:
    """Is this a member account of an organization with RootCredentialsManagement on?"""
    if account.role is AccountRole.UNKNOWN:
        org = ctx.snapshot.org_get(keys.ORGANIZATION)
        if is_unavailable(org):
            return org
    if account.role is not AccountRole.MEMBER:
        return False
    features = ctx.snapshot.org_get(keys.ORGANIZATIONS_FEATURES)
    if is_unavailable(features):
        return features
    return "RootCredentialsManagement" in features.get("enabled", [])


def root_password(account: AccountSnapshot) -> bool | Unavailable:
    """Does the root user have a password, per the credential report's root row?

    Commercial partitions write ``true``/``false`` there (the IAM User Guide says TRUE/FALSE,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).
    GovCloud and older reports write ``not_supported``: the report cannot tell, so neither
    can we (an Unavailable, never a guess either way).
    """
    row = account.get(keys.IAM_ROOT_CREDENTIALS)
    if is_unavailable(row):
        return row
    value = str(row.get("password_enabled", "")).strip().lower()
    if value in ("true", "false"):
        return value == "true"
    return Unavailable(
        f"the credential report does not say whether the root user has a password "
        f"(password_enabled={value or 'missing'})",
        "iam:GetCredentialReport",
        "PasswordStateNotReported",
    )


def _no_mfa(ctx: CheckContext, account: AccountSnapshot, summary: AccountSummary) -> Verdict:
    """Verdict for a root user without MFA.

    Only a member's root user with no credentials at all (no access keys, no password in
    the credential report) needs no MFA, and only while the organization manages root
    credentials centrally: that feature deletes no existing credential (accounts created
    before it keep their password) and it is what stops the root password from being
    recovered by email. IAM User Guide, "Centrally manage root access for member accounts",
    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management
    """
    resource = _root_arn(account)
    if summary["AccountAccessKeysPresent"] != 0:
        return failed(resource, "root user has no MFA and has access keys")
    password = root_password(account)
    if password is True:
        return failed(resource, "root user has no MFA and has a password")
    central = centrally_managed(ctx, account)
    if is_unavailable(central):
        return unknown(resource, central, "no root MFA; cannot tell if root is central")
    if not central:
        if password is False and account.role is AccountRole.MEMBER:
            return failed(
                resource,
                f"{NO_CREDENTIALS_NOT_CENTRAL} (no password, no access keys), but without "
                "centralized root access a password can be set by password recovery",
            )
        return failed(resource, "root user has no MFA")
    if is_unavailable(password):
        return unknown(
            resource, password, "no root MFA; root credentials are central, password unknown"
        )
    return not_applicable(
        resource,
        "root user has no credentials (no password, no access keys) and the organization "
        "manages root credentials centrally",
    )


@checks.register(
    id="root_mfa_enabled",
    title="The root user has MFA (unless a centrally managed member root has no credentials)",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.CRITICAL,
    evidence=(keys.IAM_ACCOUNT_SUMMARY, keys.IAM_ROOT_CREDENTIALS, keys.ORGANIZATIONS_FEATURES),
    iam_actions=("iam:GetAccountSummary", *REPORT_ACTIONS, "iam:ListOrganizationsFeatures"),
    remediation="Sign in as the root user and assign an MFA device, or (for a member "
    "account) enable centralized root access and delete the root user's credentials.",
)
def root_mfa_enabled(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = _root_arn(account)
    summary = need(account.get(keys.IAM_ACCOUNT_SUMMARY), resource)
    if summary["AccountMFAEnabled"] == 1:
        yield passed(resource, "root user has MFA enabled")
    else:
        yield _no_mfa(ctx, account, summary)


@checks.register(
    id="root_hardware_mfa",
    title="The root user's MFA is a hardware device",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.LOW,
    evidence=(
        keys.IAM_ACCOUNT_SUMMARY,
        keys.IAM_ROOT_VIRTUAL_MFA,
        keys.IAM_ROOT_CREDENTIALS,
        keys.ORGANIZATIONS_FEATURES,
    ),
    iam_actions=(
        "iam:GetAccountSummary",
        "iam:ListVirtualMFADevices",
        *REPORT_ACTIONS,
        "iam:ListOrganizationsFeatures",
    ),
    remediation="Replace the root user's virtual MFA with a hardware key (FIDO2 security "
    "key or hardware TOTP token) kept in a safe place.",
)
def root_hardware_mfa(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = _root_arn(account)
    summary = need(account.get(keys.IAM_ACCOUNT_SUMMARY), resource)
    if summary["AccountMFAEnabled"] != 1:
        verdict = _no_mfa(ctx, account, summary)
        message = (
            "root user has no MFA at all" if verdict.status is Status.FAIL else verdict.message
        )
        yield Verdict(verdict.status, verdict.resource, message)
        return
    virtual = need(account.get(keys.IAM_ROOT_VIRTUAL_MFA), resource)
    if virtual["assigned"]:
        yield failed(resource, "root MFA is a virtual device")
    else:
        yield passed(resource, "root MFA is a hardware device (no virtual device assigned)")


@checks.register(
    id="root_no_access_keys",
    title="The root user has no access keys",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.CRITICAL,
    evidence=(keys.IAM_ACCOUNT_SUMMARY, keys.IAM_ROOT_CREDENTIALS),
    iam_actions=("iam:GetAccountSummary", *REPORT_ACTIONS),
    remediation="Delete the root user's access keys; use roles for programmatic access.",
)
def root_no_access_keys(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    summary = account.get(keys.IAM_ACCOUNT_SUMMARY)
    row = account.get(keys.IAM_ROOT_CREDENTIALS)
    resource = _root_arn(account)
    if not is_unavailable(summary):
        if summary["AccountAccessKeysPresent"]:
            yield failed(resource, "root user has access keys")
        else:
            yield passed(resource, "root user has no access keys")
    elif not is_unavailable(row):
        active = [n for n in (1, 2) if row.get(f"access_key_{n}_active") == "true"]
        if active:
            yield failed(resource, f"root access key {active[0]} is active")
        else:
            yield passed(resource, "root user has no active access keys (credential report)")
    else:
        yield unknown(resource, summary)


def _parse_when(value: str) -> dt.datetime | None:
    if not value or value in {"N/A", "no_information", "not_supported"}:
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def last_root_use(row: RootCredentials) -> tuple[dt.datetime, str] | None:
    """The most recent root use in a credential-report row, and by what."""
    uses = [
        (when, label)
        for key, label in (
            ("password_last_used", "password"),
            ("access_key_1_last_used_date", "access key 1"),
            ("access_key_2_last_used_date", "access key 2"),
        )
        if (when := _parse_when(str(row.get(key, "")))) is not None
    ]
    return max(uses) if uses else None


@checks.register(
    id="root_not_recently_used",
    title="The root user was not used recently",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.HIGH,
    evidence=(keys.IAM_ROOT_CREDENTIALS,),
    iam_actions=REPORT_ACTIONS,
    remediation="Use the root user only for the tasks that require it; find out who used it "
    "and why, and move that work to roles.",
)
def root_not_recently_used(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = _root_arn(account)
    row = need(account.get(keys.IAM_ROOT_CREDENTIALS), resource)
    limit = ctx.workload.root_unused_days
    last = last_root_use(row)
    if last is None:
        yield passed(resource, "no recorded root use")
        return
    when, label = last
    days = (ctx.now - when).days
    if days < limit:
        yield failed(
            resource, f"root {label} used {days} days ago ({when:%Y-%m-%d}); limit {limit}"
        )
    else:
        yield passed(resource, f"root last used {days} days ago ({when:%Y-%m-%d}), by {label}")
