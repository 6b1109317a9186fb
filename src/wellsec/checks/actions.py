"""IAM action groups the checks share (each check declares the actions its evidence needs)."""

from __future__ import annotations

from typing import Any

# Importing them registers the collectors whose actions are read below.
from wellsec.collect import baselines, cloudtrail  # noqa: F401
from wellsec.collect.registry import collectors
from wellsec.evidence import Key, keys


def actions_of(key: Key[Any]) -> tuple[str, ...]:
    """The IAM actions of the collector that reads ``key``: a check of that evidence needs
    what its collector calls."""
    (collector,) = collectors.producers(key)
    return collector.actions


# The organization, its roots, OUs and accounts (wellsec.collect.organization).
ORG_STRUCTURE = (
    "organizations:DescribeOrganization",
    "organizations:ListRoots",
    "organizations:ListAccounts",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListAccountsForParent",
)
# Service control policies and their targets.
SCP_ACTIONS = (
    "organizations:ListPolicies",
    "organizations:DescribePolicy",
    "organizations:ListTargetsForPolicy",
)
# Which member accounts administer which services.
DELEGATION_ACTIONS = (
    "organizations:ListDelegatedAdministrators",
    "organizations:ListDelegatedServicesForAccount",
)
# Actions of the collector of StackSets and landing zones (wellsec.collect.baselines).
BASELINE_ACTIONS = actions_of(keys.LANDING_ZONES)
# EventBridge rules and their targets.
EVENT_ACTIONS = ("events:ListRules", "events:ListTargetsByRule")
