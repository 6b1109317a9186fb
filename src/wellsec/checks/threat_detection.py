"""SEC01-BP04 Keep up to date with security threats: managed threat detection (GuardDuty,
organization auto-enable), vulnerability scanning of what runs (Inspector), and DDoS
protection for internet-facing workloads (Shield Advanced).

The attestation ``threat_intelligence_followed`` covers what no API shows: that people
follow threat intelligence for the workload's technologies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wellsec.checks.actions import DELEGATION_ACTIONS, ORG_STRUCTURE
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.support import Doubt, across_accounts, names, plural, readable
from wellsec.checks.verdicts import failed, need, not_applicable, organization, passed, unknown
from wellsec.collect.detection import GUARDDUTY_ACTIONS
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.findings import Scope, Severity
from wellsec.snapshot import AccountSnapshot

BP = "SEC01-BP04"
GUARDDUTY_PRINCIPAL = "guardduty.amazonaws.com"
AUTO_ENABLE_OK = {"ALL", "NEW"}


# --- GuardDuty --------------------------------------------------------------------------------


def _protection(features: dict[str, str]) -> str:
    """S3, EKS runtime and malware protection, as the detector reports them."""

    def state(*keys: str) -> str:
        seen = [features[k] for k in keys if k in features]
        if not seen:
            return "not reported"
        return "on" if "ENABLED" in seen else "off"

    eks = state("EKS_RUNTIME_MONITORING", "RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT")
    return (
        f"S3 protection {state('S3_DATA_EVENTS')}, EKS runtime monitoring {eks}, "
        f"malware protection {state('EBS_MALWARE_PROTECTION')}"
    )


@checks.register(
    id="guardduty_enabled",
    title="GuardDuty is enabled in every account and region",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.HIGH,
    evidence=(keys.GUARDDUTY_DETECTORS,),
    iam_actions=GUARDDUTY_ACTIONS,
    remediation="Enable GuardDuty in every account and region, preferably for the whole "
    "organization from a delegated administrator with auto-enable.",
)
def guardduty_enabled(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = f"arn:aws:guardduty:{region}:{account.id}:detector"
    detectors = need(account.region_get(region, keys.GUARDDUTY_DETECTORS), resource)
    if not detectors:
        yield failed(resource, f"GuardDuty is not enabled in {region}: no detector")
        return
    detector = detectors[0]
    resource = f"{resource}/{detector['id']}"
    unreadable = f"detector {detector['id']} exists but is unreadable"
    status = need(detector.get("status"), resource, unreadable)
    if status != "ENABLED":
        yield failed(resource, f"GuardDuty detector {detector['id']} is {status} (suspended)")
    else:
        detail = _protection(detector.get("features") or {})
        yield passed(resource, f"GuardDuty detector {detector['id']} is enabled; {detail}")


def _auto_enable(config: dict[str, Any]) -> str | None:
    """The effective auto-enable setting: ALL, NEW, or NONE."""
    members = config.get("auto_enable_members")
    if members:
        return str(members)
    return "NEW" if config.get("auto_enable") else "NONE"


def _admin_verdict(resource: str, region: str, holder: str, config: Any) -> Verdict:
    """Judge one administrator's organization configuration in one region."""
    if is_unavailable(config):
        return unknown(resource, config, f"GuardDuty administrator {holder}")
    if config is None:
        return failed(resource, f"{holder} has no GuardDuty detector in {region}")
    if not config.get("administrator"):
        return failed(
            resource,
            f"{holder} is not the GuardDuty administrator in {region} (delegated in "
            "Organizations, but not designated in GuardDuty there)",
        )
    setting = _auto_enable(config)
    if setting in AUTO_ENABLE_OK:
        scope = "all accounts" if setting == "ALL" else "new accounts"
        extra = "; member account limit reached" if config.get("member_limit_reached") else ""
        return passed(resource, f"{holder} auto-enables GuardDuty for {scope} in {region}{extra}")
    return failed(resource, f"{holder} administers GuardDuty in {region} but auto-enable is off")


