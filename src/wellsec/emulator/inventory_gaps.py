"""Gap-layer answer for ``config:GetDiscoveredResourceCounts``, which moto lacks.

The counts come from moto's own resources in the caller's account and region
(EC2 instances, Lambda functions, RDS, DynamoDB, ECS services), as AWS Config
would have discovered them; while no recorder of that account and region is
recording, AWS Config discovers nothing new, so the answer is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import Answerer, Reply, RequestInfo, Rewriter, error_reply, json_reply


def _ec2_instances(account: str, region: str) -> int:
    from moto.ec2.models import ec2_backends

    instances = ec2_backends[account][region].all_instances()
    return sum(1 for i in instances if i.state != "terminated")


def _lambda_functions(account: str, region: str) -> int:
    from moto.awslambda.models import lambda_backends

    return len(list(lambda_backends[account][region].list_functions()))


def _rds_instances(account: str, region: str) -> int:
    from moto.rds.models import rds_backends

    return len(rds_backends[account][region].databases)


def _rds_clusters(account: str, region: str) -> int:
    from moto.rds.models import rds_backends

    return len(rds_backends[account][region].clusters)


def _dynamodb_tables(account: str, region: str) -> int:
    from moto.dynamodb.models import dynamodb_backends

    return len(dynamodb_backends[account][region].tables)


def _ecs_services(account: str, region: str) -> int:
    from moto.ecs.models import ecs_backends

    return len(ecs_backends[account][region].services)


COUNTERS: dict[str, Callable[[str, str], int]] = {
    "AWS::EC2::Instance": _ec2_instances,
    "AWS::Lambda::Function": _lambda_functions,
    "AWS::RDS::DBInstance": _rds_instances,
    "AWS::RDS::DBCluster": _rds_clusters,
    "AWS::DynamoDB::Table": _dynamodb_tables,
    "AWS::ECS::Service": _ecs_services,
}


def _recording(account: str, region: str) -> bool:
    from moto.config.models import config_backends

    recorders = config_backends[account][region].recorders.values()
    return any(r.status.recording for r in recorders)


def get_discovered_resource_counts(
    info: RequestInfo, state: GapState, models: ServiceModels
) -> Reply:
    """Counts per resource type (only the types asked for, when some are)."""
    # catalogue: config:GetDiscoveredResourceCounts
    body = info.json_body()
    asked = body.get("resourceTypes")
    wanted = [str(t) for t in asked] if isinstance(asked, list) and asked else list(COUNTERS)
    limit = body.get("limit", 100)
    if not isinstance(limit, int) or not 0 <= limit <= 100:
        return error_reply(info, "ValidationException", "limit must be between 0 and 100.")
    counts: list[dict[str, Any]] = []
    if _recording(info.account_id, info.region):
        for kind in wanted:
            counter = COUNTERS.get(kind)
            count = counter(info.account_id, info.region) if counter else 0
            if count:
                counts.append({"resourceType": kind, "count": count})
    status, headers, payload = json_reply(
        {"totalDiscoveredResources": sum(c["count"] for c in counts), "resourceCounts": counts}
    )
    ctype = info.headers.get("content-type") or "application/x-amz-json-1.1"
    return status, [(k, ctype if k == "Content-Type" else v) for k, v in headers], payload


REWRITERS: dict[str, Rewriter] = {}
ANSWERERS: dict[str, Answerer] = {
    "config:GetDiscoveredResourceCounts": get_discovered_resource_counts,
}
