"""Collectors: AWS Config recording, rules, conformance packs, aggregators; SSM coverage;
CloudFormation drift; ECR scanning; pipelines (BP06).

Conformance packs deploy ordinary Config rules (``CreatedBy`` names the conformance
pack service), so ``DescribeConfigRules`` shows both; no separate call is needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wellsec.aws.calls import Reader
from wellsec.collect import detection_inventory  # noqa: F401  (registers the inventory)
from wellsec.collect.registry import Item, collectors
from wellsec.evidence import is_unavailable, keys
from wellsec.evidence import shapes_region as r
from wellsec.snapshot import Evidence

CONFIG_RECORDER_ACTIONS = (
    "config:DescribeConfigurationRecorders",
    "config:DescribeConfigurationRecorderStatus",
)


def _recording_group(group: dict[str, Any]) -> r.RecordingGroup:
    strategy = (group.get("recordingStrategy") or {}).get("useOnly")
    return {
        "all_supported": bool(group.get("allSupported")),
        "include_global": bool(group.get("includeGlobalResourceTypes")),
        "strategy": strategy,
        "resource_types": sorted(group.get("resourceTypes") or []),
        "excluded_types": sorted(
            (group.get("exclusionByResourceTypes") or {}).get("resourceTypes") or []
        ),
    }


@collectors.register(keys=(keys.CONFIG_RECORDERS,), actions=CONFIG_RECORDER_ACTIONS)
def config_recorders(reader: Reader, region: str) -> Evidence:
    recorders = reader.call("config", region, "DescribeConfigurationRecorders")
    if is_unavailable(recorders):
        return keys.CONFIG_RECORDERS.of(recorders)
    listed = recorders.get("ConfigurationRecorders", [])
    statuses: Any = {}
    if listed:
        reply = reader.call("config", region, "DescribeConfigurationRecorderStatus")
        statuses = (
            reply
            if is_unavailable(reply)
            else {s.get("name"): s for s in reply.get("ConfigurationRecordersStatus", [])}
        )
    found: list[r.Recorder] = []
    for recorder in listed:
        status: Any = statuses if is_unavailable(statuses) else statuses.get(recorder.get("name"))
        found.append(
            {
                "name": recorder.get("name"),
                "service_principal": recorder.get("servicePrincipal"),
                **_recording_group(recorder.get("recordingGroup") or {}),
                "recording": status
                if is_unavailable(status)
                else bool((status or {}).get("recording")),
                "last_status": None if is_unavailable(status) else (status or {}).get("lastStatus"),
            }
        )
    return keys.CONFIG_RECORDERS.of(found)


@collectors.listing(keys.CONFIG_RULES, "config:DescribeConfigRules", "ConfigRules")
def config_rules(rule: Item) -> r.ConfigRule:
    return {
        "name": rule.get("ConfigRuleName"),
        "state": rule.get("ConfigRuleState", "ACTIVE"),
        "owner": (rule.get("Source") or {}).get("Owner"),
        "created_by": rule.get("CreatedBy"),
    }


@collectors.register(
    keys=(keys.CONFIG_AGGREGATORS,), actions=("config:DescribeConfigurationAggregators",)
)
def config_aggregators(reader: Reader, region: str) -> Evidence:
    aggregators = reader.paginate(
        "config", region, "DescribeConfigurationAggregators", "ConfigurationAggregators"
    )
    if is_unavailable(aggregators):
        return keys.CONFIG_AGGREGATORS.of(aggregators)
    found: list[r.Aggregator] = []
    for agg in aggregators:
        org = agg.get("OrganizationAggregationSource")
        sources = agg.get("AccountAggregationSources") or []
        source = org or (sources[0] if sources else {})
        found.append(
            {
                "name": agg.get("ConfigurationAggregatorName"),
                "organization": org is not None,
                "all_regions": bool(source.get("AllAwsRegions")),
                "regions": sorted(source.get("AwsRegions") or []),
            }
        )
    return keys.CONFIG_AGGREGATORS.of(found)


@collectors.listing(
    keys.SSM_INSTANCE_INFORMATION, "ssm:DescribeInstanceInformation", "InstanceInformationList"
)
def ssm_instances(info: Item) -> r.ManagedInstance:
    return {"id": info.get("InstanceId"), "ping_status": info.get("PingStatus")}


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    return str(value) if value else None


@collectors.listing(keys.CLOUDFORMATION_STACKS, "cloudformation:DescribeStacks", "Stacks")
def cloudformation_stacks(stack: Item) -> r.Stack:
    """Every live stack with its drift information, from one paginated list call."""
    drift = stack.get("DriftInformation") or {}
    return {
        "name": stack.get("StackName"),
        "status": stack.get("StackStatus"),
        "parent_id": stack.get("ParentId"),
        "drift_status": drift.get("StackDriftStatus"),
        "drift_checked": _iso(drift.get("LastCheckTimestamp")),
    }


@collectors.register(
    keys=(keys.ECR_REGISTRY_SCANNING,), actions=("ecr:GetRegistryScanningConfiguration",)
)
def ecr_registry_scanning(reader: Reader, region: str) -> Evidence:
    reply = reader.call("ecr", region, "GetRegistryScanningConfiguration")
    if is_unavailable(reply):
        return keys.ECR_REGISTRY_SCANNING.of(reply)
    config = reply.get("scanningConfiguration") or {}
    return keys.ECR_REGISTRY_SCANNING.of(
        {
            "scan_type": config.get("scanType", "BASIC"),
            "rules": [
                {
                    "frequency": rule.get("scanFrequency"),
                    "filters": [
                        str(f.get("filter", ""))
                        for f in rule.get("repositoryFilters") or []
                        if f.get("filterType", "WILDCARD") == "WILDCARD"
                    ],
                }
                for rule in config.get("rules") or []
            ],
        }
    )


@collectors.register(
    keys=(keys.CODEPIPELINE_PIPELINES, keys.CODEBUILD_PROJECTS),
    actions=("codepipeline:ListPipelines", "codebuild:ListProjects"),
)
def delivery_pipelines(reader: Reader, region: str) -> Evidence:
    pipelines = reader.paginate("codepipeline", region, "ListPipelines", "pipelines")
    projects = reader.paginate("codebuild", region, "ListProjects", "projects")
    return {
        **keys.CODEPIPELINE_PIPELINES.of(
            pipelines
            if is_unavailable(pipelines)
            else sorted(str(p.get("name")) for p in pipelines)
        ),
        **keys.CODEBUILD_PROJECTS.of(
            projects if is_unavailable(projects) else sorted(str(p) for p in projects)
        ),
    }
