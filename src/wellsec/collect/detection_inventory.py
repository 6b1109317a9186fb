"""What runs in each account and region: running EC2 instances, ECR repositories and
Lambda functions.

Both SEC01-BP04 (which resource types Inspector must scan) and BP06 (Systems Manager
coverage, ECR scanning) read this evidence, so each list is fetched once per account
and region. One collector per key keeps the IAM actions a check must declare exact.
"""

from __future__ import annotations

from wellsec.aws.calls import Reader
from wellsec.collect.registry import Item, collectors
from wellsec.evidence import is_unavailable, keys
from wellsec.evidence import shapes_region as r
from wellsec.snapshot import Evidence


@collectors.register(keys=(keys.EC2_RUNNING_INSTANCES,), actions=("ec2:DescribeInstances",))
def running_instances(reader: Reader, region: str) -> Evidence:
    reservations = reader.paginate(
        "ec2",
        region,
        "DescribeInstances",
        "Reservations",
        Filters=[{"Name": "instance-state-name", "Values": ["running"]}],
    )
    if is_unavailable(reservations):
        return keys.EC2_RUNNING_INSTANCES.of(reservations)
    found: list[r.Instance] = [
        {"id": inst["InstanceId"]}
        for reservation in reservations
        for inst in reservation.get("Instances", [])
        if (inst.get("State") or {}).get("Name", "running") == "running"
    ]
    return keys.EC2_RUNNING_INSTANCES.of(sorted(found, key=lambda i: i["id"]))


@collectors.listing(
    keys.ECR_REPOSITORIES,
    "ecr:DescribeRepositories",
    "repositories",
    order=lambda repo: repo["name"],
)
def ecr_repositories(repo: Item) -> r.Repository:
    scanning = repo.get("imageScanningConfiguration") or {}
    return {"name": repo["repositoryName"], "scan_on_push": bool(scanning.get("scanOnPush"))}


@collectors.listing(keys.LAMBDA_FUNCTIONS, "lambda:ListFunctions", "Functions", order=str)
def lambda_functions(function: Item) -> str:
    return str(function["FunctionName"])
