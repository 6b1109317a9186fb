"""Collectors: the account's resource inventory (AWS Config), which the current lens's
SEC01-BP05 "Reduce security management scope" asks for (how much of the workload runs on
managed services). Where StackSets deployed their stacks is read by
:mod:`wellsec.collect.baselines`.
"""

from __future__ import annotations

from typing import Any

from wellsec.aws.calls import Reader
from wellsec.collect.registry import collectors
from wellsec.evidence import is_unavailable, keys
from wellsec.snapshot import Evidence

# The resource types that say where a workload's code runs and its data lives, and
# whether AWS (True) or the team (False) secures the host, operating system and engine.
# Other types (networks, roles, topics, log buckets) are plumbing, not capacity.
WORKLOAD_TYPES: dict[str, tuple[str, bool]] = {
    "AWS::EC2::Instance": ("EC2 instance", False),
    "AWS::EC2::Host": ("EC2 dedicated host", False),
    "AWS::Lambda::Function": ("Lambda function", True),
    "AWS::ECS::Service": ("ECS service", True),
    "AWS::AppRunner::Service": ("App Runner service", True),
    "AWS::RDS::DBInstance": ("RDS DB instance", True),
    "AWS::RDS::DBCluster": ("RDS DB cluster", True),
    "AWS::DynamoDB::Table": ("DynamoDB table", True),
    "AWS::ElastiCache::CacheCluster": ("ElastiCache cluster", True),
    "AWS::OpenSearch::Domain": ("OpenSearch domain", True),
    "AWS::Redshift::Cluster": ("Redshift cluster", True),
}
_PAGES = 10  # one page holds 100 counts; the types asked for fit in one


@collectors.register(
    keys=(keys.CONFIG_RESOURCE_COUNTS,), actions=("config:GetDiscoveredResourceCounts",)
)
def config_resource_counts(reader: Reader, region: str) -> Evidence:
    """How many resources of each workload type AWS Config has discovered in the region."""
    counts = dict.fromkeys(WORKLOAD_TYPES, 0)
    token: str | None = None
    for _ in range(_PAGES):
        params: dict[str, Any] = {"resourceTypes": list(WORKLOAD_TYPES), "limit": 100}
        if token:
            params["nextToken"] = token
        page = reader.call("config", region, "GetDiscoveredResourceCounts", **params)
        if is_unavailable(page):
            return keys.CONFIG_RESOURCE_COUNTS.of(page)
        for item in page.get("resourceCounts", []):
            kind = str(item.get("resourceType", ""))
            if kind in counts:
                counts[kind] += int(item.get("count") or 0)
        token = page.get("nextToken")
        if not token:
            break
    return keys.CONFIG_RESOURCE_COUNTS.of(counts)
