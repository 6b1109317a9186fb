"""Remedies that are CloudFormation templates deployed with StackSets: the trail,
alerting, AWS Config. :mod:`wellsec.fix.detection_remedies` has GuardDuty and Security Hub."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from wellsec.checks.frameworks import catalog
from wellsec.findings import Status
from wellsec.fix import templates_alerting as alerting
from wellsec.fix import templates_config as config
from wellsec.fix.cfn import dump_yaml
from wellsec.fix.model import Artifact, ArtifactKind, Effect, FixOptions, Outcome, Remedy
from wellsec.fix.script_remedies import alert_email
from wellsec.fix.source import ReviewFacts, Row
from wellsec.fix.targets import Deployment, commands, drift_effects, where

NO_RECORDER = ":configuration-recorder"  # the check's resource when a region has no recorder
NOT_RECORDING = " is not recording"  # the check's message for a stopped recorder
NO_RULE = "no active Config rule"
FRAMEWORK = "/framework/"


def artifact(
    remedy: Remedy,
    facts: ReviewFacts,
    parts: Iterable[tuple[Deployment, dict[str, Any]]],
    effects: Iterable[Effect],
    notes: tuple[str, ...] = (),
) -> Artifact | None:
    """Write each template once and deploy it to its places."""
    parts = [(d, body) for d, body in parts if d.places]
    if not parts:
        return None
    deploy = tuple(c for d, _ in parts for c in commands(facts, d))
    places = [p for d, _ in parts for p in d.places]
    return Artifact(
        name=remedy.name,
        kind=ArtifactKind.STACK_SET,
        title=remedy.title,
        order=remedy.order,
        files=tuple(sorted({(d.template_path, dump_yaml(body)) for d, body in parts})),
        effects=tuple(sorted({*effects, *drift_effects(deploy, places)})),
        deploy=deploy,
        where=tuple(
            f"{d.stack}: {line}" if len(parts) > 1 else line
            for d, _ in parts
            for line in where(facts, d)
        ),
        notes=notes,
    )


def places_of(rows: Iterable[Row]) -> frozenset[tuple[str, str]]:
    return frozenset((r.account, r.region) for r in rows if r.account and r.region)


def pass_effects(rows: Iterable[Row]) -> list[Effect]:
    return [Effect(r.check, r.account, r.region, r.resource, Outcome.PASS) for r in rows]


def deploy_to(remedy: Remedy, places: frozenset[tuple[str, str]], **extra: Any) -> Deployment:
    name = extra.pop("name", remedy.name)
    return Deployment(name, f"templates/{name}.yaml", remedy.title, places, **extra)


def one_stack(
    remedy: Remedy,
    facts: ReviewFacts,
    places: frozenset[tuple[str, str]],
    body: dict[str, Any],
    effects: Iterable[Effect],
    **extra: Any,
) -> Artifact | None:
    """One template, deployed to ``places`` (``extra`` as for :func:`deploy_to`)."""
    return artifact(remedy, facts, [(deploy_to(remedy, places, **extra), body)], effects)


def where_failing(template: Callable[[], dict[str, Any]]) -> Any:
    """A builder deploying ``template`` in each failing account and region, whose findings
    it then passes."""

    def build(
        remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
    ) -> Artifact | None:
        return one_stack(remedy, facts, places_of(rows), template(), pass_effects(rows))

    return build


def trail(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    places = frozenset((r.account, facts.home_region) for r in rows if r.account)
    return one_stack(remedy, facts, places, alerting.trail_template(), pass_effects(rows))


def _alerting(
    remedy: Remedy,
    facts: ReviewFacts,
    options: FixOptions,
    rows: list[Row],
    places: frozenset[tuple[str, str]],
    body: dict[str, Any],
) -> Artifact | None:
    """``body`` deployed to ``places`` with the alert address, when there is one."""
    email = alert_email(facts, options)
    if email is None:
        return None
    alert = (("AlertEmail", email),)
    return one_stack(remedy, facts, places, body, pass_effects(rows), parameters=alert)


def root_alerting(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    places = frozenset((r.account, region) for r in rows if r.account for region in facts.regions)
    body = alerting.root_alerting_template()
    return _alerting(remedy, facts, options, rows, places, body)


def trail_decided(facts: ReviewFacts, row: Row) -> bool:
    """Root alerting needs a trail: take accounts whose trail is proven or being fixed."""
    return facts.status("cloudtrail_multi_region_logging", row.account, None) in (
        Status.PASS,
        Status.FAIL,
    )


def health_routing(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    body = alerting.health_routing_template()
    return _alerting(remedy, facts, options, rows, places_of(rows), body)


def no_recorder(facts: ReviewFacts, row: Row) -> bool:
    return row.resource.endswith(NO_RECORDER)


def stopped_recorder(facts: ReviewFacts, row: Row) -> bool:
    return NOT_RECORDING in row.message and not row.resource.endswith(NO_RECORDER)


def recording_after_fix(facts: ReviewFacts, account: str, region: str) -> bool:
    """Will a recorder record here once the plan is deployed?"""
    status = facts.status("config_recording_all_resources", account, region)
    if status is Status.PASS:
        return True
    rows = [
        f
        for f in facts.at("config_recording_all_resources", account, region)
        if f.status is Status.FAIL
    ]
    return len(rows) == 1 and (no_recorder(facts, rows[0]) or stopped_recorder(facts, rows[0]))


def recorder(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    places = places_of(rows)
    effects = pass_effects(rows)
    effects += pass_effects(
        g
        for g in facts.failing("config_global_resources_recorded")
        if (g.account, facts.home_region) in places
    )
    body = config.recorder_template(facts.home_region)
    return one_stack(remedy, facts, places, body, effects, iam=True)


def no_rules(facts: ReviewFacts, row: Row) -> bool:
    return row.message.startswith(NO_RULE)


def _needing_recorder(facts: ReviewFacts, rows: list[Row]) -> list[Effect]:
    """Rules and packs evaluate only where Config records: they close a finding where a
    recorder runs after the fix, and leave it no worse elsewhere."""
    return [
        Effect(
            r.check,
            r.account,
            r.region,
            r.resource,
            Outcome.PASS
            if recording_after_fix(facts, str(r.account), str(r.region))
            else Outcome.NO_WORSE,
        )
        for r in rows
    ]


def rules(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    body = config.rules_template()
    return one_stack(remedy, facts, places_of(rows), body, _needing_recorder(facts, rows))


def framework_key(row: Row) -> str:
    return row.resource.rsplit(FRAMEWORK, 1)[-1] if FRAMEWORK in row.resource else ""


def has_pack(facts: ReviewFacts, row: Row) -> bool:
    found = catalog().get(framework_key(row))
    return found is not None and bool(found.packs)


def conformance_packs(
    remedy: Remedy, facts: ReviewFacts, options: FixOptions, rows: list[Row]
) -> Artifact | None:
    bucket = (
        options.pack_bucket or f"wellsec-conformance-packs-{facts.management or 'organization'}"
    )
    parts: list[tuple[Deployment, dict[str, Any]]] = []
    effects: list[Effect] = []
    frameworks = {r.resource: catalog().get(framework_key(r)) for r in rows}
    samples: list[str] = []
    for key in sorted({fw.key for fw in frameworks.values() if fw is not None}):
        fw = catalog().frameworks[key]
        mine = [r for r in rows if (found := frameworks[r.resource]) and found.key == key]
        sample = fw.packs[0]
        samples.append(f"{sample}.yaml")
        body = config.conformance_pack_template(fw.title, sample, f"s3://{bucket}/{sample}.yaml")
        parts.append((deploy_to(remedy, places_of(mine), name=f"conformance-pack-{fw.key}"), body))
        effects += _needing_recorder(facts, mine)
    note = (
        f"Upload AWS's sample conformance pack templates ({', '.join(samples)}; "
        "awslabs/aws-config-rules, "
        f"aws-config-conformance-packs/) to s3://{bucket}/, readable by the organization's "
        "accounts, before deploying. A pack needs a running Config recorder."
    )
    return artifact(remedy, facts, parts, effects, (note,))
