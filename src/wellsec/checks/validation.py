"""SEC01-BP06 Automate testing and validation of security controls in pipelines.

Here: continuous validation of the running environment with AWS Config (recording,
global resource types, rules and conformance packs, an organization aggregator).
``deployment`` adds Systems Manager coverage, CloudFormation drift detection,
ECR image scanning and delivery pipelines. The attestation
``pipeline_security_testing`` covers the security tests an external CI runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from wellsec.checks.actions import DELEGATION_ACTIONS, ORG_STRUCTURE
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.support import Doubt, across_accounts, names, plural, readable
from wellsec.checks.verdicts import (
    account_resource,
    failed,
    need,
    not_applicable,
    organization,
    passed,
    unknown,
)
from wellsec.collect.configuration import CONFIG_RECORDER_ACTIONS
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence.shapes_region import Recorder
from wellsec.findings import Scope, Severity
from wellsec.snapshot import AccountSnapshot

BP = "SEC01-BP06"
ALL_TYPES = "ALL_SUPPORTED_RESOURCE_TYPES"
CONFORMANCE_PACKS = "config-conforms.amazonaws.com"
CONFIG_PRINCIPALS = {"config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"}


def _customer_recorder(recorders: list[Recorder]) -> Recorder | None:
    """The account's own recorder (service-linked recorders record for one service only)."""
    return next((r for r in recorders if not r.get("service_principal")), None)


def _records_all(recorder: Recorder) -> bool:
    if recorder.get("strategy"):
        return bool(recorder["strategy"] == ALL_TYPES)
    return bool(recorder.get("all_supported"))


def _coverage_gap(recorder: Recorder) -> str:
    excluded = recorder.get("excluded_types") or []
    if recorder.get("strategy") == "EXCLUSION_BY_RESOURCE_TYPES" and excluded:
        return f"excludes {plural(len(excluded), 'resource type')} ({names(excluded, 3)})"
    listed = recorder.get("resource_types") or []
    return f"records only {plural(len(listed), 'resource type')}" + (
        f" ({names(listed, 3)})" if listed else ""
    )


