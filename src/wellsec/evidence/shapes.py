"""Shapes of organization and account evidence values (see :mod:`wellsec.evidence.keys`).

Field types follow what the collectors write; ``U`` marks the places where a collector
writes an :class:`Unavailable` inside a value that was otherwise read. Values read with
``.get()`` from an AWS reply that may omit them are ``str | None``.
"""

from __future__ import annotations

from typing import Any, NotRequired

from pydantic import InstanceOf
from typing_extensions import TypedDict

from wellsec.evidence.unavailable import Unavailable

U = InstanceOf[Unavailable]


# -- organization ----------------------------------------------------------------------


class Organization(TypedDict):
    in_organization: bool
    id: NotRequired[str | None]
    arn: NotRequired[str | None]
    feature_set: NotRequired[str | None]
    management_account_id: NotRequired[str | None]


class PolicyType(TypedDict):
    type: str | None
    status: str | None


class Root(TypedDict):
    id: str
    policy_types: list[PolicyType]


class OrgAccount(TypedDict):
    id: str
    name: str
    status: str


class OrgUnit(TypedDict):
    name: str
    parent_id: str


class Tree(TypedDict):
    ous: dict[str, OrgUnit]
    parents: dict[str, str]  # account or OU id -> parent id
    roots: list[str]
    unread: NotRequired[dict[str, U]]  # parent id -> why its children could not be read


class PolicyTarget(TypedDict):
    id: str
    type: str | None


class Scp(TypedDict):
    id: str
    name: str
    aws_managed: bool
    content: dict[str, Any]  # the policy document ({"unparsed": text} when not JSON)
    targets: list[PolicyTarget]


class DelegatedAdministrator(TypedDict):
    account_id: str
    name: str
    services: list[str]


class OrganizationsFeatures(TypedDict):
    enabled: list[str]
    off: NotRequired[str]  # why centralized root access cannot be on
    organization: NotRequired[bool]  # False outside any organization


class StackSet(TypedDict):
    name: str
    permission_model: str | None
    region: str


class StackInstance(TypedDict):
    account: str
    region: str
    status: str


class StackSetInstances(StackSet):
    instances: list[StackInstance] | U


class StackSetRegions(TypedDict):
    call_as: str
    read: list[str]
    unread: dict[str, U]


class LandingZone(TypedDict):
    arn: str
    region: str
    status: NotRequired[str | None]
    governed_regions: list[str] | U
    enrolled_ous: list[str] | U


class LandingZoneRegions(TypedDict):
    read: list[str]
    unread: dict[str, U]
    not_offered: list[str]


# -- account ---------------------------------------------------------------------------


class AccountSummary(TypedDict):
    AccountMFAEnabled: int
    AccountAccessKeysPresent: int


class RootCredentials(TypedDict):
    """The root row of the IAM credential report (the report's own strings)."""

    arn: str
    password_enabled: str
    password_last_used: str
    password_last_changed: str
    mfa_active: str
    access_key_1_active: str
    access_key_1_last_used_date: str
    access_key_2_active: str
    access_key_2_last_used_date: str


class RootVirtualMfa(TypedDict):
    assigned: bool
    serials: list[str]


class SecurityContact(TypedDict):
    type: str | None
    has_email: bool
    has_phone: bool
    has_name: bool


class Region(TypedDict):
    name: str
    opt_in_status: str


class Trail(TypedDict):
    name: str
    arn: str
    home_region: str
    multi_region: bool
    organization_trail: bool
    log_group_arn: str | None
    is_logging: bool | U
    management_events: bool | U


class Alarm(TypedDict):
    name: str | None
    actions_enabled: bool
    topics: dict[str, int | U]  # SNS topic ARN -> confirmed subscriptions


class Metric(TypedDict):
    name: str | None
    namespace: str | None
    alarms: list[Alarm] | U


class MetricFilter(TypedDict):
    name: str | None
    pattern: str
    metrics: list[Metric]


class LogGroupAlerting(TypedDict):
    owner_account: str
    region: NotRequired[str]
    filters: list[MetricFilter] | None  # None: the log group is in another account
    missing: NotRequired[bool]  # the log group does not exist


class ShieldSubscription(TypedDict):
    state: str


class Distribution(TypedDict):
    id: str | None
    domain: str | None
    enabled: bool


class TrustedAdvisor(TypedDict):
    subscription: bool
    checks: NotRequired[int]
    security_checks: NotRequired[list[str]]
