"""Every evidence key, declared once: its name, level, shape and what it holds.

Collectors write these keys (``collect/*.py`` declares them with ``keys=(...)``), checks
read them (``account.get(keys.IAM_ACCOUNT_SUMMARY)`` is ``AccountSummary | Unavailable``),
and the snapshot codec checks each saved value's shape (:meth:`Key.checked`).
The annotation of each key and its ``shape`` argument name the same type (a meta-test
checks it).
"""

from __future__ import annotations

from typing import Any

from wellsec.evidence import shapes as s
from wellsec.evidence import shapes_region as r
from wellsec.evidence.key import Key, Level
from wellsec.evidence.unavailable import Unavailable

ORG, ACCOUNT, REGION = Level.ORGANIZATION, Level.ACCOUNT, Level.REGION

# -- organization (read once, from the management account or a delegated administrator)

ORGANIZATION: Key[s.Organization] = Key(
    "organization", ORG, s.Organization, "the organization, or in_organization false"
)
ROOTS: Key[list[s.Root]] = Key(
    "roots", ORG, list[s.Root], "the organization's roots and their policy types"
)
ACCOUNTS: Key[list[s.OrgAccount]] = Key(
    "accounts", ORG, list[s.OrgAccount], "every account of the organization"
)
TREE: Key[s.Tree] = Key("tree", ORG, s.Tree, "OUs and every account's parent")
SCPS: Key[list[s.Scp]] = Key(
    "scps", ORG, list[s.Scp], "service control policies, their documents and targets"
)
DELEGATED_ADMINISTRATORS: Key[list[s.DelegatedAdministrator]] = Key(
    "delegated_administrators",
    ORG,
    list[s.DelegatedAdministrator],
    "delegated administrator accounts and their services",
)
ORGANIZATIONS_FEATURES: Key[s.OrganizationsFeatures] = Key(
    "organizations_features",
    ORG,
    s.OrganizationsFeatures,
    "IAM's centralized root access features enabled in the organization",
)
STACK_SETS: Key[list[s.StackSet]] = Key(
    "stack_sets", ORG, list[s.StackSet], "active CloudFormation StackSets of every region"
)
STACK_SET_INSTANCES: Key[list[s.StackSetInstances]] = Key(
    "stack_set_instances",
    ORG,
    list[s.StackSetInstances],
    "StackSets with the accounts and regions their stacks were deployed to",
)
STACK_SET_REGIONS: Key[s.StackSetRegions] = Key(
    "stack_set_regions", ORG, s.StackSetRegions, "regions where StackSets were (not) read"
)
LANDING_ZONES: Key[list[s.LandingZone]] = Key(
    "landing_zones", ORG, list[s.LandingZone], "Control Tower landing zones, regions, OUs"
)
LANDING_ZONE_REGIONS: Key[s.LandingZoneRegions] = Key(
    "landing_zone_regions",
    ORG,
    s.LandingZoneRegions,
    "regions where landing zones were (not) looked for",
)
SCAN_NOTE: Key[str] = Key(
    "scan_note",
    ORG,
    str,
    "why the scan read only the caller's account (the organization could not be read)",
    by_scan=True,
)
UNRESOLVED_SCOPE: Key[Unavailable] = Key(
    "unresolved_scope",
    ORG,
    s.U,
    "why accounts of the workload may be missing (its OUs could not be resolved)",
    by_scan=True,
)

# -- account (read once per account, in its home region)

