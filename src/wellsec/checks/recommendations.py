"""SEC01-BP05 Keep up to date with security recommendations.

AWS delivers its recommendations through Security Hub (controls, aggregated across regions),
AWS Health (notices about your resources) and Trusted Advisor; these checks look that each
channel is on and reaches people.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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

BP = "SEC01-BP05"
AGGREGATOR_ACTIONS = (
    "securityhub:ListFindingAggregators",
    "securityhub:GetFindingAggregator",
    "securityhub:DescribeHub",  # read first: where the hub is off, nothing else is
)


def bus_resource(account: AccountSnapshot, region: str) -> str:
    return f"arn:aws:events:{region}:{account.id}:event-bus/default"


@checks.register(
    id="securityhub_enabled",
    title="Security Hub is enabled",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.HIGH,
    evidence=(keys.SECURITYHUB_HUB,),
    iam_actions=("securityhub:DescribeHub",),
    remediation="Enable Security Hub in every account and region of the workload (from the "
    "delegated administrator, with organization auto-enable or central configuration).",
)
def securityhub_enabled(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = hub_resource(account, region)
    hub = need(account.region_get(region, keys.SECURITYHUB_HUB), resource)
    if hub.get("enabled"):
        yield passed(resource, f"Security Hub is enabled (since {hub.get('subscribed_at')})")
    else:
        yield failed(resource, f"Security Hub is not enabled in {region}")


def uncovered(config: dict[str, Any], wanted: list[str]) -> list[str]:
    """The regions of ``wanted`` whose findings an aggregator does not bring home."""
    home = config.get("aggregation_region")
    listed = set(config.get("regions") or [])
    mode = config.get("linking_mode")
    if mode == "ALL_REGIONS":
        covered = set(wanted)
    elif mode == "ALL_REGIONS_EXCEPT_SPECIFIED":
        covered = set(wanted) - listed
    elif mode == "SPECIFIED_REGIONS":
        covered = listed
    else:  # NO_REGIONS, or a mode this version does not know: the home region only
        covered = set()
    return [r for r in wanted if r not in covered and r != home]


def _aggregators(account: AccountSnapshot) -> tuple[dict[str, Any], Unavailable | None]:
    """The account's aggregators by ARN (config or Unavailable), and the first doubt."""
    found: dict[str, Any] = {}
    doubt = Doubt()
    for _, listed in readable(account, keys.SECURITYHUB_FINDING_AGGREGATORS, doubt):
        for item in listed:
            config = item.get("config")
            if not isinstance(found.get(item["arn"]), dict):
                found[item["arn"]] = config
            doubt.note(config)
    return found, doubt.first


def _covering(account: AccountSnapshot, wanted: list[str]) -> tuple[str | None, list[str]]:
    """A description of an aggregator covering ``wanted``, else what the partial ones miss."""
    partial: list[str] = []
    for config in _aggregators(account)[0].values():
        if not isinstance(config, dict):
            continue
        missing = uncovered(config, wanted)
        where = f"{config.get('aggregation_region')} ({config.get('linking_mode')})"
        if not missing:
            return where, []
        partial.append(f"the aggregator in {where} misses {', '.join(missing)}")
    return None, partial


def _admins(ctx: CheckContext, account: AccountSnapshot) -> Any:
    """Security Hub delegated administrators other than ``account`` (or Unavailable)."""
    delegated = ctx.snapshot.org_get(keys.DELEGATED_ADMINISTRATORS)
    if is_unavailable(delegated):
        return delegated
    return [
        str(d["account_id"])
        for d in delegated
        if SECURITY_HUB_PRINCIPAL in d.get("services", []) and d["account_id"] != account.id
    ]


