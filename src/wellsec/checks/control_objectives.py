"""SEC01-BP03 Identify and validate control objectives.

The workload declares its compliance frameworks (``compliance:`` in wellsec.yaml). Each is
validated continuously when, in every scanned region of every account, a Security Hub
standard or an AWS Config conformance pack for it is running. ``data/frameworks.json`` maps
framework keys to both, and says where AWS offers neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wellsec.checks.actions import DELEGATION_ACTIONS
from wellsec.checks.frameworks import Framework, catalog, standard_name
from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.verdicts import failed, hub_resource, need, not_applicable, passed, unknown
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.evidence.shapes_region import Assessment
from wellsec.findings import Scope, Severity, Status
from wellsec.snapshot import AccountSnapshot, AccountStatus

BP = "SEC01-BP03"
READY_STANDARD = frozenset({"READY", "INCOMPLETE"})  # INCOMPLETE: some controls failed to enable
DEPLOYED_PACK = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE"})
STANDARD_ACTIONS = ("securityhub:DescribeHub", "securityhub:GetEnabledStandards")
PACK_ACTIONS = ("config:DescribeConformancePacks", "config:DescribeConformancePackStatus")
AUDIT_ACTIONS = ("auditmanager:GetAccountStatus", "auditmanager:ListAssessments")
FSBP = "fsbp"
AUDIT_MANAGER_PRINCIPAL = "auditmanager.amazonaws.com"


def declared(ctx: CheckContext) -> list[str]:
    return list(dict.fromkeys(ctx.workload.compliance))


def framework_resource(account: AccountSnapshot, region: str, key: str) -> str:
    return f"arn:aws:::{account.id}/{region}/framework/{key}"


def _validated_by(
    fw: Framework, standards: Any, packs: Any
) -> tuple[list[str], Unavailable | None]:
    """What validates ``fw`` here (standards and deployed packs) and the first doubt."""
    found: list[str] = []
    doubt: Unavailable | None = None
    if is_unavailable(standards):
        doubt = standards
    else:
        found += [
            f"Security Hub standard {standard_name(s['arn'])} ({s['status']})"
            for s in standards
            if fw.matches_standard(s["arn"]) and s.get("status") in READY_STANDARD
        ]
    if is_unavailable(packs):
        doubt = doubt or packs
    else:
        for pack in packs:
            if not fw.matches_pack(pack):
                continue
            state = pack.get("state")
            if is_unavailable(state):
                doubt = doubt or state
            elif state in DEPLOYED_PACK:
                found.append(f"conformance pack {pack['name']}")
    return found, doubt


def _missing(fw: Framework, standards: Any, packs: Any) -> str:
    """Why nothing validates ``fw``: what exists but is not running, and what would do."""
    seen = [
        f"standard {standard_name(s['arn'])} is {s.get('status')}"
        for s in (standards if isinstance(standards, list) else [])
        if fw.matches_standard(s["arn"])
    ] + [
        f"conformance pack {p['name']} is {p.get('state')}"
        for p in (packs if isinstance(packs, list) else [])
        if fw.matches_pack(p)
    ]
    if seen:
        return "; ".join(seen)
    ways = []
    if fw.standards:
        ways.append("no enabled Security Hub standard")
    else:
        ways.append("Security Hub has no standard for it")
    ways.append("no deployed conformance pack" if fw.pack_contains else "no conformance pack")
    return " and ".join(ways)


@checks.register(
    id="control_objectives_validated",
    title="Each declared compliance framework is validated by a Security Hub standard or a "
    "Config conformance pack",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.HIGH,
    evidence=(keys.SECURITYHUB_STANDARDS, keys.CONFIG_CONFORMANCE_PACK_DEPLOYMENTS),
    iam_actions=("securityhub:GetEnabledStandards", "securityhub:DescribeHub", *PACK_ACTIONS),
    remediation="Declare the workload's frameworks under compliance: in wellsec.yaml, then "
    "enable the matching Security Hub standard (or deploy the framework's conformance pack) in "
    "every account and region of the workload, e.g. through Security Hub central configuration "
    "or an organization conformance pack.",
)
def control_objectives_validated(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    frameworks = declared(ctx)
    if not frameworks:
        yield not_applicable(
            hub_resource(account, region),
            "no compliance framework is declared for the workload: declare them under "
            "compliance: in wellsec.yaml (e.g. [cis, pci-dss]) so their controls are validated",
        )
        return
    standards = account.region_get(region, keys.SECURITYHUB_STANDARDS)
    packs = account.region_get(region, keys.CONFIG_CONFORMANCE_PACK_DEPLOYMENTS)
    for key in frameworks:
        resource = framework_resource(account, region, key)
        fw = catalog().get(key)
        if fw is None:
            known = ", ".join(sorted(catalog().frameworks))
            yield Verdict(
                Status.UNKNOWN,
                resource,
                f"{key}: wellsec knows no Security Hub standard or conformance pack for this "
                f"framework (known: {known}); validate it by attestation",
            )
            continue
        found, doubt = _validated_by(fw, standards, packs)
        if found:
            yield passed(resource, f"{key} ({fw.title}) validated by " + "; ".join(found))
        elif doubt is not None:
            yield unknown(resource, doubt, f"{key} ({fw.title})")
        else:
            why = _missing(fw, standards, packs)
            yield failed(resource, f"{key} ({fw.title}) is not validated in {region}: {why}")


@checks.register(
    id="securityhub_fsbp_enabled",
    title="Security Hub runs AWS Foundational Security Best Practices",
    best_practice=BP,
    scope=Scope.REGION,
    severity=Severity.MEDIUM,
    evidence=(keys.SECURITYHUB_HUB, keys.SECURITYHUB_STANDARDS),
    iam_actions=STANDARD_ACTIONS,
    remediation="Enable the AWS Foundational Security Best Practices standard in Security Hub "
    "in every account and region (central configuration applies it organization-wide).",
)
def securityhub_fsbp_enabled(
    ctx: CheckContext, account: AccountSnapshot, region: str
) -> Iterator[Verdict]:
    resource = hub_resource(account, region)
    hub = account.region_get(region, keys.SECURITYHUB_HUB)
    if isinstance(hub, dict) and not hub.get("enabled"):
        yield failed(resource, f"Security Hub is not enabled in {region}, so FSBP is not running")
        return
    standards = need(account.region_get(region, keys.SECURITYHUB_STANDARDS), resource)
    fsbp = catalog().frameworks[FSBP]
    mine = [s for s in standards if fsbp.matches_standard(s["arn"])]
    ready = [s for s in mine if s.get("status") in READY_STANDARD]
    if ready:
        yield passed(resource, f"FSBP is enabled ({ready[0]['status']})")
    elif mine:
        yield failed(resource, f"FSBP is {mine[0].get('status')}, not running")
    else:  # listed standards are a fact even when DescribeHub could not be read
        yield failed(resource, "FSBP is not enabled")


def _assessments(ctx: CheckContext) -> tuple[list[tuple[str, str, Assessment]], list[Any]]:
    """Active assessments of every scanned account and region, and what could not be read."""
    found: list[tuple[str, str, Assessment]] = []
    doubts: list[Any] = []
    note = ctx.snapshot.organization.get("scan_note")
    if isinstance(note, str):  # the account list or the OUs unreadable: accounts not seen
        unread = ctx.snapshot.unresolved_scope()
        doubts.append(unread or Unavailable(note, "organizations:ListAccounts"))
    doubts += _unscanned_admins(ctx)
    # Supporting accounts too: the Audit Manager administrator holds the assessments.
    for account in ctx.snapshot.everywhere:
        if account.status is AccountStatus.UNREACHABLE and account.purpose:
            continue  # a supporting account matters only as an administrator (above)
        if account.status is AccountStatus.UNREACHABLE:
            doubts.append(
                Unavailable(
                    f"account {account.id} could not be scanned: {account.reason}",
                    "auditmanager:ListAssessments",
                )
            )
            continue
        for region in sorted(account.regions):
            value = account.region_get(region, keys.AUDITMANAGER_ASSESSMENTS)
            if is_unavailable(value):
                doubts.append(value)
                continue
            found += [
                (account.id, region, a)
                for a in value.get("assessments", [])
                if a.get("status") == "ACTIVE"
            ]
    return found, doubts


def _unscanned_admins(ctx: CheckContext) -> list[Unavailable]:
    """Audit Manager delegated administrators (where assessments usually live) not scanned."""
    delegated = ctx.snapshot.org_get(keys.DELEGATED_ADMINISTRATORS)
    if is_unavailable(delegated):
        return [delegated]
    # An unreachable workload account is reported as such below; a supporting one here.
    scanned = {a.id for a in ctx.snapshot.accounts} | {
        a.id for a in ctx.snapshot.supporting if a.status is AccountStatus.SCANNED
    }
    return [
        Unavailable(
            f"Audit Manager administrator {d['account_id']} was not scanned",
            "auditmanager:ListAssessments",
        )
        for d in delegated
        if AUDIT_MANAGER_PRINCIPAL in d.get("services", []) and d["account_id"] not in scanned
    ]


@checks.register(
    id="audit_manager_assessment",
    title="An Audit Manager assessment collects evidence for each audited framework",
    best_practice=BP,
    scope=Scope.ORG,
    severity=Severity.INFORMATIONAL,
    evidence=(keys.AUDITMANAGER_ASSESSMENTS, keys.DELEGATED_ADMINISTRATORS),
    iam_actions=(*AUDIT_ACTIONS, *DELEGATION_ACTIONS),
    remediation="Set up AWS Audit Manager (in a delegated administrator account) and create an "
    "assessment from the framework's prebuilt Audit Manager framework, scoped to the "
    "workload's accounts.",
)
def audit_manager_assessment(ctx: CheckContext) -> Iterator[Verdict]:
    audited = [
        (key, fw)
        for key in declared(ctx)
        if (fw := catalog().get(key)) is not None and fw.needs_audit_evidence
    ]
    workload = f"workload/{ctx.workload.name}"
    if not audited:
        yield not_applicable(
            f"{workload}/compliance",
            "no declared compliance framework calls for audit evidence"
            if ctx.workload.compliance
            else "no compliance framework is declared for the workload",
        )
        return
    found, doubts = _assessments(ctx)
    for key, fw in audited:
        resource = f"{workload}/framework/{key}"
        hits = [(aid, region, a) for aid, region, a in found if fw.matches_assessment(a)]
        if hits:
            aid, region, a = hits[0]
            yield passed(resource, f"{key}: assessment {a['name']!r} is active in {aid}/{region}")
        elif doubts:
            yield unknown(resource, doubts[0], f"{key}: no active assessment seen")
        else:
            yield failed(resource, f"{key} ({fw.title}): no active Audit Manager assessment")