@checks.register(
    id="guardduty_org_auto_enable",
    title="GuardDuty is auto-enabled for the organization from a delegated administrator",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.MEDIUM,
    evidence=(
        keys.ORGANIZATION,
        keys.DELEGATED_ADMINISTRATORS,
        keys.GUARDDUTY_ORGANIZATION_CONFIGURATION,
    ),
    iam_actions=(*ORG_STRUCTURE, *DELEGATION_ACTIONS, *GUARDDUTY_ACTIONS),
    remediation="Designate a security-tooling account as GuardDuty delegated administrator in "
    "every region and set auto-enable for organization members to ALL.",
)
def guardduty_org_auto_enable(ctx: CheckContext) -> Iterator[Verdict]:
    management = ctx.snapshot.management_account_id or ctx.snapshot.caller_account
    base = f"arn:aws:guardduty:{{region}}:{management}:organization-configuration"
    organization(ctx, not_applicable(base.format(region="*"), "not in an organization"))
    admins = ctx.snapshot.org_get(keys.DELEGATED_ADMINISTRATORS)
    delegated = (
        []
        if is_unavailable(admins)
        else [a["account_id"] for a in admins if GUARDDUTY_PRINCIPAL in a.get("services", [])]
    )
    by_region: dict[str, dict[str, Any]] = {}
    doubt: dict[str, Unavailable] = {}
    for account, region, value in across_accounts(
        ctx, keys.GUARDDUTY_ORGANIZATION_CONFIGURATION, supporting=True
    ):
        if is_unavailable(value) and not region:  # an account that could not be scanned
            doubt.setdefault("*", value)
        else:
            by_region.setdefault(region, {})[account.id] = value
    if not by_region and "*" in doubt:
        yield unknown(base.format(region="*"), doubt["*"])
    for region in sorted(by_region):
        resource = base.format(region=region)
        seen = by_region.get(region, {})
        acting = [a for a, v in seen.items() if isinstance(v, dict) and v.get("administrator")]
        if acting:
            yield _admin_verdict(resource, region, _label(ctx, acting[0]), seen[acting[0]])
            continue
        holder = delegated[0] if delegated else None
        unread = next((v for v in seen.values() if is_unavailable(v)), doubt.get("*"))
        if holder is not None and holder in seen:
            # The holder's own unreadable answer, or a proven gap when nothing else is unknown.
            if is_unavailable(seen[holder]) or unread is None:
                yield _admin_verdict(resource, region, _label(ctx, holder), seen[holder])
            else:
                yield unknown(resource, unread, "GuardDuty administrator not found")
        elif is_unavailable(admins):
            yield unknown(resource, admins, "GuardDuty delegated administrator unknown")
        elif holder is not None:
            gone = Unavailable(
                f"the GuardDuty delegated administrator {holder} was not scanned in {region}",
                "guardduty:DescribeOrganizationConfiguration",
            )
            yield unknown(resource, gone)
        elif unread is not None:
            yield unknown(resource, unread, "no GuardDuty administrator found")
        else:
            yield failed(
                resource, f"no GuardDuty administrator manages the organization in {region}"
            )


def _label(ctx: CheckContext, account_id: str) -> str:
    found = ctx.snapshot.account(account_id)
    return f"{found.name} ({account_id})" if found and found.name != account_id else account_id


# --- Inspector ---------------------------------------------------------------------------------

# Inspector resource type -> (label, evidence of use, what counts as use)
INSPECTOR_TYPES = (
    ("ec2", "EC2", keys.EC2_RUNNING_INSTANCES, ("running instance", "running instances")),
    ("ecr", "ECR", keys.ECR_REPOSITORIES, ("repository", "repositories")),
    ("lambda", "Lambda", keys.LAMBDA_FUNCTIONS, ("function", "functions")),
)