IAM_ACCOUNT_SUMMARY: Key[s.AccountSummary] = Key(
    "iam.account_summary", ACCOUNT, s.AccountSummary, "root MFA and root access keys"
)
IAM_ROOT_CREDENTIALS: Key[s.RootCredentials] = Key(
    "iam.root_credentials", ACCOUNT, s.RootCredentials, "the credential report's root row"
)
IAM_ROOT_VIRTUAL_MFA: Key[s.RootVirtualMfa] = Key(
    "iam.root_virtual_mfa", ACCOUNT, s.RootVirtualMfa, "virtual MFA devices of the root user"
)
ACCOUNT_SECURITY_CONTACT: Key[s.SecurityContact | None] = Key(
    "account.security_contact",
    ACCOUNT,
    s.SecurityContact | None,
    "whether the security alternate contact is set (None: not set)",
)
EC2_REGIONS: Key[list[s.Region]] = Key(
    "ec2.regions", ACCOUNT, list[s.Region], "every region and its opt-in status"
)
CLOUDTRAIL_TRAILS: Key[list[s.Trail]] = Key(
    "cloudtrail.trails", ACCOUNT, list[s.Trail], "trails, whether they log management events"
)
LOGS_ROOT_METRIC_ALERTING: Key[dict[str, s.LogGroupAlerting | Unavailable]] = Key(
    "logs.root_metric_alerting",
    ACCOUNT,
    dict[str, s.LogGroupAlerting | s.U],
    "per trail log group: root-usage metric filters, their alarms and subscribers",
)
SHIELD_SUBSCRIPTION: Key[s.ShieldSubscription] = Key(
    "shield.subscription", ACCOUNT, s.ShieldSubscription, "Shield Advanced subscription"
)
CLOUDFRONT_DISTRIBUTIONS: Key[list[s.Distribution]] = Key(
    "cloudfront.distributions", ACCOUNT, list[s.Distribution], "CloudFront distributions"
)
SUPPORT_TRUSTED_ADVISOR: Key[s.TrustedAdvisor] = Key(
    "support.trusted_advisor",
    ACCOUNT,
    s.TrustedAdvisor,
    "Trusted Advisor's checks (subscription false without a support plan)",
)
SCAN_SKIPPED_REGIONS: Key[list[str]] = Key(
    "scan.skipped_regions",
    ACCOUNT,
    list[str],
    "workload regions not enabled in the account (not scanned)",
    by_scan=True,
)

# -- region (read per account and scanned region)

