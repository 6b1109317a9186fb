"""The remedy table: which failing checks wellsec answers with which artifact.

Each row names the checks whose failing findings it takes, an optional selector (for
checks whose failures need different answers: a missing recorder gets a template, a
stopped one a start command), and the builder. Order is deployment order: the commands
script first (it starts what templates build on), then guardrails, then the StackSets
in dependency order (a trail before the alerts that need it), then starters.
"""

from __future__ import annotations

from wellsec.findings import Status
from wellsec.fix import detection_remedies as detect
from wellsec.fix import names
from wellsec.fix import script_remedies as cmd
from wellsec.fix import stackset_remedies as stack
from wellsec.fix.model import Artifact, ArtifactKind, FixOptions, Remedy
from wellsec.fix.scp import SCPS, scp_artifact
from wellsec.fix.source import ReviewFacts, Row
from wellsec.fix.starters import THREAT_MODEL_CHECKS, attestation_artifact, threat_model_artifact

C, S, T, P = ArtifactKind.COMMANDS, ArtifactKind.SCP, ArtifactKind.STACK_SET, ArtifactKind.STARTER


def _scp(remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]) -> Artifact:
    return scp_artifact(SCPS[remedy.checks[0]], facts, rows, remedy.order)


def _threat_model(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact:
    return threat_model_artifact(facts, rows, remedy.order)


def _attestations(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact:
    return attestation_artifact(rows, remedy.order)


def _guardduty_rows(facts: ReviewFacts, row: Row) -> bool:
    return row.check != "security_services_delegated" or row.resource == "guardduty.amazonaws.com"


def _is_attestation(facts: ReviewFacts, row: Row) -> bool:
    return row.check.startswith("attest.")


REMEDIES: tuple[Remedy, ...] = (
    Remedy("scp-policy-type", C, "Enable service control policies", 10,
           ("org_scps_enabled",), cmd.scp_policy_type, refuse=names.refuse_root),
    Remedy("security-contacts", C, "Register security alternate contacts", 11,
           ("security_contact_registered",), cmd.security_contacts),
    Remedy("centralized-root-access", C, "Enable centralized root access", 12,
           ("centralized_root_access",), cmd.centralized_root_access),
    Remedy("config-start-recorders", C, "Start stopped AWS Config recorders", 13,
           ("config_recording_all_resources",), cmd.start_recorders, stack.stopped_recorder,
           names.refuse_named(names.RECORDER)),
    Remedy("guardduty-resume", C, "Resume suspended GuardDuty detectors", 14,
           ("guardduty_enabled",), cmd.resume_detectors, lambda f, r: not detect.no_detector(f, r),
           names.refuse_named(names.DETECTOR)),
    Remedy("guardduty-organization", C, "GuardDuty administrator and auto-enable", 15,
           ("guardduty_org_auto_enable", "security_services_delegated"), cmd.guardduty_organization,
           _guardduty_rows),
    Remedy("securityhub-auto-enable-controls", C, "Adopt new Security Hub controls automatically",
           16, ("securityhub_auto_enable_controls",),
           cmd.per_place("securityhub", "UpdateSecurityHubConfiguration",
                         [("AutoEnableControls", True)])),
    Remedy("ecr-scan-on-push", C, "Scan every ECR repository on push", 17, ("ecr_image_scanning",),
           cmd.per_place("ecr", "PutRegistryScanningConfiguration",
                         [("scanType", "BASIC"), ("rules", cmd.SCAN_ON_PUSH_EVERYTHING)])),
    Remedy("inspector-scanning", C, "Activate Inspector for EC2, ECR and Lambda", 18,
           ("inspector_scans_used_resources",), cmd.inspector_scanning),
    Remedy("scp-deny-outside-regions", S, SCPS["regions_restricted_by_scp"].title, 20,
           ("regions_restricted_by_scp",), _scp),
    Remedy("scp-deny-root-user", S, SCPS["scp_denies_root_actions"].title, 21,
           ("scp_denies_root_actions",), _scp),
    Remedy("scp-deny-leave-organization", S, SCPS["scp_denies_leave_organization"].title, 22,
           ("scp_denies_leave_organization",), _scp),
    Remedy("scp-protect-detective-controls", S, SCPS["custom_scp_applied"].title, 23,
           ("custom_scp_applied",), _scp),
    Remedy("cloudtrail-trail", T, "Multi-region CloudTrail trail", 30,
           ("cloudtrail_multi_region_logging",), stack.trail),
    Remedy("config-recorder", T, "AWS Config recorder and delivery channel", 40,
           ("config_recording_all_resources",), stack.recorder, stack.no_recorder),
    Remedy("config-rules", T, "Baseline AWS Config rules", 41,
           ("config_rules_evaluating",), stack.rules, stack.no_rules),
    Remedy("conformance-packs", T, "Conformance packs for the declared frameworks", 42,
           ("control_objectives_validated",), stack.conformance_packs, stack.has_pack),
    Remedy("guardduty-detector", T, "GuardDuty detector", 50,
           ("guardduty_enabled",), detect.detector, detect.no_detector),
    Remedy("securityhub-hub", T, "Security Hub with FSBP and new controls", 51,
           ("securityhub_enabled",), detect.hub),
    Remedy("securityhub-fsbp", T, "Security Hub Foundational Security Best Practices", 52,
           ("securityhub_fsbp_enabled",), detect.fsbp, detect.hub_enabled),
    Remedy("securityhub-admin", T, "Security Hub delegated administrator and aggregation", 53,
           ("security_services_delegated", "securityhub_cross_region_aggregation"),
           detect.securityhub_admin, detect.securityhub_delegation),
    Remedy("root-activity-alerting", T, "Root-activity alerting", 60,
           ("root_usage_alerting",), stack.root_alerting, stack.trail_decided),
    Remedy("health-event-routing", T, "AWS Health event routing", 61,
           ("health_events_routed",), stack.health_routing),
    Remedy("threat-model-starter", P, "Threat Composer skeleton for the workload", 90,
           THREAT_MODEL_CHECKS, _threat_model),
    Remedy("attestation-stubs", P, "Attestation stubs for wellsec.yaml", 91,
           (), _attestations, _is_attestation),
)  # fmt: skip


def rows_for(remedy: Remedy, facts: ReviewFacts) -> list[Row]:
    """The failing findings a remedy takes."""
    if remedy.checks:
        found = [r for check in remedy.checks for r in facts.failing(check)]
    else:
        found = [r for r in facts.findings if r.status is Status.FAIL]
    return [r for r in found if remedy.select(facts, r)]
