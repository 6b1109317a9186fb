"""What runs in each account and region: running EC2 instances, ECR repositories and
Lambda functions.

Both SEC01-BP04 (which resource types Inspector must scan) and BP06 (Systems Manager
coverage, ECR scanning) read this evidence, so each list is fetched once per account
and region. One collector per key keeps the IAM actions a check must declare exact.
"""

from __future__ import annotations

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import is_unavailable, keys
from wellsec.evidence import shapes_region as r
from wellsec.findings import Scope
from wellsec.snapshot import Evidence


@collectors.register(
    scope=Scope.REGION,
    keys=(keys.EC2_RUNNING_INSTANCES,),
    actions=("ec2:DescribeInstances",),
)
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


@collectors.register(
    scope=Scope.REGION,
    keys=(keys.ECR_REPOSITORIES,),
    actions=("ecr:DescribeRepositories",),
)
def ecr_repositories(reader: Reader, region: str) -> Evidence:
    repos = reader.paginate("ecr", region, "DescribeRepositories", "repositories")
    if is_unavailable(repos):
        return keys.ECR_REPOSITORIES.of(repos)
    return keys.ECR_REPOSITORIES.of(
        sorted(
            (
                {
                    "name": r["repositoryName"],
                    "scan_on_push": bool(
                        (r.get("imageScanningConfiguration") or {}).get("scanOnPush")
                    ),
                }
                for r in repos
            ),
            key=lambda r: r["name"],
        )
    )


@collectors.register(
    scope=Scope.REGION,
    keys=(keys.LAMBDA_FUNCTIONS,),
    actions=("lambda:ListFunctions",),
)
def lambda_functions(reader: Reader, region: str) -> Evidence:
    functions = reader.paginate("lambda", region, "ListFunctions", "Functions")
    if is_unavailable(functions):
        return keys.LAMBDA_FUNCTIONS.of(functions)
    return keys.LAMBDA_FUNCTIONS.of(sorted(str(f["FunctionName"]) for f in functions))
