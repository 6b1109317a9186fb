"""Where a template goes, and the exact commands that put it there.

Member accounts get a service-managed StackSet: one ``create-stack-set`` and one
``create-stack-instances`` per group of accounts that need the same regions, targeted at
the accounts' OUs (or the root) with ``AccountFilterType=INTERSECTION`` so only the
failing accounts receive it. A service-managed StackSet never deploys to the management
account, so the management account gets plain stacks (``create-stack``) of the same
template. Without an organization root to target, every account gets plain stacks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from wellsec.fix.cfn import stack_name
from wellsec.fix.model import AwsCommand, Effect, Outcome
from wellsec.fix.source import ReviewFacts

GLOBAL_REGION = "us-east-1"  # Organizations and IAM answer here
PREFIX = "wellsec"
OPERATION_PREFERENCES = {
    "FailureToleranceCount": 0,
    "MaxConcurrentCount": 10,
    "RegionConcurrencyType": "PARALLEL",
}


@dataclass(frozen=True)
class Deployment:
    """A template and the (account, region) places it must reach."""

    name: str  # artifact name; the StackSet and stacks are called wellsec-<name>
    template_path: str  # relative to the output directory
    description: str
    places: frozenset[tuple[str, str]]
    parameters: tuple[tuple[str, str], ...] = ()
    iam: bool = False  # the template creates IAM roles
    auto_deploy: bool = True  # new accounts in the targeted OUs get it too

    @property
    def stack(self) -> str:
        return stack_name(PREFIX, self.name)


def _parameters(deployment: Deployment) -> list[dict[str, str]]:
    return [{"ParameterKey": k, "ParameterValue": v} for k, v in deployment.parameters]


def _common(deployment: Deployment) -> list[tuple[str, object]]:
    params: list[tuple[str, object]] = [("TemplateBody", f"file://{deployment.template_path}")]
    if deployment.parameters:
        params.append(("Parameters", _parameters(deployment)))
    if deployment.iam:
        params.append(("Capabilities", ["CAPABILITY_NAMED_IAM"]))
    return params


def plain_stack(deployment: Deployment, account: str, region: str) -> AwsCommand:
    return AwsCommand(
        "cloudformation",
        "CreateStack",
        (("StackName", deployment.stack), *_common(deployment)),
        account,
        region,
    )


def _region_groups(places: Iterable[tuple[str, str]]) -> list[tuple[tuple[str, ...], list[str]]]:
    """(regions, accounts needing exactly those regions), in a stable order."""
    by_account: dict[str, set[str]] = defaultdict(set)
    for account, region in places:
        by_account[account].add(region)
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for account in sorted(by_account):
        groups[tuple(sorted(by_account[account]))].append(account)
    return sorted(groups.items())


def _ous(facts: ReviewFacts, accounts: list[str]) -> list[str]:
    parents = {facts.parent(a) for a in accounts}
    if None in parents or not parents:
        return [facts.root_id] if facts.root_id else []
    return sorted(p for p in parents if p)


def commands(facts: ReviewFacts, deployment: Deployment) -> tuple[AwsCommand, ...]:
    """Every command that deploys ``deployment``, in order, from the management account."""
    management = facts.management
    out: list[AwsCommand] = []
    members = {p for p in deployment.places if p[0] != management}
    if facts.root_id is None or management is None:
        for account, region in sorted(deployment.places):
            out.append(plain_stack(deployment, account, region))
        return tuple(out)
    for account, region in sorted(p for p in deployment.places if p[0] == management):
        out.append(plain_stack(deployment, account, region))
    if not members:
        return tuple(out)
    out.append(
        AwsCommand(
            "cloudformation",
            "CreateStackSet",
            (
                ("StackSetName", deployment.stack),
                ("Description", deployment.description),
                *_common(deployment),
                ("PermissionModel", "SERVICE_MANAGED"),
                (
                    "AutoDeployment",
                    {"Enabled": deployment.auto_deploy, "RetainStacksOnAccountRemoval": False},
                ),
                ("ManagedExecution", {"Active": True}),
            ),
            management,
            GLOBAL_REGION,
        )
    )
    for regions, accounts in _region_groups(members):
        targets = {
            "Accounts": accounts,
            "AccountFilterType": "INTERSECTION",
            "OrganizationalUnitIds": _ous(facts, accounts),
        }
        out.append(
            AwsCommand(
                "cloudformation",
                "CreateStackInstances",
                (
                    ("StackSetName", deployment.stack),
                    ("DeploymentTargets", targets),
                    ("Regions", list(regions)),
                    ("OperationPreferences", OPERATION_PREFERENCES),
                ),
                management,
                GLOBAL_REGION,
            )
        )
    return tuple(out)


# What each creating command's drift detection is: its operation and the name it takes.
DRIFT_DETECTION = {
    "CreateStack": ("DetectStackDrift", "StackName"),
    "CreateStackSet": ("DetectStackSetDrift", "StackSetName"),
}


def drift_commands(deploy: Iterable[AwsCommand]) -> tuple[AwsCommand, ...]:
    """Drift detection for every stack and StackSet the commands create."""
    out: list[AwsCommand] = []
    for command in deploy:
        if command.operation in DRIFT_DETECTION:
            operation, name = DRIFT_DETECTION[command.operation]
            params = ((name, dict(command.params)[name]),)
            out.append(
                AwsCommand("cloudformation", operation, params, command.account, command.region)
            )
    return tuple(out)


def drift_effects(deploy: Iterable[AwsCommand], places: Iterable[tuple[str, str]]) -> list[Effect]:
    """New stacks are checked for drift in the last step, so the drift check gets no worse."""
    touched = set(places)
    touched |= {(c.account, c.region) for c in deploy if c.operation == "CreateStack"}
    return [
        Effect("cloudformation_drift_checked", account, region, None, Outcome.NO_WORSE)
        for account, region in sorted(touched)
    ]


def where(facts: ReviewFacts, deployment: Deployment) -> tuple[str, ...]:
    """One line per group of accounts: names, ids, regions."""
    lines = []
    for regions, accounts in _region_groups(deployment.places):
        names = ", ".join(f"{facts.account_name(a)} ({a})" for a in accounts)
        lines.append(f"{names} in {', '.join(regions)}")
    return tuple(lines)
