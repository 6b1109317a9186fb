"""What ``wellsec fix`` hands back: artifacts, where they go, and which findings they close.

A remedy turns failing findings into one :class:`Artifact`: the files to write, the
exact commands that deploy them, and the :class:`Effect` each has on the next review.
The plan is pure data; :mod:`wellsec.fix.writer` puts it on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wellsec.errors import InputError


class FixError(InputError):
    """The review cannot be turned into fixes (wrong schema, a value no command may carry)."""


class ArtifactKind(StrEnum):
    """What an artifact is, which decides how it is deployed."""

    SCP = "scp"  # a policy document and the AWS::Organizations::Policy template attaching it
    STACK_SET = "stack-set"  # a CloudFormation template deployed with a service-managed StackSet
    COMMANDS = "commands"  # API calls with no CloudFormation resource, in the reviewed script
    STARTER = "starter"  # a document for people to complete


class Outcome(StrEnum):
    """What the next review shows for a finding an artifact acts on."""

    PASS = "PASS"
    NOT_APPLICABLE = "NOT_APPLICABLE"  # the question no longer applies once deployed
    NO_WORSE = "NO_WORSE"  # the deployment touches the evidence; the status stays or passes


@dataclass(frozen=True, order=True)
class Effect:
    """One finding (or every finding of a check at a place) an artifact changes."""

    check: str
    account: str | None
    region: str | None
    resource: str | None  # None: every finding of the check in that account and region
    outcome: Outcome

    def covers(self, check: str, account: str | None, region: str | None, resource: str) -> bool:
        return (
            self.check == check
            and self.account == account
            and self.region == region
            and (self.resource is None or self.resource == resource)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "account": self.account,
            "region": self.region,
            "resource": self.resource,
            "outcome": self.outcome.value,
        }


@dataclass(frozen=True)
class AwsCommand:
    """One API call as the AWS CLI makes it: boto3 service and operation names, API
    member names and values, and the account and region whose credentials it needs."""

    service: str  # boto3 name, e.g. "config"
    operation: str  # API name, e.g. "StartConfigurationRecorder"
    params: tuple[tuple[str, Any], ...]
    account: str
    region: str
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "operation": self.operation,
            "params": {k: v for k, v in self.params},
            "account": self.account,
            "region": self.region,
        }


@dataclass(frozen=True)
class Artifact:
    """One remedy's output."""

    name: str  # stable, file-name safe: "health-event-routing"
    kind: ArtifactKind
    title: str
    order: int  # deployment order (lower first)
    files: tuple[tuple[str, str], ...] = ()  # (path relative to the output dir, content)
    effects: tuple[Effect, ...] = ()
    deploy: tuple[AwsCommand, ...] = ()  # run in the management account, in order
    script: tuple[AwsCommand, ...] = ()  # for the reviewed commands script
    where: tuple[str, ...] = ()  # where it lands, one line per target group
    notes: tuple[str, ...] = ()

    @property
    def closes(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.outcome is not Outcome.NO_WORSE)


@dataclass(frozen=True)
class Unremedied:
    """A failing check wellsec has no automated remedy for, with what people should do."""

    check: str
    places: tuple[str, ...]
    remediation: str


@dataclass(frozen=True)
class Refusal:
    """A failing finding a remedy would take but cannot: a value from AWS that the API
    would not accept or that no command can carry safely. The rest of the plan goes on."""

    check: str
    account: str | None
    account_name: str  # from AWS: hostile, escape wherever it is shown
    region: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "account": self.account,
            "region": self.region,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class FixPlan:
    """Everything ``wellsec fix`` writes, in deployment order."""

    workload: str
    review_generated_at: str
    management_account: str | None
    artifacts: tuple[Artifact, ...]
    unremedied: tuple[Unremedied, ...] = field(default=())
    refused: tuple[Refusal, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable plan (``plan.json``)."""
        return {
            "schema": "wellsec.fix/1",
            "workload": self.workload,
            "review_generated_at": self.review_generated_at,
            "management_account": self.management_account,
            "artifacts": [
                {
                    "name": a.name,
                    "kind": a.kind.value,
                    "title": a.title,
                    "order": a.order,
                    "files": [path for path, _ in a.files],
                    "effects": [e.to_dict() for e in a.effects],
                    "deploy": [c.to_dict() for c in a.deploy],
                    "script": [c.to_dict() for c in a.script],
                    "where": list(a.where),
                }
                for a in self.artifacts
            ],
            "unremedied": [
                {"check": u.check, "places": list(u.places), "remediation": u.remediation}
                for u in self.unremedied
            ],
            "refused": [r.to_dict() for r in self.refused],
        }


@dataclass(frozen=True)
class FixOptions:
    """What the review cannot tell and people choose."""

    alert_email: str | None = None  # default: the workload owner, when it is an address
    security_account: str | None = None  # default: the delegated security administrator
    contact_name: str = "Security team"
    contact_title: str = "Security"
    contact_email: str | None = None  # default: the alert address
    contact_phone: str | None = None  # no default: a security contact needs a real number
    pack_bucket: str | None = None  # default: wellsec-conformance-packs-<management account>


@dataclass(frozen=True)
class Remedy:
    """One row of the remedy table: which failing findings it takes and how it answers."""

    name: str
    kind: ArtifactKind
    title: str
    order: int
    checks: tuple[str, ...]
    # (remedy, facts, options, rows) -> Artifact | None; None when it cannot be generated
    build: Callable[..., Artifact | None]
    # (facts, row) -> bool: which failing findings of ``checks`` it takes
    select: Callable[..., bool] = field(default=lambda _facts, _row: True)
    # (row) -> why the row cannot be remedied (a name AWS would refuse...), or None
    refuse: Callable[..., str | None] = field(default=lambda _row: None)