@checks.register(
    id="inspector_scans_used_resources",
    title="Inspector scans the resource types the account uses (EC2, ECR, Lambda)",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.MEDIUM,
    evidence=(
        keys.INSPECTOR2_ACCOUNT_STATUS,
        keys.EC2_RUNNING_INSTANCES,
        keys.ECR_REPOSITORIES,
        keys.LAMBDA_FUNCTIONS,
    ),
    iam_actions=(
        "inspector2:BatchGetAccountStatus",
        "ec2:DescribeInstances",
        "ecr:DescribeRepositories",
        "lambda:ListFunctions",
    ),
    remediation="Activate Amazon Inspector scanning for every resource type in use (EC2, "
    "ECR, Lambda), organization-wide from a delegated administrator.",
)
def inspector_scans_used_resources(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = f"arn:aws:inspector2:{region}:{account.id}:account-status"
    status = account.region_get(region, keys.INSPECTOR2_ACCOUNT_STATUS)
    scanned: list[str] = []
    unused: list[str] = []
    gaps: list[str] = []
    doubt: Unavailable | None = None
    for key, label, evidence, noun in INSPECTOR_TYPES:
        used = account.region_get(region, evidence)
        state = status if is_unavailable(status) else status["resources"].get(key, "DISABLED")
        if not is_unavailable(used) and not used:
            unused.append(label)
        elif state == "ENABLED":
            count = "" if is_unavailable(used) else f" ({plural(len(used), *noun)})"
            scanned.append(label + count)
        elif is_unavailable(used):
            doubt = doubt or used
        elif is_unavailable(state):
            doubt = doubt or state
        else:
            gaps.append(
                f"{label} in use ({plural(len(used), *noun)}) but Inspector {label} "
                f"scanning is {state}"
            )
    rest = f"; not used here: {', '.join(unused)}" if unused else ""
    if gaps:
        yield failed(resource, "; ".join(gaps) + rest)
    elif doubt is not None:
        yield unknown(resource, doubt, "cannot tell whether Inspector covers what runs here")
    elif scanned:
        yield passed(resource, f"Inspector scans {', '.join(scanned)}{rest}")
    else:
        yield not_applicable(
            resource,
            "no running EC2 instance, ECR repository or Lambda function: "
            "nothing for Inspector to scan here",
        )


# --- Shield Advanced ---------------------------------------------------------------------------


def _exposure(account: AccountSnapshot) -> tuple[list[str], Unavailable | None]:
    """The account's internet-facing entry points, and the first unreadable piece."""
    found: list[str] = []
    doubt = Doubt()
    distributions = account.get(keys.CLOUDFRONT_DISTRIBUTIONS)
    if not doubt.note(distributions):
        found += [f"CloudFront distribution {d['id']}" for d in distributions]
    for region, balancers in readable(account, keys.ELBV2_INTERNET_FACING, doubt):
        found += [f"internet-facing load balancer {b['name']} ({region})" for b in balancers]
    return found, doubt.first


@checks.register(
    id="shield_advanced_internet_facing",
    title="Shield Advanced protects accounts with internet-facing entry points",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.LOW,
    evidence=(keys.SHIELD_SUBSCRIPTION, keys.CLOUDFRONT_DISTRIBUTIONS, keys.ELBV2_INTERNET_FACING),
    iam_actions=(
        "shield:GetSubscriptionState",
        "cloudfront:ListDistributions",
        "elasticloadbalancing:DescribeLoadBalancers",
    ),
    remediation="Subscribe to Shield Advanced in the accounts that host the workload's "
    "internet-facing CloudFront distributions and load balancers, and add protections.",
)
def shield_advanced_internet_facing(
    ctx: CheckContext, account: AccountSnapshot
) -> Iterator[Verdict]:
    resource = f"arn:aws:shield::{account.id}:subscription"
    declared = ctx.workload.internet_facing
    if declared is False:
        yield not_applicable(resource, "the workload is declared not internet-facing")
        return
    subscription = account.get(keys.SHIELD_SUBSCRIPTION)
    active = not is_unavailable(subscription) and subscription.get("state") == "ACTIVE"
    if declared:
        why = "the workload is declared internet-facing"
    else:
        endpoints, doubt = _exposure(account)
        if endpoints:
            why = f"the account is internet-facing: {names(endpoints, 3)}"
        elif active:
            yield passed(resource, "Shield Advanced subscription is active")
            return
        elif doubt is not None:
            yield unknown(resource, doubt, "cannot tell whether the account is internet-facing")
            return
        else:
            yield not_applicable(
                resource, "no CloudFront distribution or internet-facing load balancer here"
            )
            return
    if is_unavailable(subscription):
        yield unknown(resource, subscription, f"Shield Advanced needed ({why})")
    elif active:
        yield passed(resource, f"Shield Advanced subscription is active; {why}")
    else:
        yield failed(resource, f"no Shield Advanced subscription, yet {why}")
