"""Remedies that are API calls with no CloudFormation resource: they go into the reviewed
commands script, each run with the credentials of the account it names."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from wellsec.checks.root_user import NO_CREDENTIALS_NOT_CENTRAL
from wellsec.fix.model import (
    Artifact,
    ArtifactKind,
    AwsCommand,
    Effect,
    FixOptions,
    Outcome,
    Remedy,
)
from wellsec.fix.names import DETECTOR, RECORDER, name_in, refusal
from wellsec.fix.source import ReviewFacts, Row
from wellsec.fix.targets import GLOBAL_REGION

EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
SCAN_ON_PUSH_EVERYTHING = [
    {
        "scanFrequency": "SCAN_ON_PUSH",
        "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}],
    }
]
SECURITY_PRINCIPALS = ("guardduty.amazonaws.com", "securityhub.amazonaws.com")


def alert_email(facts: ReviewFacts, options: FixOptions) -> str | None:
    """Where alerts go: the chosen address, else the workload owner when it is one."""
    for candidate in (options.alert_email, facts.owner):
        if candidate and EMAIL.match(candidate):
            return candidate
    return None


def security_admin(facts: ReviewFacts, options: FixOptions) -> str | None:
    """The account that administers security services for the organization."""
    if options.security_account:
        return options.security_account
    held = sorted(
        a for s, a in facts.delegated if s in SECURITY_PRINCIPALS and a != facts.management
    )
    return held[0] if held else None


def _artifact(
    remedy: Remedy, script: list[AwsCommand], effects: list[Effect], note: str = ""
) -> Artifact | None:
    if not script:
        return None
    return Artifact(
        name=remedy.name,
        kind=ArtifactKind.COMMANDS,
        title=remedy.title,
        order=remedy.order,
        effects=tuple(sorted(set(effects))),
        script=tuple(script),
        where=tuple(sorted({f"account {c.account} in {c.region}" for c in script})),
        notes=(note,) if note else (),
    )


def _pass(rows: list[Row]) -> list[Effect]:
    return [Effect(r.check, r.account, r.region, r.resource, Outcome.PASS) for r in rows]


def _cmd(
    service: str, operation: str, params: list[tuple[str, Any]], account: str, region: str
) -> AwsCommand:
    return AwsCommand(service, operation, tuple(params), account, region)


def _service_access(principal: str, management: str) -> AwsCommand:
    """Trusted access for ``principal`` in the organization, from the management account."""
    params = [("ServicePrincipal", principal)]
    return _cmd("organizations", "EnableAWSServiceAccess", params, management, GLOBAL_REGION)


def security_contacts(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    management = facts.management
    email = options.contact_email or alert_email(facts, options)
    if management is None or email is None or not options.contact_phone:
        return None
    accounts = sorted({r.account for r in rows if r.account})
    script: list[AwsCommand] = []
    if any(a != management for a in accounts):
        script.append(_service_access("account.amazonaws.com", management))
    for account in accounts:
        params: list[tuple[str, Any]] = [] if account == management else [("AccountId", account)]
        params += [
            ("AlternateContactType", "SECURITY"),
            ("EmailAddress", email),
            ("Name", options.contact_name),
            ("PhoneNumber", options.contact_phone),
            ("Title", options.contact_title),
        ]
        script.append(_cmd("account", "PutAlternateContact", params, management, GLOBAL_REGION))
    return _artifact(remedy, script, _pass(rows))


def centralized_root_access(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    """Turn on centralized root access. It deletes no root credential: only a member
    root that already has none (no password, no access keys) then needs no MFA, so only
    its root MFA findings become not applicable."""
    management = facts.management
    if management is None:
        return None
    script = [
        _service_access("iam.amazonaws.com", management),
        _cmd("iam", "EnableOrganizationsRootCredentialsManagement", [], management, GLOBAL_REGION),
        _cmd("iam", "EnableOrganizationsRootSessions", [], management, GLOBAL_REGION),
    ]
    effects = _pass(rows)
    members = {a.id for a in facts.accounts if a.role == "member"}
    for row in facts.failing("root_mfa_enabled"):
        if row.account in members and row.message.startswith(NO_CREDENTIALS_NOT_CENTRAL):
            effects.append(
                Effect(row.check, row.account, None, row.resource, Outcome.NOT_APPLICABLE)
            )
            effects += [
                Effect(h.check, h.account, None, h.resource, Outcome.NOT_APPLICABLE)
                for h in facts.failing("root_hardware_mfa")
                if h.account == row.account
            ]
    return _artifact(
        remedy,
        script,
        effects,
        "Then remove the member accounts' root credentials (iam delete-login-profile and "
        "MFA deactivation through sts assume-root), once nothing depends on them.",
    )


Params = list[tuple[str, Any]]


def per_place(service: str, operation: str, params: Params | Callable[[Row], Params]) -> Any:
    """A builder issuing one command in each failing account and region; ``params`` may
    depend on the failing row (its resource names the recorder, detector, ...)."""

    def build(
        remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
    ) -> Artifact | None:
        placed = [r for r in rows if r.account and r.region]
        script = [
            _cmd(
                service,
                operation,
                params(r) if callable(params) else params,
                str(r.account),
                str(r.region),
            )
            for r in placed
        ]
        return _artifact(remedy, script, _pass(placed))

    return build


start_recorders = per_place(
    "config",
    "StartConfigurationRecorder",
    lambda r: [("ConfigurationRecorderName", name_in(RECORDER, r))],
)
resume_detectors = per_place(
    "guardduty",
    "UpdateDetector",
    lambda r: [("DetectorId", name_in(DETECTOR, r)), ("Enable", True)],
)
inspector_scanning = per_place(
    "inspector2",
    "Enable",
    lambda r: [("accountIds", [r.account]), ("resourceTypes", ["EC2", "ECR", "LAMBDA"])],
)


def scp_policy_type(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    management = facts.management
    if management is None:
        return None
    script = [
        _cmd(
            "organizations",
            "EnablePolicyType",
            [("RootId", r.resource), ("PolicyType", "SERVICE_CONTROL_POLICY")],
            management,
            GLOBAL_REGION,
        )
        for r in rows
    ]
    return _artifact(remedy, script, _pass(rows))


def guardduty_organization(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    """Designate the GuardDuty administrator in each failing region and auto-enable ALL
    members there (which needs the administrator's detector id, from the snapshot)."""
    management, admin = facts.management, security_admin(facts, options)
    if management is None or admin is None or admin == management:
        return None
    regions = sorted({r.region for r in rows if r.region} or set(facts.regions))
    script: list[AwsCommand] = []
    for region in regions:
        detector = facts.detector(admin, region)
        if detector is None or refusal(DETECTOR, detector) is not None:
            return None
        script.append(
            _cmd(
                "guardduty",
                "EnableOrganizationAdminAccount",
                [("AdminAccountId", admin)],
                management,
                region,
            )
        )
        script.append(
            _cmd(
                "guardduty",
                "UpdateOrganizationConfiguration",
                [("DetectorId", detector), ("AutoEnableOrganizationMembers", "ALL")],
                admin,
                region,
            )
        )
    return _artifact(remedy, script, _pass(rows))
