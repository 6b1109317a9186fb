"""The workload under review and people's attestations, read from ``wellsec.yaml``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from wellsec.errors import WorkloadError
from wellsec.limits import LimitExceeded, load_yaml, read_limited

AccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
Region = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")]
DEFAULT_ROLE = "OrganizationAccountAccessRole"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Attestation(_Strict):
    """A person's statement of a fact no API shows."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{3,128}$")]
    by: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    date: dt.date
    evidence: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = None
    expires: dt.date | None = None
    note: Annotated[str, StringConstraints(max_length=2048)] | None = None

    @model_validator(mode="after")
    def _expiry_after_date(self) -> Attestation:
        if self.expires is not None and self.expires < self.date:
            raise ValueError("expires is before date")
        return self

    def expiry(self, max_age_days: int) -> dt.date:
        """The day it stops counting: ``expires``, or ``date`` plus the lens's maximum age."""
        return self.expires or self.date + dt.timedelta(days=max_age_days)


class Workload(_Strict):
    """What is reviewed. Empty ``accounts`` and ``ous`` mean every active account."""

    name: Annotated[str, StringConstraints(min_length=3, max_length=100)]
    environment: Literal["production", "preproduction"] = "production"
    owner: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    description: Annotated[str, StringConstraints(max_length=250)] | None = None
    accounts: list[AccountId] = []
    ous: list[Annotated[str, StringConstraints(min_length=1, max_length=128)]] = []
    exclude_accounts: list[AccountId] = []
    regions: list[Region] = []
    compliance: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{2,40}$")]] = []
    internet_facing: bool | None = None  # None: detect from CloudFront and public load balancers
    threat_model: list[Annotated[str, StringConstraints(min_length=1, max_length=1024)]] = []
    review_cadence_days: Annotated[int, Field(ge=1, le=3650)] = 180
    root_unused_days: Annotated[int, Field(ge=1, le=3650)] = 90
    role_name: Annotated[str, StringConstraints(pattern=r"^[\w+=,.@/-]{1,64}$")] = DEFAULT_ROLE
    attestations: list[Attestation] = []

    def attestation(self, attestation_id: str) -> Attestation | None:
        """The newest attestation with that id, if any."""
        found = [a for a in self.attestations if a.id == attestation_id]
        return max(found, key=lambda a: a.date) if found else None


def default_workload(name: str = "default-workload") -> Workload:
    return Workload(name=name)


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_workload(data: Any, path: str | Path = "<workload>") -> Workload:
    """Validate workload data: flat, or ``workload:`` plus a top-level ``attestations:`` list."""
    if not isinstance(data, dict):
        raise WorkloadError(path, "expected a mapping at the top level")
    prefix: tuple[int | str, ...] = ()
    body: Any = data
    if "workload" in data:
        extra = sorted(set(data) - {"workload", "attestations"})
        if extra:
            raise WorkloadError(path, f"unknown top-level key {extra[0]!r}")
        if not isinstance(data["workload"], dict):
            raise WorkloadError(path, "expected a mapping", where="workload")
        body = dict(data["workload"])
        if "attestations" in data:
            body["attestations"] = data["attestations"]
        prefix = ("workload",)
    try:
        return Workload.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        if prefix and loc[:1] != ("attestations",):
            loc = prefix + loc
        msg = re.sub(r"^Value error, ", "", err["msg"])
        raise WorkloadError(path, msg, where=_where(loc)) from None


def load_workload(path: str | Path) -> Workload:
    """Read and validate a ``wellsec.yaml``; raise :class:`WorkloadError` with file and place."""
    p = Path(path)
    try:
        text = read_limited(p).decode("utf-8")
    except LimitExceeded as exc:
        raise WorkloadError(p, str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkloadError(p, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = load_yaml(text)
    except LimitExceeded as exc:
        raise WorkloadError(p, str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise WorkloadError(p, f"not valid YAML: {problem}", where) from None
    workload = parse_workload(data, p)
    # Threat-model paths are relative to the workload file.
    resolved = [
        ref if "://" in ref or Path(ref).is_absolute() else str((p.parent / ref).resolve())
        for ref in workload.threat_model
    ]
    return workload.model_copy(update={"threat_model": resolved})
