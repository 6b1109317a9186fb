"""Evidence for the SEC01-BP04 and BP06 checks, shaped as the collectors write it.

``protected(snapshot)`` gives every scanned account of a builders snapshot the evidence on
which those checks pass:

- GuardDuty on in every region, the security account (GuardDuty delegated administrator)
  auto-enabling it for ALL members; Inspector scanning EC2, ECR and Lambda everywhere;
  Shield Advanced active everywhere.
- the member account (payments-prod) runs, in HOME, two instances managed by Systems
  Manager, an ECR repository scanned on push, a Lambda function, a stack checked for
  drift five days ago, a CodePipeline pipeline and an internet-facing ALB.
- Config records all types in every region (global types in HOME only), one active rule
  per region, and the security account holds an organization aggregator in HOME.

Tests then break one piece and look at what the checks say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.checks.builders import (
    HOME,
    MEMBER,
    NOW,
    REGIONS,
    SECURITY,
    OrgBuilder,
    account,
    findings_of,
    run,
    workload,
)
from wellsec.findings import Finding, Status
from wellsec.snapshot import Snapshot
from wellsec.workload import Workload

OTHER = next(r for r in REGIONS if r != HOME)
INSTANCES = ["i-0aaa", "i-0bbb"]
P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE


def detector(status: Any = "ENABLED", **features: str) -> dict[str, Any]:
    return {"id": "d-1", "status": status, "features": dict(features)}


def org_config(members: str | None = "ALL", auto_enable: bool = True) -> dict[str, Any]:
    return {
        "administrator": True,
        "detector_id": "d-1",
        "auto_enable": auto_enable,
        "auto_enable_members": members,
        "member_limit_reached": False,
    }


NOT_ADMIN: dict[str, Any] = {"administrator": False}


def inspector(ec2: str = "ENABLED", ecr: str = "ENABLED", lam: str = "ENABLED") -> dict[str, Any]:
    return {
        "status": "ENABLED",
        "resources": {"ec2": ec2, "ecr": ecr, "lambda": lam, "lambdaCode": "DISABLED"},
    }


def recorder(
    *, recording: Any = True, include_global: bool = False, **changes: Any
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "name": "default",
        "service_principal": None,
        "all_supported": True,
        "include_global": include_global,
        "strategy": "ALL_SUPPORTED_RESOURCE_TYPES",
        "resource_types": [],
        "excluded_types": [],
        "recording": recording,
        "last_status": "SUCCESS",
    }
    value.update(changes)
    return value


def config_rule(name: str = "s3-bucket-public-read-prohibited", **changes: Any) -> dict[str, Any]:
    value = {"name": name, "state": "ACTIVE", "owner": "AWS", "created_by": None}
    value.update(changes)
    return value


def org_aggregator(all_regions: bool = True, regions: list[str] | None = None) -> dict[str, Any]:
    return {
        "name": "organization",
        "organization": True,
        "all_regions": all_regions,
        "regions": regions or [],
    }


def stack(name: str = "payments-network", age_days: int | None = 5, **changes: Any) -> Any:
    checked = None if age_days is None else (NOW - dt.timedelta(days=age_days)).isoformat()
    value = {
        "name": name,
        "status": "UPDATE_COMPLETE",
        "parent_id": None,
        "drift_status": "NOT_CHECKED" if checked is None else "IN_SYNC",
        "drift_checked": checked,
    }
    value.update(changes)
    return value


def region_evidence(account_id: str, region: str) -> dict[str, Any]:
    busy = account_id == MEMBER and region == HOME
    return {
        "guardduty.detectors": [
            detector(S3_DATA_EVENTS="ENABLED", EBS_MALWARE_PROTECTION="ENABLED")
        ],
        "guardduty.organization_configuration": org_config()
        if account_id == SECURITY
        else dict(NOT_ADMIN),
        "inspector2.account_status": inspector(),
        "ec2.running_instances": [{"id": i} for i in INSTANCES] if busy else [],
        "ecr.repositories": [{"name": "payments-api", "scan_on_push": True}] if busy else [],
        "lambda.functions": ["payments-webhook"] if busy else [],
        "elbv2.internet_facing": [
            {"name": "payments-public", "arn": "arn:alb", "type": "application"}
        ]
        if busy
        else [],
        "config.recorders": [recorder(include_global=region == HOME)],
        "config.rules": [config_rule()],
        "config.aggregators": [org_aggregator()]
        if account_id == SECURITY and region == HOME
        else [],
        "ssm.instance_information": [{"id": i, "ping_status": "Online"} for i in INSTANCES]
        if busy
        else [],
        "cloudformation.stacks": [stack()] if busy else [],
        "ecr.registry_scanning": {"scan_type": "BASIC", "rules": []},
        "codepipeline.pipelines": ["payments-deploy"] if busy else [],
        "codebuild.projects": [],
    }


def protected(snapshot: Snapshot) -> Snapshot:
    """Add the passing BP04/BP06 evidence to every scanned account of ``snapshot``."""
    for acct in snapshot.accounts:
        acct.evidence["shield.subscription"] = {"state": "ACTIVE"}
        acct.evidence["cloudfront.distributions"] = []
        for region in REGIONS:
            acct.regions.setdefault(region, {}).update(region_evidence(acct.id, region))
    return snapshot


def healthy() -> Snapshot:
    """The standard organization (two member accounts scanned), protected."""
    return protected(OrgBuilder.standard().build())


def healthy_with_management() -> Snapshot:
    """As :func:`healthy`, with the management account scanned too."""
    return protected(OrgBuilder.standard(scan_management=True).build())


def region_of(snapshot: Snapshot, account_id: str, region: str = HOME) -> dict[str, Any]:
    return account(snapshot, account_id).regions[region]


def put(key: str, value: Any, account_id: str = MEMBER, region: str | None = HOME) -> Any:
    """A change setting one piece of (regional, or account-wide with region None) evidence."""

    def change(snapshot: Snapshot) -> None:
        if region is None:
            account(snapshot, account_id).evidence[key] = value
        else:
            region_of(snapshot, account_id, region)[key] = value

    return change


def everywhere(key: str, value: Any) -> Callable[[Snapshot], None]:
    """A change setting one regional key in every scanned account and region."""

    def change(snapshot: Snapshot) -> None:
        for acct in snapshot.accounts:
            for region in acct.regions:
                acct.regions[region][key] = value

    return change


def both(*changes: Callable[[Snapshot], Any]) -> Callable[[Snapshot], None]:
    def change(snapshot: Snapshot) -> None:
        for one in changes:
            one(snapshot)

    return change


@dataclass(frozen=True)
class Case:
    """One expected verdict: change the protected organization, run every check, look at one.

    Every finding of ``check`` for ``account`` (and ``region``; None for account and
    organization checks) must have ``status``, and one message must contain ``says``.
    """

    name: str
    check: str
    status: Status
    change: Callable[[Snapshot], Any] = lambda s: None
    says: str = ""
    account: str | None = MEMBER
    region: str | None = HOME
    workload: Workload | None = None
    build: Callable[[], Snapshot] = healthy


def judge(case: Case) -> list[Finding]:
    snapshot = case.build()
    case.change(snapshot)
    found = [
        f
        for f in findings_of(run(snapshot, case.workload or workload()), case.check, case.account)
        if f.region == case.region
    ]
    assert found, f"{case.check} produced no finding"
    assert {f.status for f in found} == {case.status}, [f.message for f in found]
    assert any(case.says in f.message for f in found), [f.message for f in found]
    return found


def covered(cases: list[Case], status: Status) -> set[str]:
    return {c.check for c in cases if c.status is status}
