"""SEC01-BP08 checks through the runner: PASS, FAIL, UNKNOWN and NOT_APPLICABLE each."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.builders import (
    HOME,
    MEMBER,
    SECURITY,
    OrgBuilder,
    account,
    mark_unreachable,
    set_evidence,
    set_unavailable,
)
from tests.checks.builders_security import (
    Case,
    covered,
    judge,
    remediation,
    rule,
    secured,
    verdicts,
)
from wellsec.checks.runner import all_checks
from wellsec.evidence import Unavailable
from wellsec.findings import Status
from wellsec.snapshot import Snapshot

BP = "SEC01-BP08"
OTHER = "us-east-1"
P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE
RESPONSE = "automated_response_configured"
AUTO = "securityhub_auto_enable_controls"
RESPONSE_KEYS = (
    "config.remediation_configurations",
    "securityhub.automation_rules",
    "events.findings_rules",
)


def _everywhere(account_id: str, **values: Any) -> Any:
    """Set the given regional evidence (``config_remediation_configurations=...``: dots as
    underscores) in every region of ``account_id``."""

    def change(snapshot: Snapshot) -> None:
        for evidence in account(snapshot, account_id).regions.values():
            for key, value in values.items():
                evidence[key.replace("_", ".", 1)] = value

    return change


def _nothing(account_id: str = MEMBER) -> Any:
    """No automated response anywhere in the account."""
    return _everywhere(
        account_id,
        config_remediation_configurations=[],
        securityhub_automation_rules=[],
        events_findings_rules=[],
    )


def _both(*changes: Any) -> Any:
    def change(snapshot: Snapshot) -> None:
        for each in changes:
            each(snapshot)

    return change


def _admin_rules(snapshot: Snapshot) -> None:
    """The Security Hub administrator (SECURITY) has an automation rule in its home region."""
    account(snapshot, SECURITY).regions[HOME]["securityhub.automation_rules"] = [
        {"name": "suppress-dev", "arn": "arn:rule", "enabled": True}
    ]


def _no_delegation(snapshot: Snapshot) -> None:
    snapshot.organization["delegated_administrators"] = []


def _throttle_everywhere(account_id: str, key: str) -> Any:
    def change(snapshot: Snapshot) -> None:
        for region in list(account(snapshot, account_id).regions):
            set_unavailable(
                snapshot,
                key,
                account_id=account_id,
                region=region,
                reason=f"{key} throttled (test)",
                operation="svc:ReadIt",
                code="ThrottlingException",
            )

    return change


def _hub(value: Any, region: str = HOME) -> Any:
    return lambda s: set_evidence(s, "securityhub.hub", value, account_id=MEMBER, region=region)


HUB_ON = {"enabled": True, "arn": "arn:hub", "subscribed_at": "2026-01-01T00:00:00+00:00"}

CASES = [
    # --- automated response -----------------------------------------------------------------
    Case(
        "remediation and findings rule",
        RESPONSE,
        P,
        says="automated response: Config rule restricted-ssh in eu-west-1 "
        "(AWS-DisablePublicAccessForSecurityGroup)",
    ),
    Case(
        "automation rule only",
        RESPONSE,
        P,
        _both(
            _nothing(),
            _everywhere(
                MEMBER,
                securityhub_automation_rules=[{"name": "close-low", "arn": "a", "enabled": True}],
            ),
        ),
        f"automation rule close-low in {HOME}",
    ),
    Case(
        "findings rule only",
        RESPONSE,
        P,
        _both(
            _nothing(),
            _everywhere(MEMBER, events_findings_rules=[rule("gd", ["aws.guardduty"])]),
        ),
        f"EventBridge rule gd in {HOME}",
    ),
    Case(
        "administrator's automation rules",
        RESPONSE,
        P,
        _both(_nothing(), _admin_rules),
        f"automation rule suppress-dev in {HOME} of the Security Hub administrator {SECURITY}",
    ),
    Case(
        "nothing",
        RESPONSE,
        F,
        _both(_nothing(), _no_delegation),
        "no automatic Config remediation, Security Hub automation rule or EventBridge rule "
        "acting on findings",
    ),
    Case(
        "manual remediation, idle rules",
        RESPONSE,
        F,
        _both(
            _nothing(),
            _everywhere(
                MEMBER,
                config_remediation_configurations=[remediation(automatic=False)],
                events_findings_rules=[rule("gd", ["aws.guardduty"], targets=[])],
            ),
            _no_delegation,
        ),
        f"(remediation is manual for Config rule restricted-ssh in {HOME} "
        "(AWS-DisablePublicAccessForSecurityGroup)",
    ),
    Case(
        "remediations unreadable",
        RESPONSE,
        U,
        _both(_nothing(), _throttle_everywhere(MEMBER, "config.remediation_configurations")),
        "no proven automated response: svc:ReadIt unavailable (ThrottlingException): "
        "config.remediation_configurations throttled (test)",
    ),
    Case(
        "rule targets unreadable",
        RESPONSE,
        U,
        _both(
            _nothing(),
            _no_delegation,
            _everywhere(
                MEMBER,
                events_findings_rules=[
                    rule(
                        "gd",
                        ["aws.guardduty"],
                        targets=Unavailable("t", "events:ListTargetsByRule"),
                    )
                ],
            ),
        ),
        "events:ListTargetsByRule unavailable: t",
    ),
    Case(
        "administrator unreachable",
        RESPONSE,
        U,
        _both(_nothing(), lambda s: mark_unreachable(s, SECURITY, "AssumeRole denied")),
        f"Security Hub administrator {SECURITY} was not scanned",
    ),
    # --- auto-enable controls ---------------------------------------------------------------
    Case("on", AUTO, P, says="new Security Hub controls are enabled automatically"),
    Case(
        "off",
        AUTO,
        F,
        _hub({**HUB_ON, "auto_enable_controls": False}),
        "new Security Hub controls are not enabled automatically",
        region=HOME,
    ),
    Case(
        "not reported",
        AUTO,
        U,
        _hub({**HUB_ON, "auto_enable_controls": None}),
        "securityhub:DescribeHub unavailable: DescribeHub did not report AutoEnableControls",
        region=HOME,
    ),
    Case(
        "unreadable",
        AUTO,
        U,
        _hub(Unavailable("hub denied (test)", "securityhub:DescribeHub", "AccessDenied")),
        "securityhub:DescribeHub unavailable (AccessDenied): hub denied (test)",
        region=HOME,
    ),
    Case(
        "hub off",
        AUTO,
        NA,
        _hub({"enabled": False}),
        f"Security Hub is not enabled in {HOME} (see securityhub_enabled)",
        region=HOME,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.check}-{c.name}")
def test_check_verdicts(case: Case) -> None:
    judge(case)


def test_tables_cover_every_bp08_check() -> None:
    # review_calendar_kept (the review history) is covered in test_checks_bp08_calendar.py
    mine = {c.id for c in all_checks() if c.best_practice == BP} - {"review_calendar_kept"}
    assert mine == {RESPONSE, AUTO}
    for status in (P, F, U):
        assert covered(CASES, status) == mine, status
    assert covered(CASES, NA) == {AUTO}  # an account can always automate its response


@pytest.mark.parametrize("key", RESPONSE_KEYS)
def test_one_proven_path_is_enough_whatever_else_is_unreadable(key: str) -> None:
    snapshot = secured(OrgBuilder.standard().build())
    for other in RESPONSE_KEYS:
        if other != key:
            _throttle_everywhere(MEMBER, other)(snapshot)
    if key == "securityhub.automation_rules":
        _everywhere(
            MEMBER, securityhub_automation_rules=[{"name": "r", "arn": "a", "enabled": True}]
        )(snapshot)
    assert {f.status for f in verdicts(snapshot, RESPONSE, MEMBER)} == {P}


def test_disabled_automation_rule_is_no_response() -> None:
    snapshot = secured(OrgBuilder.standard().build())
    _nothing()(snapshot)
    _no_delegation(snapshot)
    _everywhere(MEMBER, securityhub_automation_rules=[{"name": "r", "arn": "a", "enabled": False}])(
        snapshot
    )
    assert {f.status for f in verdicts(snapshot, RESPONSE, MEMBER)} == {F}


def test_auto_enable_is_judged_per_region() -> None:
    snapshot = secured(OrgBuilder.standard().build())
    _hub({**HUB_ON, "auto_enable_controls": False}, OTHER)(snapshot)
    by_region = {f.region: f.status for f in verdicts(snapshot, AUTO, MEMBER)}
    assert by_region == {HOME: P, OTHER: F}


def test_missing_evidence_is_unknown_not_pass() -> None:
    snapshot = OrgBuilder.standard().build()  # nothing of BP08 collected
    for check in (RESPONSE, AUTO):
        found = verdicts(snapshot, check, MEMBER)
        assert {f.status for f in found} == {U}, check
        assert all("was not collected" in f.message for f in found), check
