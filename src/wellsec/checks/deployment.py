"""SEC01-BP06, deployment side: instances under configuration management (Systems
Manager), infrastructure as code checked for drift (CloudFormation), images scanned
before they run (ECR), and a delivery pipeline (CodePipeline / CodeBuild).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from wellsec.checks.actions import ORG_STRUCTURE
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.support import Doubt, across_accounts, names, plural, scope_doubt
from wellsec.checks.verdicts import failed, need, not_applicable, passed, unknown
from wellsec.evidence import keys
from wellsec.evidence.shapes_region import RegistryScanning
from wellsec.findings import Scope, Severity
from wellsec.snapshot import AccountSnapshot

BP = "SEC01-BP06"
# Every running instance must be managed: one unmanaged host is one host whose
# configuration nobody enforces or checks.
SSM_COVERAGE_REQUIRED = 100  # percent
# Stacks in these states hold no resources worth checking for drift.
NOT_LIVE = {
    "CREATE_IN_PROGRESS",
    "CREATE_FAILED",
    "DELETE_IN_PROGRESS",
    "DELETE_COMPLETE",
    "REVIEW_IN_PROGRESS",
    "ROLLBACK_COMPLETE",
}
SCANNING_FREQUENCIES = {"SCAN_ON_PUSH", "CONTINUOUS_SCAN"}
PIPELINE_ATTESTATION = "pipeline_security_testing"


@checks.register(
    id="ssm_manages_running_instances",
    title="Systems Manager manages every running EC2 instance",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.MEDIUM,
    evidence=(keys.EC2_RUNNING_INSTANCES, keys.SSM_INSTANCE_INFORMATION),
    iam_actions=("ec2:DescribeInstances", "ssm:DescribeInstanceInformation"),
    remediation="Give every instance the SSM agent and an instance profile with "
    "AmazonSSMManagedInstanceCore (or enable Default Host Management Configuration), then "
    "enforce configuration with State Manager and Patch Manager.",
)
def ssm_manages_running_instances(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = f"arn:aws:ssm:{region}:{account.id}:managed-instances"
    instances = need(account.region_get(region, keys.EC2_RUNNING_INSTANCES), resource)
    if not instances:
        yield not_applicable(resource, f"no EC2 instance runs in {region}")
        return
    running = plural(len(instances), "running instance")
    info = need(account.region_get(region, keys.SSM_INSTANCE_INFORMATION), resource, running)
    online = {i["id"] for i in info if i.get("ping_status") == "Online"}
    known = {i["id"]: i.get("ping_status") for i in info}
    managed = [i["id"] for i in instances if i["id"] in online]
    percent = 100 * len(managed) // len(instances)
    figure = f"{len(managed)}/{plural(len(instances), 'running instance')} ({percent}%)"
    if percent >= SSM_COVERAGE_REQUIRED:
        yield passed(resource, f"{figure} managed by Systems Manager")
        return
    missing = [
        i["id"] + (f" ({known[i['id']]})" if i["id"] in known else "")
        for i in instances
        if i["id"] not in online
    ]
    yield failed(
        resource,
        f"{figure} managed by Systems Manager, below the required {SSM_COVERAGE_REQUIRED}%; "
        f"not managed: {names(missing)}",
    )


def _age_days(ctx: CheckContext, stamp: str) -> int | None:
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return (ctx.now - when).days


@checks.register(
    id="cloudformation_drift_checked",
    title="CloudFormation stacks were checked for drift within the review cadence",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.LOW,
    evidence=(keys.CLOUDFORMATION_STACKS,),
    iam_actions=("cloudformation:DescribeStacks",),
    remediation="Run drift detection on every stack at least once per review cadence (for "
    "example with the cloudformation-stack-drift-detection-check Config rule) and "
    "reconcile drifted resources through the template.",
)
def cloudformation_drift_checked(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = f"arn:aws:cloudformation:{region}:{account.id}:stacks"
    stacks = need(account.region_get(region, keys.CLOUDFORMATION_STACKS), resource)
    live = [s for s in stacks if s.get("status") not in NOT_LIVE]
    if not live:
        yield not_applicable(resource, f"no CloudFormation stack in {region}")
        return
    cadence = ctx.workload.review_cadence_days
    never: list[str] = []
    stale: list[str] = []
    drifted: list[str] = []
    ages: list[int] = []
    for stack in sorted(live, key=lambda s: str(s.get("name"))):
        checked = stack.get("drift_checked")
        age = _age_days(ctx, checked) if checked else None
        if age is None:
            never.append(str(stack["name"]))
        elif age > cadence:
            stale.append(f"{stack['name']} ({age} days ago)")
        elif stack.get("drift_status") == "DRIFTED":
            drifted.append(str(stack["name"]))
        else:
            ages.append(age)
    problems = [
        f"drift never checked: {names(never)}" if never else "",
        f"last checked more than {cadence} days ago: {names(stale)}" if stale else "",
        f"drifted from their templates: {names(drifted)}" if drifted else "",
    ]
    if any(problems):
        yield failed(resource, "; ".join(p for p in problems if p))
    else:
        yield passed(
            resource,
            f"drift checked within {cadence} days for {plural(len(live), 'stack')} "
            f"(oldest check {max(ages)} days ago), none drifted",
        )


def _wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$")


def _registry_scans(registry: RegistryScanning, repository: str) -> bool:
    for rule in registry.get("rules") or []:
        if rule.get("frequency") in SCANNING_FREQUENCIES and any(
            _wildcard(f).match(repository) for f in rule.get("filters") or []
        ):
            return True
    return False


@checks.register(
    id="ecr_image_scanning",
    title="ECR images are scanned on push (repository or registry scanning)",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.MEDIUM,
    evidence=(keys.ECR_REPOSITORIES, keys.ECR_REGISTRY_SCANNING),
    iam_actions=("ecr:DescribeRepositories", "ecr:GetRegistryScanningConfiguration"),
    remediation="Configure registry-level scanning (enhanced scanning with Inspector, or "
    "basic scan on push) with a filter that matches every repository.",
)
def ecr_image_scanning(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = f"arn:aws:ecr:{region}:{account.id}:registry"
    repos = need(account.region_get(region, keys.ECR_REPOSITORIES), resource)
    if not repos:
        yield not_applicable(resource, f"no ECR repository in {region}")
        return
    # Registry rules would override the repositories' own settings: unread, nothing is proven.
    count = plural(len(repos), "repository", "repositories")
    registry = need(account.region_get(region, keys.ECR_REGISTRY_SCANNING), resource, count)
    # Registry rules, once set (and always with enhanced scanning), replace the
    # deprecated repository-level scan-on-push setting.
    registry_decides = bool(registry.get("rules")) or registry.get("scan_type") == "ENHANCED"
    unscanned = [
        repo["name"]
        for repo in repos
        if not (
            _registry_scans(registry, repo["name"])
            if registry_decides
            else repo.get("scan_on_push")
        )
    ]
    if unscanned:
        yield failed(
            resource,
            f"{plural(len(unscanned), 'repository', 'repositories')} without scan on push or a "
            f"matching registry scanning rule: {names(unscanned)}",
        )
    else:
        how = (
            f"registry {registry.get('scan_type', 'BASIC')} scanning rules"
            if registry_decides
            else "repository scan-on-push settings"
        )
        yield passed(resource, f"{count} scanned on push ({how})")


@checks.register(
    id="delivery_pipeline_in_use",
    title="A delivery pipeline (CodePipeline or CodeBuild) builds the workload",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.LOW,
    evidence=(
        keys.ORGANIZATION,
        keys.ACCOUNTS,
        keys.CODEPIPELINE_PIPELINES,
        keys.CODEBUILD_PROJECTS,
    ),
    iam_actions=(*ORG_STRUCTURE, "codepipeline:ListPipelines", "codebuild:ListProjects"),
    remediation="Deliver through a pipeline (CodePipeline/CodeBuild, or an external CI "
    "attested as pipeline_security_testing) that runs security tests of templates and "
    "images before deployment.",
)
def delivery_pipeline_in_use(ctx: CheckContext) -> Iterator[Verdict]:
    resource = f"workload/{ctx.workload.name}/delivery-pipeline"
    found: list[str] = []
    doubt = Doubt()
    for key, kind in (
        (keys.CODEPIPELINE_PIPELINES, "pipeline"),
        (keys.CODEBUILD_PROJECTS, "project"),
    ):
        for account, region, items in across_accounts(ctx, key):
            if not doubt.note(items):
                found += [f"{kind} {name} ({account.name}, {region})" for name in items]
    if found:
        yield passed(resource, f"delivery pipeline evidence: {names(found, 4)}")
    elif ctx.workload.attestation(PIPELINE_ATTESTATION) is not None:
        yield not_applicable(
            resource,
            f"no CodePipeline pipeline or CodeBuild project; an external CI is covered by the "
            f"attestation {PIPELINE_ATTESTATION}",
        )
    elif (unread := doubt.first or scope_doubt(ctx)) is not None:
        yield unknown(resource, unread, "no pipeline found")
    else:
        yield failed(
            resource,
            "no CodePipeline pipeline or CodeBuild project in any account of the workload, "
            f"and no attestation {PIPELINE_ATTESTATION} for an external CI",
        )