GUARDDUTY_DETECTORS: Key[list[r.Detector]] = Key(
    "guardduty.detectors", REGION, list[r.Detector], "GuardDuty detectors and their plans"
)
GUARDDUTY_ORGANIZATION_CONFIGURATION: Key[r.GuardDutyOrgConfig | None] = Key(
    "guardduty.organization_configuration",
    REGION,
    r.GuardDutyOrgConfig | None,
    "GuardDuty's organization auto-enable (None: no detector)",
)
INSPECTOR2_ACCOUNT_STATUS: Key[r.InspectorStatus] = Key(
    "inspector2.account_status", REGION, r.InspectorStatus, "Inspector per resource type"
)
ELBV2_INTERNET_FACING: Key[list[r.LoadBalancer]] = Key(
    "elbv2.internet_facing", REGION, list[r.LoadBalancer], "internet-facing load balancers"
)
EC2_RUNNING_INSTANCES: Key[list[r.Instance]] = Key(
    "ec2.running_instances", REGION, list[r.Instance], "running EC2 instances"
)
ECR_REPOSITORIES: Key[list[r.Repository]] = Key(
    "ecr.repositories", REGION, list[r.Repository], "ECR repositories, scan on push"
)
LAMBDA_FUNCTIONS: Key[list[str]] = Key(
    "lambda.functions", REGION, list[str], "names of Lambda functions"
)
CONFIG_RECORDERS: Key[list[r.Recorder]] = Key(
    "config.recorders", REGION, list[r.Recorder], "AWS Config recorders and what they record"
)
CONFIG_RULES: Key[list[r.ConfigRule]] = Key(
    "config.rules", REGION, list[r.ConfigRule], "AWS Config rules (conformance packs' too)"
)
CONFIG_AGGREGATORS: Key[list[r.Aggregator]] = Key(
    "config.aggregators", REGION, list[r.Aggregator], "AWS Config aggregators"
)
CONFIG_RESOURCE_COUNTS: Key[dict[str, int]] = Key(
    "config.resource_counts",
    REGION,
    dict[str, int],
    "resources AWS Config discovered, per workload resource type",
)
CONFIG_CONFORMANCE_PACK_DEPLOYMENTS: Key[list[r.ConformancePack]] = Key(
    "config.conformance_pack_deployments",
    REGION,
    list[r.ConformancePack],
    "conformance packs and their deployment state",
)
CONFIG_REMEDIATION_CONFIGURATIONS: Key[list[r.Remediation]] = Key(
    "config.remediation_configurations",
    REGION,
    list[r.Remediation],
    "remediation actions attached to Config rules",
)
SSM_INSTANCE_INFORMATION: Key[list[r.ManagedInstance]] = Key(
    "ssm.instance_information", REGION, list[r.ManagedInstance], "instances SSM manages"
)
CLOUDFORMATION_STACKS: Key[list[r.Stack]] = Key(
    "cloudformation.stacks", REGION, list[r.Stack], "live stacks and their drift"
)
ECR_REGISTRY_SCANNING: Key[r.RegistryScanning] = Key(
    "ecr.registry_scanning", REGION, r.RegistryScanning, "ECR registry scanning rules"
)
CODEPIPELINE_PIPELINES: Key[list[str]] = Key(
    "codepipeline.pipelines", REGION, list[str], "names of CodePipeline pipelines"
)
CODEBUILD_PROJECTS: Key[list[str]] = Key(
    "codebuild.projects", REGION, list[str], "names of CodeBuild projects"
)
EVENTS_ROOT_RULES: Key[list[r.RootRule]] = Key(
    "events.root_rules", REGION, list[r.RootRule], "EventBridge rules matching root activity"
)
EVENTS_HEALTH_RULES: Key[list[r.SourceRule]] = Key(
    "events.health_rules", REGION, list[r.SourceRule], "EventBridge rules for AWS Health"
)
EVENTS_FINDINGS_RULES: Key[list[r.SourceRule]] = Key(
    "events.findings_rules",
    REGION,
    list[r.SourceRule],
    "EventBridge rules for security findings",
)
SECURITYHUB_HUB: Key[r.Hub] = Key(
    "securityhub.hub", REGION, r.Hub, "whether Security Hub is on, and its settings"
)
SECURITYHUB_STANDARDS: Key[list[r.Standard]] = Key(
    "securityhub.standards", REGION, list[r.Standard], "enabled Security Hub standards"
)
SECURITYHUB_AUTOMATION_RULES: Key[list[r.AutomationRule]] = Key(
    "securityhub.automation_rules",
    REGION,
    list[r.AutomationRule],
    "Security Hub automation rules",
)
SECURITYHUB_FINDING_AGGREGATORS: Key[list[r.FindingAggregator]] = Key(
    "securityhub.finding_aggregators",
    REGION,
    list[r.FindingAggregator],
    "cross-region finding aggregators",
)
AUDITMANAGER_ASSESSMENTS: Key[r.AuditManager] = Key(
    "auditmanager.assessments", REGION, r.AuditManager, "Audit Manager status, assessments"
)

# -- local (checks read them from files and the review store, not from AWS)

THREAT_MODEL: Key[Any] = Key(
    "threat_model", Level.LOCAL, Any, "the workload's threat models (wellsec.yaml's files)"
)
REVIEW_HISTORY: Key[Any] = Key(
    "review_history", Level.LOCAL, Any, "when the workload's earlier reviews were recorded"
)

ALL: tuple[Key[Any], ...] = tuple(v for v in list(globals().values()) if isinstance(v, Key))
BY_NAME: dict[str, Key[Any]] = {k.name: k for k in ALL}


def checked(evidence: dict[str, Any]) -> dict[str, Any]:
    """Saved evidence with each known key's value checked against its shape: a value of
    the wrong shape becomes an Unavailable naming the key; unknown keys pass unchanged."""
    return {
        name: BY_NAME[name].checked(value) if name in BY_NAME else value
        for name, value in evidence.items()
    }
