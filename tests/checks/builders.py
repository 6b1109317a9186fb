"""Snapshot builders for check tests: plain evidence data, shaped as the collectors write it.

``OrgBuilder().build()`` is a small, healthy organization on which every registered
check passes (or is not applicable, for the management account):

    r-root1                              FullAWSAccess + Guardrails SCPs attached here
    ├── 111111111111  management         (directly under the root)
    ├── ou-root-workloads  "Workloads"
    │   └── ou-wkld-prod   "Prod"
    │       └── 222222222222  payments-prod
    └── ou-root-security   "Security"
        └── 333333333333  security       (delegated admin for GuardDuty and Security Hub)

Tests then change one piece of evidence (``set_unavailable`` and friends) and look
at what the checks say. Nothing here mocks wellsec code.
"""

from __future__ import annotations

import datetime as dt
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from wellsec.checks.registry import CheckContext, Verdict, checks
from wellsec.checks.runner import run_checks
from wellsec.evidence import Unavailable
from wellsec.findings import Finding, Scope
from wellsec.lens import Lens, load_lens
from wellsec.snapshot import AccountRole, AccountSnapshot, AccountStatus, Snapshot
from wellsec.workload import Attestation, Workload

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()

MGMT = "111111111111"
MEMBER = "222222222222"
SECURITY = "333333333333"
OUTSIDER = "444444444444"  # never scanned

ROOT = "r-root1"
OU_WORKLOADS = "ou-root-workloads"
OU_PROD = "ou-wkld-prod"
OU_SECURITY = "ou-root-security"

REGIONS = ["eu-west-1", "us-east-1"]
HOME = "eu-west-1"
FULL_ACCESS_ID = "p-FullAWSAccess"


@cache
def lens() -> Lens:
    return load_lens()


def unavailable(
    reason: str = "denied by an SCP", operation: str = "iam:Operation", code: str | None = None
) -> Unavailable:
    return Unavailable(reason, operation, code)


def workload(**changes: Any) -> Workload:
    """The workload under review: the two member accounts, in the two scanned regions."""
    fields: dict[str, Any] = {
        "name": "payments",
        "accounts": [MEMBER, SECURITY],
        "regions": list(REGIONS),
    }
    fields.update(changes)
    return Workload(**fields)


def every_attestation(today: dt.date = TODAY) -> list[Attestation]:
    """A fresh attestation for every attestation the built-in lens asks for."""
    return [
        Attestation(id=spec.id, by="ciso@example.com", date=today - dt.timedelta(days=1))
        for bp in lens().best_practices
        for spec in bp.attestations
    ]


# --- SCP statements -------------------------------------------------------------------------

DENY_LEAVE_ORG: dict[str, Any] = {
    "Sid": "DenyLeave",
    "Effect": "Deny",
    "Action": "organizations:LeaveOrganization",
    "Resource": "*",
}
DENY_ROOT: dict[str, Any] = {
    "Sid": "DenyRoot",
    "Effect": "Deny",
    "Action": "*",
    "Resource": "*",
    "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
}
DENY_OTHER_REGIONS: dict[str, Any] = {
    "Sid": "DenyOtherRegions",
    "Effect": "Deny",
    "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*", "cloudfront:*"],
    "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}},
}
GUARDRAILS = [DENY_LEAVE_ORG, DENY_ROOT, DENY_OTHER_REGIONS]


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


# --- per-account evidence -------------------------------------------------------------------


def log_group_arn(owner: str, name: str = "org-trail-logs") -> str:
    return f"arn:aws:logs:{HOME}:{owner}:log-group:{name}:*"


def topic_arn(owner: str) -> str:
    return f"arn:aws:sns:{HOME}:{owner}:security-alerts"


def trail(owner: str, *, log_group_owner: str | None = None, **changes: Any) -> dict[str, Any]:
    """A multi-region trail, logging management events, delivering to CloudWatch Logs."""
    value: dict[str, Any] = {
        "name": "org-trail",
        "arn": f"arn:aws:cloudtrail:{HOME}:{owner}:trail/org-trail",
        "home_region": HOME,
        "multi_region": True,
        "organization_trail": True,
        "log_group_arn": log_group_arn(log_group_owner or owner),
        "is_logging": True,
        "management_events": True,
    }
    value.update(changes)
    return value


