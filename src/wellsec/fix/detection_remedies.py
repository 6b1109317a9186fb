"""StackSet remedies for threat detection and findings: GuardDuty and Security Hub."""

from __future__ import annotations

from wellsec.findings import Status
from wellsec.fix import templates_detection as detection
from wellsec.fix.model import Artifact, Effect, FixOptions, Outcome, Remedy
from wellsec.fix.script_remedies import security_admin
from wellsec.fix.source import ReviewFacts, Row
from wellsec.fix.stackset_remedies import (
    artifact,
    deploy_to,
    one_stack,
    pass_effects,
    places_of,
    where_failing,
)


def no_detector(facts: ReviewFacts, row: Row) -> bool:
    return row.resource.endswith(":detector")


detector = where_failing(detection.detector_template)


def hub(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    places = places_of(rows)
    effects = pass_effects(rows)
    for check in ("securityhub_fsbp_enabled", "securityhub_auto_enable_controls"):
        effects += [
            Effect(f.check, f.account, f.region, f.resource, Outcome.PASS)
            for f in facts.findings
            if f.check == check and (f.account, f.region) in places
        ]
    return one_stack(remedy, facts, places, detection.hub_template(), effects)


def hub_enabled(facts: ReviewFacts, row: Row) -> bool:
    return facts.status("securityhub_enabled", row.account, row.region) is Status.PASS


fsbp = where_failing(detection.fsbp_template)


def securityhub_admin(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    """Delegate Security Hub to the security account, auto-enable it for new accounts, and
    aggregate every region's findings there, which the members' aggregation checks accept."""
    admin, management = security_admin(facts, options), facts.management
    delegation = [r for r in rows if r.check == "security_services_delegated"]
    if admin is None or management is None or admin == management or not delegation:
        return None
    regions = facts.regions
    parts = [
        (
            deploy_to(
                remedy,
                frozenset((management, r) for r in regions),
                name="securityhub-delegated-admin",
                parameters=(("AdminAccountId", admin),),
            ),
            detection.delegated_admin_template(admin),
        ),
        (
            deploy_to(
                remedy,
                frozenset((admin, r) for r in regions),
                name="securityhub-organization",
                auto_deploy=False,
            ),
            detection.organization_template(),
        ),
    ]
    if facts.status("securityhub_cross_region_aggregation", admin, None) is not Status.PASS:
        parts.append(
            (
                deploy_to(
                    remedy,
                    frozenset({(admin, facts.home_region)}),
                    name="securityhub-aggregator",
                    auto_deploy=False,
                ),
                detection.aggregator_template(),
            )
        )
    effects = pass_effects(rows)
    # The administrator's automation rules act on members' findings from now on.
    effects += [
        Effect(f.check, f.account, f.region, f.resource, Outcome.NO_WORSE)
        for f in facts.findings
        if f.check == "automated_response_configured"
    ]
    return artifact(remedy, facts, parts, effects)


def securityhub_delegation(facts: ReviewFacts, row: Row) -> bool:
    return row.check != "security_services_delegated" or row.resource == "securityhub.amazonaws.com"
