"""SEC01-BP08 Evaluate and implement new security services and features regularly.

What an API can show of it: defences are automated (findings trigger a response) and
Security Hub adopts new controls as AWS releases them. The review calendar and the
onboarding process are attested.
"""

from __future__ import annotations

from collections.abc import Iterator

from wellsec.checks.actions import DELEGATION_ACTIONS, EVENT_ACTIONS
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.support import SECURITY_HUB_PRINCIPAL, Doubt, readable, routed_rules
from wellsec.checks.verdicts import (
    account_resource,
    failed,
    hub_resource,
    need,
    not_applicable,
    passed,
    unknown,
)
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.findings import Scope, Severity
from wellsec.snapshot import AccountSnapshot, AccountStatus

BP = "SEC01-BP08"
REMEDIATION_ACTIONS = ("config:DescribeConfigRules", "config:DescribeRemediationConfigurations")


def _remediations(account: AccountSnapshot) -> tuple[list[str], list[str], Unavailable | None]:
    """Automatic Config remediations, manual ones, and the first doubt, over all regions."""
    automatic: list[str] = []
    manual: list[str] = []
    doubt = Doubt()
    for region, found in readable(account, keys.CONFIG_REMEDIATION_CONFIGURATIONS, doubt):
        for item in found:
            where = f"Config rule {item['rule']} in {region} ({item.get('target')})"
            (automatic if item.get("automatic") else manual).append(where)
    return automatic, manual, doubt.first


def _automation_rules(account: AccountSnapshot) -> tuple[list[str], Unavailable | None]:
    rules: list[str] = []
    doubt = Doubt()
    for region, found in readable(account, keys.SECURITYHUB_AUTOMATION_RULES, doubt):
        rules += [f"automation rule {r['name']} in {region}" for r in found if r.get("enabled")]
    return rules, doubt.first


def _finding_routes(account: AccountSnapshot) -> tuple[list[str], list[str], Unavailable | None]:
    routes: list[str] = []
    idle: list[str] = []
    doubt = Doubt()
    for region, rules in readable(account, keys.EVENTS_FINDINGS_RULES, doubt):
        routed, not_routed, unsure = routed_rules(rules)
        routes += [f"EventBridge rule {name} in {region}" for name in routed]
        idle += [f"{text} ({region})" for text in not_routed]
        doubt.note(unsure)
    return routes, idle, doubt.first


@checks.register(
    id="automated_response_configured",
    title="Security findings trigger an automated response",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=(
        keys.CONFIG_REMEDIATION_CONFIGURATIONS,
        keys.SECURITYHUB_AUTOMATION_RULES,
        keys.EVENTS_FINDINGS_RULES,
        keys.DELEGATED_ADMINISTRATORS,
    ),
    iam_actions=(
        *REMEDIATION_ACTIONS,
        "securityhub:ListAutomationRules",
        "securityhub:DescribeHub",
        *EVENT_ACTIONS,
        *DELEGATION_ACTIONS,
    ),
    remediation="Automate the response to findings: attach automatic AWS Config remediation "
    "actions to rules, add Security Hub automation rules in the administrator account, or "
    "route Security Hub / GuardDuty / Config findings with EventBridge to a responder.",
)
def automated_response_configured(ctx: CheckContext, account: AccountSnapshot) -> Iterator[Verdict]:
    resource = account_resource(account)
    automatic, manual, doubt = _remediations(account)
    rules, unsure = _automation_rules(account)
    routes, idle, unrouted = _finding_routes(account)
    doubt = doubt or unsure or unrouted
    paths = automatic + rules + routes
    delegated = ctx.snapshot.org_get(keys.DELEGATED_ADMINISTRATORS)
    if not paths and is_unavailable(delegated):
        doubt = doubt or delegated
    elif not paths and not is_unavailable(delegated):
        # The Security Hub administrator's automation rules act on its members' findings.
        for admin in delegated:
            admin_id = str(admin["account_id"])
            if SECURITY_HUB_PRINCIPAL not in admin.get("services", []) or admin_id == account.id:
                continue
            admin_snap = ctx.snapshot.account(admin_id)
            if admin_snap is None or admin_snap.status is AccountStatus.UNREACHABLE:
                doubt = doubt or Unavailable(
                    f"Security Hub administrator {admin_id} was not scanned",
                    "securityhub:ListAutomationRules",
                )
                continue
            found, unsure = _automation_rules(admin_snap)
            paths += [f"{rule} of the Security Hub administrator {admin_id}" for rule in found]
            doubt = doubt or unsure
    if paths:
        yield passed(resource, "automated response: " + "; ".join(paths))
    elif doubt is not None:
        yield unknown(resource, doubt, "no proven automated response")
    else:
        seen = [f"remediation is manual for {m}" for m in manual] + idle
        detail = f" ({'; '.join(seen)})" if seen else ""
        yield failed(
            resource,
            "no automatic Config remediation, Security Hub automation rule or EventBridge "
            f"rule acting on findings{detail}",
        )


@checks.register(
    id="securityhub_auto_enable_controls",
    title="Security Hub enables new controls automatically",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.LOW,
    evidence=(keys.SECURITYHUB_HUB,),
    iam_actions=("securityhub:DescribeHub",),
    remediation="Turn on auto-enable new controls (UpdateSecurityHubConfiguration "
    "AutoEnableControls=true, or a central configuration policy), so new AWS checks are "
    "adopted as they are released.",
)
def securityhub_auto_enable_controls(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = hub_resource(account, region)
    hub = need(account.region_get(region, keys.SECURITYHUB_HUB), resource)
    if not hub.get("enabled"):
        yield not_applicable(
            resource, f"Security Hub is not enabled in {region} (see securityhub_enabled)"
        )
    elif hub.get("auto_enable_controls") is True:
        yield passed(resource, "new Security Hub controls are enabled automatically")
    elif hub.get("auto_enable_controls") is False:
        yield failed(resource, "new Security Hub controls are not enabled automatically")
    else:
        yield unknown(
            resource,
            Unavailable("DescribeHub did not report AutoEnableControls", "securityhub:DescribeHub"),
        )