def alarm(owner: str, *, actions_enabled: bool = True, confirmed: Any = 1) -> dict[str, Any]:
    return {
        "name": "root-usage",
        "actions_enabled": actions_enabled,
        "topics": {topic_arn(owner): confirmed},
    }


def root_filter(alarms: Any) -> dict[str, Any]:
    """A metric filter matching root activity, with its metric's alarms (or Unavailable)."""
    return {
        "name": "root-usage",
        "pattern": '{ $.userIdentity.type = "Root" }',
        "metrics": [{"name": "RootUsage", "namespace": "CISBenchmark", "alarms": alarms}],
    }


def owned_alerting(owner: str, filters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"owner_account": owner, "region": HOME, "filters": filters}


def foreign_alerting(owner: str) -> dict[str, Any]:
    """What the collector records for a log group in another account."""
    return {"owner_account": owner, "filters": None}


def credential_row(
    password_last_used: str = "no_information",
    key1_last_used: str = "N/A",
    key2_last_used: str = "N/A",
    *,
    key1_active: str = "false",
    key2_active: str = "false",
    password_enabled: str = "true",
) -> dict[str, str]:
    """The root row of a credential report, as ``parse_root_row`` keeps it.

    ``password_enabled`` is ``true``/``false`` as commercial AWS writes it for the root
    user (``not_supported`` in GovCloud and older reports).
    """
    changed = "2024-01-01T00:00:00+00:00" if password_enabled == "true" else "N/A"
    return {
        "arn": "arn:aws:iam::000000000000:root",
        "password_enabled": password_enabled,
        "password_last_used": password_last_used,
        "password_last_changed": changed,
        "mfa_active": "true",
        "access_key_1_active": key1_active,
        "access_key_1_last_used_date": key1_last_used,
        "access_key_2_active": key2_active,
        "access_key_2_last_used_date": key2_last_used,
    }


def iso(when: dt.datetime) -> str:
    return when.isoformat()


def healthy_evidence(account_id: str) -> dict[str, Any]:
    """Account-wide evidence on which every account-scope check passes."""
    group = log_group_arn(account_id)
    return {
        "iam.account_summary": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0},
        "iam.root_virtual_mfa": {"assigned": False, "serials": []},
        "iam.root_credentials": credential_row(iso(NOW - dt.timedelta(days=400))),
        "account.security_contact": {
            "type": "SECURITY",
            "has_email": True,
            "has_phone": True,
            "has_name": True,
        },
        "ec2.regions": [
            {"name": "af-south-1", "opt_in_status": "not-opted-in"},
            {"name": "eu-west-1", "opt_in_status": "opt-in-not-required"},
            {"name": "us-east-1", "opt_in_status": "opt-in-not-required"},
        ],
        "cloudtrail.trails": [trail(account_id)],
        "logs.root_metric_alerting": {
            group: owned_alerting(account_id, [root_filter([alarm(account_id)])])
        },
        "scan.skipped_regions": [],
    }


def healthy_regions() -> dict[str, dict[str, Any]]:
    return {region: {"events.root_rules": []} for region in REGIONS}


def event_rule(
    name: str = "root-activity", *, enabled: bool = True, targets: Any = None
) -> dict[str, Any]:
    return {
        "name": name,
        "arn": f"arn:aws:events:{HOME}:{MEMBER}:rule/{name}",
        "enabled": enabled,
        "targets": [topic_arn(MEMBER)] if targets is None else targets,
    }


# --- the organization -----------------------------------------------------------------------


