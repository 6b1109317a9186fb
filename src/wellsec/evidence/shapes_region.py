"""Shapes of per-region evidence values (see :mod:`wellsec.evidence.keys`)."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict

from wellsec.evidence.shapes import U


class Detector(TypedDict):
    id: str
    status: str | U
    features: dict[str, str]  # protection plan -> status


class GuardDutyOrgConfig(TypedDict):
    administrator: bool
    detector_id: NotRequired[str]
    auto_enable: NotRequired[bool]
    auto_enable_members: NotRequired[str | None]
    member_limit_reached: NotRequired[bool]


class InspectorStatus(TypedDict):
    status: str
    resources: dict[str, str]  # resource type -> status


class LoadBalancer(TypedDict):
    name: str | None
    arn: str | None
    type: str | None


class Instance(TypedDict):
    id: str


class Repository(TypedDict):
    name: str
    scan_on_push: bool


class RecordingGroup(TypedDict):
    all_supported: bool
    include_global: bool
    strategy: str | None
    resource_types: list[str]
    excluded_types: list[str]


class Recorder(RecordingGroup):
    name: str | None
    service_principal: str | None
    recording: bool | U
    last_status: str | None


class ConfigRule(TypedDict):
    name: str | None
    state: str
    owner: str | None
    created_by: str | None


class Aggregator(TypedDict):
    name: str | None
    organization: bool
    all_regions: bool
    regions: list[str]


class ManagedInstance(TypedDict):
    id: str | None
    ping_status: str | None


class Stack(TypedDict):
    name: str | None
    status: str | None
    parent_id: str | None
    drift_status: str | None
    drift_checked: str | None  # ISO 8601


class ScanningRule(TypedDict):
    frequency: str | None
    filters: list[str]


class RegistryScanning(TypedDict):
    scan_type: str
    rules: list[ScanningRule]


class RootRule(TypedDict):
    name: str
    arn: str | None
    enabled: bool
    targets: list[str | None] | U


class SourceRule(RootRule):
    sources: list[str]


class Remediation(TypedDict):
    rule: str
    target: str
    automatic: bool
    resource_type: str | None


class Hub(TypedDict):
    enabled: bool
    arn: NotRequired[str | None]
    subscribed_at: NotRequired[str | None]
    auto_enable_controls: NotRequired[bool | None]
    control_finding_generator: NotRequired[str | None]


class Standard(TypedDict):
    arn: str
    subscription_arn: str
    status: str


class AutomationRule(TypedDict):
    name: str
    arn: str
    enabled: bool


class AggregatorConfig(TypedDict):
    aggregation_region: str
    linking_mode: str
    regions: list[str]


class FindingAggregator(TypedDict):
    arn: str
    aggregation_region: str
    config: AggregatorConfig | U


class ConformancePack(TypedDict):
    name: str
    arn: str
    document: str | None
    state: str | U
    reason: str | None


class Assessment(TypedDict):
    name: str
    compliance_type: str
    status: str


class AuditManager(TypedDict):
    status: str  # ACTIVE, INACTIVE, ... or NOT_OFFERED in the region
    assessments: list[Assessment]