@checks.register(
    id="securityhub_cross_region_aggregation",
    title="Security Hub findings of every region are aggregated in one region",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.MEDIUM,
    evidence=(keys.SECURITYHUB_FINDING_AGGREGATORS, keys.DELEGATED_ADMINISTRATORS),
    iam_actions=AGGREGATOR_ACTIONS + DELEGATION_ACTIONS,
    remediation="In the Security Hub delegated administrator, create a finding aggregator in "
    "the home region linking all regions (ALL_REGIONS), so recommendations from every region "
    "and member account are seen in one place.",
)
def securityhub_cross_region_aggregation(
    ctx: CheckContext, account: AccountSnapshot
) -> Iterator[Verdict]:
    resource = account_resource(account)
    wanted = sorted(account.regions)
    if len(wanted) < 2:
        yield not_applicable(resource, "one region scanned: nothing to aggregate across regions")
        return
    where, partial = _covering(account, wanted)
    if where:
        yield passed(resource, f"findings of {', '.join(wanted)} are aggregated in {where}")
        return
    doubt = _aggregators(account)[1]
    admins = _admins(ctx, account)
    if is_unavailable(admins):
        doubt = doubt or admins
        admins = []
    for admin_id in admins:
        admin = ctx.snapshot.account(admin_id)
        if admin is None or admin.status is AccountStatus.UNREACHABLE:
            doubt = doubt or Unavailable(
                f"Security Hub administrator {admin_id} was not scanned",
                "securityhub:ListFindingAggregators",
            )
            continue
        where, _ = _covering(admin, wanted)
        if where:
            yield passed(
                resource,
                f"findings are aggregated by the Security Hub administrator {admin_id} in {where}",
            )
            return
        doubt = doubt or _aggregators(admin)[1]
    if doubt is not None:
        yield unknown(resource, doubt, "no proven cross-region aggregation")
    elif partial:
        yield failed(resource, "; ".join(partial))
    else:
        yield failed(resource, "no Security Hub finding aggregator brings the regions together")


@checks.register(
    id="health_events_routed",
    title="AWS Health events are routed to people",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.MEDIUM,
    evidence=(keys.EVENTS_HEALTH_RULES,),
    iam_actions=EVENT_ACTIONS,
    remediation='Add an EventBridge rule with the pattern {"source": ["aws.health"]} and a '
    "target (SNS topic, chat or ticketing) in every region (AWS Health delivers each region's "
    "events in that region), or use AWS User Notifications.",
)
def health_events_routed(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = bus_resource(account, region)
    rules = need(account.region_get(region, keys.EVENTS_HEALTH_RULES), resource)
    routed, idle, doubt = routed_rules(rules)
    if routed:
        yield passed(resource, "AWS Health events routed by " + ", ".join(routed))
    elif doubt is not None:
        yield unknown(resource, doubt, "AWS Health rule targets")
    elif idle:
        yield failed(resource, "no AWS Health rule routes events: " + "; ".join(idle))
    else:
        yield failed(resource, f"no EventBridge rule routes AWS Health events in {region}")


@checks.register(
    id="trusted_advisor_security_checks",
    title="Trusted Advisor security checks are reachable",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.LOW,
    evidence=(keys.SUPPORT_TRUSTED_ADVISOR,),
    iam_actions=("support:DescribeTrustedAdvisorChecks",),
    remediation="Give the account Business, Enterprise On-Ramp or Enterprise Support so all "
    "Trusted Advisor security checks (and the Support API) are available, and review them.",
)
def trusted_advisor_security_checks(
    ctx: CheckContext, account: AccountSnapshot
) -> Iterator[Verdict]:
    """Trusted Advisor's security checks can be read through the Support API.

    ``SubscriptionRequiredException`` is a fact, not missing evidence: the account has a
    support plan below Business (Basic or Developer). Such an account still sees Trusted
    Advisor's core security checks in the console, and AWS's security recommendations
    reach it through Security Hub's Foundational Security Best Practices, which
    ``securityhub_enabled`` (same practice) and ``securityhub_fsbp_enabled`` judge. A paid
    plan is not what the practice asks for, so this check is NOT_APPLICABLE there, with
    the reason. The newer ``trustedadvisor`` API (ListChecks, ListRecommendations) is
    gated by the same plans and adds nothing to this verdict.
    https://docs.aws.amazon.com/awssupport/latest/user/trusted-advisor.html
    https://docs.aws.amazon.com/awssupport/latest/user/about-support-api.html
    """
    resource = account_resource(account)
    advisor = need(account.get(keys.SUPPORT_TRUSTED_ADVISOR), resource)
    if not advisor.get("subscription"):
        yield not_applicable(
            resource,
            "no Business, Enterprise On-Ramp or Enterprise Support (SubscriptionRequired"
            "Exception): Trusted Advisor's full security checks and the Support API are "
            "closed; its core security checks are in the console, and Security Hub's "
            "FSBP controls carry AWS's recommendations",
        )
    elif advisor.get("security_checks"):
        names = advisor["security_checks"]
        yield passed(resource, f"{len(names)} Trusted Advisor security checks available")
    else:
        yield failed(resource, "Trusted Advisor lists no security check")