@dataclass
class OrgBuilder:
    """An organization and the accounts scanned in it. Methods return ``self`` to chain."""

    management: str = MGMT
    feature_set: str = "ALL"
    scp_enabled: bool = True
    features: list[str] = field(
        default_factory=lambda: ["RootCredentialsManagement", "RootSessions"]
    )
    ous: dict[str, dict[str, str]] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    scps: list[dict[str, Any]] = field(default_factory=list)
    delegated: list[dict[str, Any]] = field(default_factory=list)
    stack_sets: list[dict[str, Any]] = field(default_factory=list)
    landing_zones: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[AccountSnapshot] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> OrgBuilder:
        """An organization with only the FullAWSAccess SCP on the root and no accounts."""
        return cls().attach_scp("FullAWSAccess", [], ROOT, policy_id=FULL_ACCESS_ID, managed=True)

    @classmethod
    def standard(cls, *, scan_management: bool = False) -> OrgBuilder:
        """The healthy organization of the module docstring."""
        org = cls.empty()
        org.add_ou(OU_WORKLOADS, "Workloads").add_ou(OU_PROD, "Prod", parent=OU_WORKLOADS)
        org.add_ou(OU_SECURITY, "Security")
        org.add_account(MGMT, "management", scanned=scan_management)
        org.add_account(MEMBER, "payments-prod", parent=OU_PROD)
        org.add_account(SECURITY, "security", parent=OU_SECURITY)
        org.attach_scp("Guardrails", GUARDRAILS, ROOT)
        org.delegate(SECURITY, "guardduty.amazonaws.com", "securityhub.amazonaws.com")
        org.stack_sets.append(
            {"name": "account-baseline", "permission_model": "SERVICE_MANAGED", "region": HOME}
        )
        return org

    def add_ou(self, ou_id: str, name: str, parent: str = ROOT) -> OrgBuilder:
        self.ous[ou_id] = {"name": name, "parent_id": parent}
        return self

    def add_account(
        self,
        account_id: str,
        name: str,
        *,
        parent: str = ROOT,
        scanned: bool = True,
        evidence: dict[str, Any] | None = None,
    ) -> OrgBuilder:
        """An account in the organization; ``scanned`` also puts it in the snapshot."""
        self.parents[account_id] = parent
        self.names[account_id] = name
        if scanned:
            role = AccountRole.MANAGEMENT if account_id == self.management else AccountRole.MEMBER
            self.accounts.append(
                AccountSnapshot(
                    id=account_id,
                    name=name,
                    role=role,
                    evidence=healthy_evidence(account_id) if evidence is None else evidence,
                    regions=healthy_regions(),
                )
            )
        return self

    def attach_scp(
        self,
        name: str,
        statements: list[dict[str, Any]],
        *targets: str,
        policy_id: str | None = None,
        managed: bool = False,
    ) -> OrgBuilder:
        self.scps.append(
            {
                "id": policy_id or f"p-{name.lower()}",
                "name": name,
                "aws_managed": managed,
                "content": policy(*statements),
                "targets": [{"id": t, "type": _target_type(t)} for t in targets],
            }
        )
        return self

    def without_scp(self, name: str) -> OrgBuilder:
        self.scps = [p for p in self.scps if p["name"] != name]
        return self

    def delegate(self, account_id: str, *services: str) -> OrgBuilder:
        self.delegated.append(
            {"account_id": account_id, "name": account_id, "services": sorted(services)}
        )
        return self

    def build(self, regions: list[str] | None = None) -> Snapshot:
        organization = {
            "organization": {
                "in_organization": True,
                "id": "o-example123",
                "arn": f"arn:aws:organizations::{self.management}:organization/o-example123",
                "feature_set": self.feature_set,
                "management_account_id": self.management,
            },
            "roots": [
                {
                    "id": ROOT,
                    "policy_types": [
                        {
                            "type": "SERVICE_CONTROL_POLICY",
                            "status": "ENABLED" if self.scp_enabled else "DISABLED",
                        }
                    ],
                }
            ],
            "accounts": [
                {"id": aid, "name": name, "status": "ACTIVE"} for aid, name in self.names.items()
            ],
            "tree": {"ous": self.ous, "parents": self.parents, "roots": [ROOT]},
            "scps": self.scps,
            "delegated_administrators": self.delegated,
            "organizations_features": {"enabled": sorted(self.features)},
            "stack_sets": self.stack_sets,
            "landing_zones": self.landing_zones,
        }
        return Snapshot(
            created_at=NOW,
            caller_account=self.management,
            regions=list(regions or REGIONS),
            organization=deepcopy(organization),
            accounts=deepcopy(self.accounts),
        )


