"""IAM action groups the checks share (each check declares the actions its evidence needs)."""

from __future__ import annotations

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
BASELINE_ACTIONS = (
    "organizations:DescribeOrganization",
    "ec2:DescribeRegions",
    "cloudformation:ListStackSets",
    "cloudformation:ListStackInstances",
    "controltower:ListLandingZones",
    "controltower:GetLandingZone",
    "controltower:ListEnabledBaselines",
)
# EventBridge rules and their targets.
EVENT_ACTIONS = ("events:ListRules", "events:ListTargetsByRule")
