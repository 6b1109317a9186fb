"""What runs in each account and region: running EC2 instances, ECR repositories and
Lambda functions.

Both SEC01-BP04 (which resource types Inspector must scan) and BP06 (Systems Manager
coverage, ECR scanning) read this evidence, so each list is fetched once per account
and region. One collector per key keeps the IAM actions a check must declare exact.
"""

from __future__ import annotations

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import is_unavailable
from wellsec.findings import Scope
from wellsec.snapshot import Evidence


@collectors.register(
    scope=Scope.REGION,
    keys=("ec2.running_instances",),
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
        return {"ec2.running_instances": reservations}
    found = [
        {"id": inst["InstanceId"]}
        for reservation in reservations
        for inst in reservation.get("Instances", [])
        if (inst.get("State") or {}).get("Name", "running") == "running"
    ]
    return {"ec2.running_instances": sorted(found, key=lambda i: i["id"])}


@collectors.register(
    scope=Scope.REGION,
    keys=("ecr.repositories",),
    actions=("ecr:DescribeRepositories",),
)
def ecr_repositories(reader: Reader, region: str) -> Evidence:
    repos = reader.paginate("ecr", region, "DescribeRepositories", "repositories")
    if is_unavailable(repos):
        return {"ecr.repositories": repos}
    return {
        "ecr.repositories": sorted(
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
    }


@collectors.register(
    scope=Scope.REGION,
    keys=("lambda.functions",),
    actions=("lambda:ListFunctions",),
)
def lambda_functions(reader: Reader, region: str) -> Evidence:
    functions = reader.paginate("lambda", region, "ListFunctions", "Functions")
    if is_unavailable(functions):
        return {"lambda.functions": functions}
    return {"lambda.functions": sorted(str(f["FunctionName"]) for f in functions)}