@checks.register(
    id="config_recording_all_resources",
    title="AWS Config records all resource types in every region",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.MEDIUM,
    evidence=(keys.CONFIG_RECORDERS,),
    iam_actions=CONFIG_RECORDER_ACTIONS,
    remediation="Set up AWS Config in every account and region, recording all supported "
    "resource types, and keep the recorder running.",
)
def config_recording_all_resources(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = f"arn:aws:config:{region}:{account.id}:configuration-recorder"
    recorders = need(account.region_get(region, keys.CONFIG_RECORDERS), resource)
    recorder = _customer_recorder(recorders)
    if recorder is None:
        yield failed(resource, f"AWS Config has no configuration recorder in {region}")
        return
    resource = f"{resource}/{recorder['name']}"
    recording = recorder.get("recording")
    if not _records_all(recorder):
        yield failed(resource, f"recorder {recorder['name']} {_coverage_gap(recorder)}")
    elif is_unavailable(recording):
        yield unknown(resource, recording, f"recorder {recorder['name']} status")
    elif not recording:
        last = recorder.get("last_status")
        yield failed(
            resource,
            f"recorder {recorder['name']} is not recording"
            + (f" (last status {last})" if last else ""),
        )
    else:
        extra = ", including global resource types" if recorder.get("include_global") else ""
        yield passed(
            resource, f"recorder {recorder['name']} records all supported resource types{extra}"
        )


def _records_global(recorder: Recorder) -> bool:
    if recorder.get("recording") is not True:
        return False
    if recorder.get("include_global") and _records_all(recorder):
        return True
    return any(str(t).startswith("AWS::IAM::") for t in recorder.get("resource_types") or [])


@checks.register(
    id="config_global_resources_recorded",
    title="AWS Config records global resource types (IAM) in at least one region",
    best_practice=BP,
    scope=Scope.ACCOUNT,
    severity=Severity.LOW,
    evidence=(keys.CONFIG_RECORDERS,),
    iam_actions=CONFIG_RECORDER_ACTIONS,
    remediation="Include global resource types (IAM users, groups, roles, policies) in the "
    "recorder of exactly one region, usually the home region.",
)
def config_global_resources_recorded(
    ctx: CheckContext, account: AccountSnapshot
) -> Iterator[Verdict]:
    resource = account_resource(account)
    if not account.regions:
        yield not_applicable(resource, "none of the workload's regions is enabled here")
        return
    regions: list[str] = []
    doubt = Doubt()
    for region, recorders in readable(account, keys.CONFIG_RECORDERS, doubt):
        recorder = _customer_recorder(recorders)
        if recorder is None:
            continue
        if _records_global(recorder):
            regions.append(region)
        elif recorder.get("include_global"):
            doubt.note(recorder.get("recording"))
    if len(regions) == 1:
        yield passed(resource, f"global resource types are recorded in {regions[0]} only")
    elif regions:
        yield passed(
            resource,
            f"global resource types are recorded in {len(regions)} regions ({', '.join(regions)}); "
            "one region is enough and avoids duplicate configuration items",
        )
    elif doubt.first is not None:
        yield unknown(resource, doubt.first, "no region is known to record global resource types")
    else:
        yield failed(resource, "no recording region includes global resource types (IAM)")


@checks.register(
    id="config_rules_evaluating",
    title="AWS Config rules or conformance packs evaluate resources in every region",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.MEDIUM,
    evidence=(keys.CONFIG_RULES, keys.CONFIG_RECORDERS),
    iam_actions=("config:DescribeConfigRules", *CONFIG_RECORDER_ACTIONS),
    remediation="Deploy AWS Config rules or conformance packs (for example an operational "
    "best-practices pack) in every region, organization-wide, with a recorder running.",
)
def config_rules_evaluating(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = f"arn:aws:config:{region}:{account.id}:config-rules"
    rules = need(account.region_get(region, keys.CONFIG_RULES), resource)
    active = [r for r in rules if r.get("state") == "ACTIVE"]
    if not active:
        states = sorted({str(r.get("state")) for r in rules})
        yield failed(
            resource,
            f"no active Config rule in {region}"
            + (f" ({plural(len(rules), 'rule')}, state {', '.join(states)})" if rules else ""),
        )
        return
    packs = sum(1 for r in active if r.get("created_by") == CONFORMANCE_PACKS)
    what = plural(len(active), "active rule") + (
        f", {packs} from conformance packs" if packs else ""
    )
    recorders = account.region_get(region, keys.CONFIG_RECORDERS)
    recorder = None if is_unavailable(recorders) else _customer_recorder(recorders)
    if is_unavailable(recorders):
        yield unknown(resource, recorders, f"{what}, but whether a recorder feeds them")
    elif recorder is None or recorder.get("recording") is False:
        yield failed(resource, f"{what}, but no recorder is recording: rules cannot evaluate")
    elif is_unavailable(recording := recorder.get("recording")):
        yield unknown(resource, recording, f"{what}; recorder status")
    else:
        yield passed(resource, f"{what} evaluating resources")


def _aggregator_hosts(ctx: CheckContext) -> tuple[set[str], Unavailable | None]:
    """Accounts where an organization aggregator can live: management and Config admins."""
    hosts = {ctx.snapshot.management_account_id or ctx.snapshot.caller_account}
    admins = ctx.snapshot.org_get(keys.DELEGATED_ADMINISTRATORS)
    if is_unavailable(admins):
        return hosts, admins
    hosts |= {a["account_id"] for a in admins if CONFIG_PRINCIPALS & set(a.get("services", []))}
    return hosts, None


@checks.register(
    id="config_org_aggregator",
    title="An AWS Config aggregator collects the whole organization",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.LOW,
    evidence=(
        keys.ORGANIZATION,
        keys.ACCOUNTS,
        keys.DELEGATED_ADMINISTRATORS,
        keys.CONFIG_AGGREGATORS,
    ),
    iam_actions=(
        *ORG_STRUCTURE,
        *DELEGATION_ACTIONS,
        "config:DescribeConfigurationAggregators",
    ),
    remediation="Create an organization aggregator (all regions) in the management account "
    "or a Config delegated administrator, to validate compliance across accounts.",
)
def config_org_aggregator(ctx: CheckContext) -> Iterator[Verdict]:
    management = ctx.snapshot.management_account_id or ctx.snapshot.caller_account
    resource = f"arn:aws:config::{management}:organization-aggregator"
    organization(ctx, not_applicable(resource, "not in an organization"))
    wanted = set(ctx.snapshot.regions)
    partial: list[str] = []
    doubt = Doubt()
    for account, region, aggregators in across_accounts(
        ctx, keys.CONFIG_AGGREGATORS, supporting=True
    ):
        if doubt.note(aggregators):
            continue
        for agg in aggregators:
            if not agg.get("organization"):
                continue
            where = f"{agg['name']} in {account.name} ({account.id}, {region})"
            missing = sorted(wanted - set(agg.get("regions") or []))
            if agg.get("all_regions") or not missing:
                scope = "all regions" if agg.get("all_regions") else ", ".join(agg["regions"])
                yield passed(resource, f"organization aggregator {where} covers {scope}")
                return
            partial.append(f"{where} misses {', '.join(missing)}")
    if partial:
        yield failed(
            resource, "organization aggregators miss scanned regions: " + "; ".join(partial)
        )
        return
    hosts, unread = _aggregator_hosts(ctx)
    listed = ctx.snapshot.org_get(keys.ACCOUNTS)
    active = [] if is_unavailable(listed) else [a for a in listed if a.get("status") == "ACTIVE"]
    if not is_unavailable(listed) and all(ctx.snapshot.account(a["id"]) for a in active):
        unread, hosts = None, set()  # every account of the organization was scanned
    unscanned = sorted(h for h in hosts if ctx.snapshot.account(h) is None)
    if doubt.first is not None:
        yield unknown(resource, doubt.first, "no organization aggregator found")
    elif unread is not None:
        yield unknown(resource, unread, "no organization aggregator found in the scanned accounts")
    elif unscanned:
        gone = Unavailable(
            f"accounts that may hold an organization aggregator were not scanned: "
            f"{', '.join(unscanned)}",
            "config:DescribeConfigurationAggregators",
        )
        yield unknown(resource, gone)
    else:
        yield failed(resource, "no AWS Config aggregator collects the organization")