def _target_type(target: str) -> str:
    if target.startswith("r-"):
        return "ROOT"
    if target.startswith("ou-"):
        return "ORGANIZATIONAL_UNIT"
    return "ACCOUNT"


def standalone_snapshot(account_id: str = MEMBER) -> Snapshot:
    """One account outside any organization, as the collectors record it."""
    return Snapshot(
        created_at=NOW,
        caller_account=account_id,
        regions=list(REGIONS),
        organization={
            "organization": {"in_organization": False},
            "scps": [],
            "delegated_administrators": [],
            "organizations_features": {"enabled": [], "organization": False},
            "stack_sets": [],
            "landing_zones": [],
        },
        accounts=[
            AccountSnapshot(
                id=account_id,
                name="solo",
                role=AccountRole.STANDALONE,
                evidence=healthy_evidence(account_id),
                regions=healthy_regions(),
            )
        ],
    )


# --- editing a snapshot ---------------------------------------------------------------------


def account(snapshot: Snapshot, account_id: str) -> AccountSnapshot:
    found = snapshot.account(account_id)
    assert found is not None, f"account {account_id} is not in the snapshot"
    return found


def set_evidence(
    snapshot: Snapshot,
    key: str,
    value: Any,
    *,
    account_id: str | None = None,
    region: str | None = None,
) -> Any:
    """Set organization evidence (no account), account evidence, or regional evidence."""
    if account_id is None:
        snapshot.organization[key] = value
    elif region is None:
        account(snapshot, account_id).evidence[key] = value
    else:
        account(snapshot, account_id).regions.setdefault(region, {})[key] = value
    return value


def set_unavailable(
    snapshot: Snapshot,
    key: str,
    *,
    account_id: str | None = None,
    region: str | None = None,
    reason: str | None = None,
    operation: str = "iam:Operation",
    code: str | None = "AccessDenied",
) -> Unavailable:
    """Make one evidence key Unavailable; returns it so tests can look for its reason."""
    where = account_id or "organization"
    value = Unavailable(reason or f"{key} denied in {where} by test", operation, code)
    set_evidence(snapshot, key, value, account_id=account_id, region=region)
    return value


def mark_unreachable(snapshot: Snapshot, account_id: str, reason: str) -> AccountSnapshot:
    acct = account(snapshot, account_id)
    acct.status = AccountStatus.UNREACHABLE
    acct.reason = reason
    acct.evidence = {}
    acct.regions = {}
    return acct


# --- running checks -------------------------------------------------------------------------


def context(snapshot: Snapshot, wl: Workload | None = None, now: dt.datetime = NOW) -> CheckContext:
    return CheckContext(snapshot=snapshot, workload=wl or workload(), now=now)


def run(snapshot: Snapshot, wl: Workload | None = None, now: dt.datetime = NOW) -> list[Finding]:
    """Every check, through the runner, as ``wellsec evaluate`` runs them."""
    return run_checks(context(snapshot, wl, now), lens())


def findings_of(
    findings: list[Finding], check_id: str, account_id: str | None = None
) -> list[Finding]:
    return [
        f
        for f in findings
        if f.check == check_id and (account_id is None or f.account == account_id)
    ]


def only(findings: list[Finding], check_id: str, account_id: str | None = None) -> Finding:
    """The single finding of one check (for one account)."""
    mine = findings_of(findings, check_id, account_id)
    assert len(mine) == 1, f"expected one {check_id} finding for {account_id}, got {mine}"
    return mine[0]


def call(
    check_id: str,
    snapshot: Snapshot,
    account_id: str | None = None,
    wl: Workload | None = None,
    now: dt.datetime = NOW,
) -> list[Verdict]:
    """One check's function directly: with an account for account-scope checks."""
    spec = checks.get(check_id)
    ctx = context(snapshot, wl, now)
    if spec.scope is Scope.ORG:
        assert account_id is None, f"{check_id} is an organization check"
        return list(spec.fn(ctx))
    assert account_id is not None, f"{check_id} needs an account"
    return list(spec.fn(ctx, account(snapshot, account_id)))
