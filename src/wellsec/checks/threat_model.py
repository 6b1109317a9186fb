"""SEC01-BP07 Identify and prioritize risks using a threat model.

These checks read no AWS evidence: they judge the threat models ``wellsec.yaml``
declares (``threat_model:``), read once at evaluation time into
``CheckContext.threat_models`` by :func:`wellsec.attest.threat_model.load_reports`.
They are workload checks: one verdict per declared document, filed under no account.
The ``threat_model_maintained`` attestation keeps its own finding; these checks use
it only where a document cannot speak for itself (a URL, a file with no git history).
"""

from __future__ import annotations

from collections.abc import Iterator

from wellsec.attest.threat_composer import Completeness
from wellsec.attest.threat_model import RefKind, ReportState, ThreatModelReport, ref_kind
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.verdicts import failed, not_applicable, passed
from wellsec.findings import Scope, Severity, Status
from wellsec.workload import Attestation

BP = "SEC01-BP07"
ATTESTATION = "threat_model_maintained"
EVIDENCE = ("threat_model",)  # local documents: no collector, no IAM action
MAX_LABELS = 5


def _resource(ctx: CheckContext) -> str:
    return f"workload/{ctx.workload.name}/threat_model"


def _declared(ctx: CheckContext) -> Iterator[tuple[str, ThreatModelReport | None]]:
    """Each declared reference with its report (None if it was not read)."""
    reports = {r.ref: r for r in ctx.threat_models if isinstance(r, ThreatModelReport)}
    for ref in ctx.workload.threat_model:
        yield ref, reports.get(ref)


def _not_read(ref: str) -> Verdict:
    return Verdict(Status.UNKNOWN, ref, f"{ref} was not read at evaluation time")


def _vouching(ctx: CheckContext) -> Attestation | None:
    """The attestation, when it may speak for a document wellsec cannot read."""
    found = ctx.workload.attestation(ATTESTATION)
    today = ctx.now.date()
    if found is None or found.date > today or (found.expires and found.expires < today):
        return None
    return found


@checks.register(
    id="threat_model_present",
    title="A threat model of the workload is declared and readable",
    best_practice=BP,
    scope=Scope.WORKLOAD,
    severity=Severity.HIGH,
    evidence=EVIDENCE,
    iam_actions=(),
    remediation="Model the workload's threats (for example in Threat Composer), keep the "
    "export (*.tc.json) next to the code, and list it under threat_model: in wellsec.yaml.",
)
def threat_model_present(ctx: CheckContext) -> Iterator[Verdict]:
    if not ctx.workload.threat_model:
        yield failed(_resource(ctx), "no threat model declared in wellsec.yaml (threat_model:)")
        return
    for ref, report in _declared(ctx):
        if report is None:
            yield _not_read(ref)
            continue
        yield _presence(ctx, report)


def _presence(ctx: CheckContext, report: ThreatModelReport) -> Verdict:
    ref = report.ref
    if report.state is ReportState.VALID:
        assert report.completeness is not None
        name = f" {report.name!r}" if report.name else ""
        return passed(
            ref, f"Threat Composer export{name} with {report.completeness.threats} threats"
        )
    if report.state is ReportState.INVALID:
        return failed(ref, f"invalid Threat Composer export: {report.problem}")
    if report.state is ReportState.MISSING:
        return failed(ref, f"declared threat model not found: {ref}")
    if report.state is ReportState.UNREADABLE:
        return Verdict(Status.UNKNOWN, ref, f"threat model exists but {report.problem}")
    if report.state is ReportState.FOUND:
        return passed(
            ref,
            f"document found: {ref} (not a Threat Composer export: its contents are not "
            f"assessed; the {ATTESTATION} attestation speaks for them)",
        )
    attestation = _vouching(ctx)
    if attestation is None:
        return Verdict(
            Status.UNKNOWN,
            ref,
            f"{ref} cannot be checked offline, and no valid {ATTESTATION} attestation "
            "vouches for it",
        )
    return passed(
        ref,
        f"{ref} cannot be checked offline; relying on the {ATTESTATION} attestation by "
        f"{attestation.by} on {attestation.date}",
    )


