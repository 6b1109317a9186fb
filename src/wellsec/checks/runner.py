"""Run every registered check over a snapshot, and turn attestations into findings."""

from __future__ import annotations

from dataclasses import replace

from wellsec.checks import catalog, review_calendar
from wellsec.checks.practices import check_practices
from wellsec.checks.region_scps import RegionDenial, scp_denied_regions
from wellsec.checks.registry import CheckContext, CheckSpec, Verdict
from wellsec.evidence import Unavailable
from wellsec.findings import Finding, Scope, Severity, Status
from wellsec.lens.model import Lens
from wellsec.snapshot import AccountSnapshot, AccountStatus

ATTESTATION_PREFIX = "attest."


def _finding(
    spec: CheckSpec, practice: str, verdict: Verdict, account: str | None, region: str | None
) -> Finding:
    return Finding(
        check=spec.id,
        best_practice=practice,
        status=verdict.status,
        severity=spec.severity,
        account=account,
        region=region,
        resource=verdict.resource,
        message=verdict.message,
    )


def _unreachable(spec: CheckSpec, practice: str, account: AccountSnapshot) -> Finding:
    message = f"account could not be scanned: {account.reason}"
    verdict = Verdict(Status.UNKNOWN, f"arn:aws:::{account.id}", message)
    return _finding(spec, practice, verdict, account.id, None)


def without_denied_regions(ctx: CheckContext) -> tuple[CheckContext, list[RegionDenial]]:
    """The context the checks see: each account's regions minus those the organization's
    own region-deny SCP refused to the scan (they are out of bounds, not unknown). The
    snapshot itself keeps the raw AccessDenied answers."""
    denials = {a.id: scp_denied_regions(ctx.snapshot, a) for a in ctx.snapshot.accounts}
    if not any(denials.values()):
        return ctx, []
    accounts = [
        replace(a, regions={r: e for r, e in a.regions.items() if r not in denials[a.id]})
        for a in ctx.snapshot.accounts
    ]
    found = [d for a in ctx.snapshot.accounts for _, d in sorted(denials[a.id].items())]
    return replace(ctx, snapshot=replace(ctx.snapshot, accounts=accounts)), found


def _denied(spec: CheckSpec, practice: str, denial: RegionDenial) -> Finding:
    message = f"{denial.describe()}: the scan's calls there were refused (AccessDenied)"
    verdict = Verdict(Status.NOT_APPLICABLE, f"arn:aws:::{denial.account_id}", message)
    return _finding(spec, practice, verdict, denial.account_id, denial.region)


def _unresolved(spec: CheckSpec, practice: str, ctx: CheckContext, why: Unavailable) -> Finding:
    """An account check over a scope that could not be resolved: accounts it should
    have judged may be missing, so what was judged cannot make the practice met."""
    verdict = Verdict(Status.UNKNOWN, f"workload/{ctx.workload.name}/scope", why.describe())
    return _finding(spec, practice, verdict, None, None)


def run_checks(ctx: CheckContext, lens: Lens) -> list[Finding]:
    """Findings of every check that serves a practice of the lens, filed under that practice.

    Account and regional checks run on the workload's accounts only, never on the
    supporting accounts (those are read for organization-level evidence)."""
    practices = check_practices(lens)
    ctx, denials = without_denied_regions(ctx)
    snapshot = ctx.snapshot
    org_account = snapshot.management_account_id or snapshot.caller_account
    unresolved = snapshot.unresolved_scope()
    findings: list[Finding] = []
    for spec in catalog.load().all():
        bp = practices.get(spec.id)
        if bp is None:
            continue
        if unresolved is not None and spec.scope in {Scope.ACCOUNT, Scope.REGION}:
            findings.append(_unresolved(spec, bp, ctx, unresolved))
        if spec.scope is Scope.ORG:
            findings += [_finding(spec, bp, v, org_account, None) for v in spec.fn(ctx)]
            continue
        if spec.scope is Scope.WORKLOAD:  # about the workload's documents: no account
            findings += [_finding(spec, bp, v, None, None) for v in spec.fn(ctx)]
            continue
        for account in snapshot.accounts:
            if account.status is AccountStatus.UNREACHABLE:
                findings.append(_unreachable(spec, bp, account))
            elif spec.scope is Scope.ACCOUNT:
                findings += [_finding(spec, bp, v, account.id, None) for v in spec.fn(ctx, account)]
            else:
                for region in sorted(account.regions):
                    findings += [
                        _finding(spec, bp, v, account.id, region)
                        for v in spec.fn(ctx, account, region)
                    ]
                findings += [_denied(spec, bp, d) for d in denials if d.account_id == account.id]
    findings += attestation_findings(ctx, lens)
    return findings


def attestation_findings(ctx: CheckContext, lens: Lens) -> list[Finding]:
    """One workload-level finding per attestation the lens asks for."""
    today = ctx.now.date()
    replaced = review_calendar.superseded(ctx.review_history)
    out: list[Finding] = []
    for bp in lens.best_practices:
        for spec in bp.attestations:
            found = ctx.workload.attestation(spec.id)
            resource = f"workload/{ctx.workload.name}/attestation/{spec.id}"
            if spec.id in replaced:
                status = Status.NOT_APPLICABLE
                message = "superseded by the review history (see review_calendar_kept)"
            elif found is None:
                status, message = Status.FAIL, f"not yet answered: {spec.statement}"
            elif found.date > today:
                status, message = Status.FAIL, f"dated in the future ({found.date})"
            elif found.expiry(spec.max_age_days) < today:
                status = Status.FAIL
                message = f"attestation by {found.by} expired on {found.expiry(spec.max_age_days)}"
            else:
                status = Status.PASS
                until = found.expiry(spec.max_age_days)
                message = f"attested by {found.by} on {found.date}, valid until {until}"
                if found.evidence:
                    message += f"; evidence: {found.evidence}"
            out.append(
                Finding(
                    check=ATTESTATION_PREFIX + spec.id,
                    best_practice=bp.id,
                    status=status,
                    severity=Severity.MEDIUM,
                    account=None,
                    region=None,
                    resource=resource,
                    message=message,
                )
            )
    return out


def all_checks() -> list[CheckSpec]:
    """Every check of the package's modules."""
    return catalog.load().all()
