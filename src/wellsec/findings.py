"""Finding statuses and the finding record a check returns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """A check's verdict on one resource."""

    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class Severity(StrEnum):
    """How much a failing check matters. INFORMATIONAL never decides a best practice."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFORMATIONAL = "informational"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Scope(StrEnum):
    """Where a check looks: once for the organization, per account, or per account and region."""

    ORG = "org"
    ACCOUNT = "account"
    REGION = "region"
    WORKLOAD = "workload"


@dataclass(frozen=True)
class Finding:
    """One check's verdict on one resource, with what was seen."""

    check: str
    best_practice: str
    status: Status
    severity: Severity
    account: str | None
    region: str | None
    resource: str
    message: str

    def to_dict(self) -> dict[str, str | None]:
        return {
            "check": self.check,
            "best_practice": self.best_practice,
            "status": self.status.value,
            "severity": self.severity.value,
            "account": self.account,
            "region": self.region,
            "resource": self.resource,
            "message": self.message,
        }