@checks.register(
    id="threat_model_complete",
    title="The threat model prioritises its threats and mitigates the open ones",
    best_practice=BP,
    scope=Scope.WORKLOAD,
    severity=Severity.MEDIUM,
    evidence=EVIDENCE,
    iam_actions=(),
    remediation="Give every threat a Priority and STRIDE categories, link each open threat "
    "to at least one mitigation, and remove links to deleted threats or mitigations.",
)
def threat_model_complete(ctx: CheckContext) -> Iterator[Verdict]:
    if not ctx.workload.threat_model:
        yield not_applicable(_resource(ctx), "no threat model declared")
        return
    declared = list(_declared(ctx))
    assessed = False
    for ref, report in declared:
        if report is None and _is_threat_composer(ref):
            yield _not_read(ref)
            assessed = True
        elif report is not None and report.completeness is not None:
            yield _completeness(ref, report.completeness)
            assessed = True
    if assessed:
        return
    if any(_is_threat_composer(ref) for ref, _ in declared):
        message = "no valid Threat Composer export to assess (see threat_model_present)"
    else:
        message = (
            "completeness is assessed in Threat Composer exports (*.tc.json) only; "
            f"for the declared documents the {ATTESTATION} attestation speaks"
        )
    yield not_applicable(_resource(ctx), message)


def _is_threat_composer(ref: str) -> bool:
    return ref_kind(ref) is RefKind.THREAT_COMPOSER


def _labels(labels: tuple[str, ...]) -> str:
    shown = ", ".join(labels[:MAX_LABELS])
    extra = len(labels) - MAX_LABELS
    return f"{shown} and {extra} more" if extra > 0 else shown


def _figures(c: Completeness) -> str:
    priorities = ", ".join(f"{n} {p}" for p, n in c.by_priority)
    share = c.resolved_share
    resolved = (
        f"{c.mitigations_resolved} of {c.mitigations} mitigations resolved ({share:.0%})"
        if share is not None
        else "no mitigations"
    )
    return f"{c.threats} threats ({priorities}); {c.open_threats} open; {resolved}"


def _gap(labels: tuple[str, ...], one: str, many: str) -> str:
    n = len(labels)
    return f"{n} {one if n == 1 else many} ({_labels(labels)})"


def _completeness(ref: str, c: Completeness) -> Verdict:
    gaps: list[str] = []
    if c.threats == 0:
        gaps.append("no threats")
    if c.open_unmitigated:
        gap = _gap(c.open_unmitigated, "open threat", "open threats") + " without a mitigation"
        if c.open_unmitigated_high:
            gap += f", {len(c.open_unmitigated_high)} of them High"
        gaps.append(gap)
    if c.without_priority:
        gaps.append(_gap(c.without_priority, "threat", "threats") + " without a Priority")
    if c.without_stride:
        gaps.append(_gap(c.without_stride, "threat", "threats") + " without STRIDE categories")
    if c.dangling_links:
        gaps.append(_gap(c.dangling_links, "dangling link", "dangling links"))
    if gaps:
        return failed(ref, "; ".join(gaps) + f"; {_figures(c)}")
    return passed(
        ref,
        "every threat prioritised and STRIDE-tagged, every open threat mitigated, "
        f"no dangling links; {_figures(c)}",
    )


@checks.register(
    id="threat_model_current",
    title="The threat model changed within the workload's review cadence",
    best_practice=BP,
    scope=Scope.WORKLOAD,
    severity=Severity.MEDIUM,
    evidence=EVIDENCE,
    iam_actions=(),
    remediation="Review the threat model at least once per review cadence and when the "
    "architecture changes; commit the updated export (or record the review as the "
    "threat_model_maintained attestation when the model is not in git).",
)
def threat_model_current(ctx: CheckContext) -> Iterator[Verdict]:
    if not ctx.workload.threat_model:
        yield not_applicable(_resource(ctx), "no threat model declared")
        return
    dated = False
    for ref, report in _declared(ctx):
        if report is None:
            yield _not_read(ref)
        elif report.state is ReportState.MISSING:
            continue
        else:
            yield _currency(ctx, report)
        dated = True
    if not dated:
        yield not_applicable(
            _resource(ctx), "no declared threat model was found (see threat_model_present)"
        )


def _currency(ctx: CheckContext, report: ThreatModelReport) -> Verdict:
    ref, today = report.ref, ctx.now.date()
    cadence = ctx.workload.review_cadence_days
    if report.last_commit is not None:
        when = report.last_commit.date()
        source = f"last commit {when}"
    else:
        attestation = ctx.workload.attestation(ATTESTATION)
        why = report.git_note or "no git history"
        if attestation is None:
            return Verdict(
                Status.UNKNOWN,
                ref,
                f"cannot tell when {ref} last changed ({why}), and there is no "
                f"{ATTESTATION} attestation",
            )
        when = attestation.date
        source = f"{why}; {ATTESTATION} attested by {attestation.by} on {when}"
    age = (today - when).days
    if age < 0:
        return failed(ref, f"{source}: dated in the future")
    if age > cadence:
        return failed(ref, f"{source}, {age} days ago; the review cadence is {cadence} days")
    return passed(ref, f"{source}, {age} days ago, within the {cadence}-day review cadence")
