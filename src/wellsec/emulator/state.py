"""Thread-safe state of the gap layer: scenario data, injected faults, counters.

One :class:`GapState` belongs to one :class:`~wellsec.emulator.server.Emulator`.
The WSGI gap layer reads it on every request (from the server's worker
threads) while tests and the scenario builder write it, so every access goes
through one lock and readers get copies, never the live containers.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

MfaKind = Literal["hardware", "virtual"]


@dataclass(frozen=True)
class RootAccessKey:
    """An access key of an account's root user."""

    active: bool = True
    last_used: datetime | None = None
    created: datetime | None = None
    last_used_region: str = "us-east-1"
    last_used_service: str = "iam"


@dataclass(frozen=True)
class RootUser:
    """What the emulator reports about an account's root user.

    ``mfa`` is the kind of MFA device the root user has (None: no MFA);
    ``created`` is the account's creation time (None: when the state was made).
    ``password`` says whether the root user has a password: every account starts
    with one (Organizations sets a random one on accounts it creates), except a
    member created while centralized root access manages root credentials, which
    starts with none; enabling that feature deletes no existing password.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management
    https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access-as-root.html
    ``password_changed`` is when it was last set (None: at ``created``).
    """

    mfa: MfaKind | None = None
    access_keys: tuple[RootAccessKey, ...] = ()
    password_last_used: datetime | None = None
    created: datetime | None = None
    password: bool = True
    password_changed: datetime | None = None


@dataclass
class _Data:
    root_users: dict[str, RootUser] = field(default_factory=dict)
    opted_in: dict[str, frozenset[str]] = field(default_factory=dict)
    org_features: frozenset[str] = frozenset()
    landing_zones: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reports: dict[str, datetime] = field(default_factory=dict)
    blocked_roles: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    extra: dict[tuple[str, str], Any] = field(default_factory=dict)
    fault_specs: list[list[Any]] = field(default_factory=list)  # [FaultSpec, remaining]
    service_seconds: float = 0.0
    credential_expiry: tuple[float, bool] | None = None  # (seconds, announced)
    keys_issued: dict[str, float] = field(default_factory=dict)  # access key -> monotonic
    first_request: float | None = None  # time.monotonic() of the first counted request


class GapState:
    """Scenario data, faults and request counters shared with the gap layer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data = _Data()
        self.created = datetime.now(UTC).replace(microsecond=0)

    # -- scenario data ---------------------------------------------------

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Store scenario data for a gap module (``namespace``), e.g. per account id.

        Values should be immutable (tuples, frozen dataclasses): readers share them.
        """
        with self._lock:
            self._data.extra[(namespace, key)] = value

    def get(self, namespace: str, key: str, default: Any = None) -> Any:
        """Scenario data stored with :meth:`put`, or ``default``."""
        with self._lock:
            return self._data.extra.get((namespace, key), default)

    def set_root_user(self, account_id: str, root: RootUser) -> None:
        """Register what the root user of ``account_id`` looks like."""
        with self._lock:
            self._data.root_users[account_id] = root

    def root_user(self, account_id: str) -> RootUser:
        """The root user of ``account_id`` (no MFA, no keys, never used if unset)."""
        with self._lock:
            root = self._data.root_users.get(account_id)
        return root if root is not None else RootUser(created=self.created)

    def set_opted_in_regions(self, account_id: str, regions: Iterable[str]) -> None:
        """Record the opt-in regions ``account_id`` has enabled."""
        with self._lock:
            self._data.opted_in[account_id] = frozenset(regions)

    def opted_in_regions(self, account_id: str) -> frozenset[str]:
        """The opt-in regions ``account_id`` has enabled (default none)."""
        with self._lock:
            return self._data.opted_in.get(account_id, frozenset())

    def set_organizations_features(self, features: Iterable[str]) -> None:
        """Set the centralized root access features enabled for the organization."""
        with self._lock:
            self._data.org_features = frozenset(features)

    def organizations_features(self) -> frozenset[str]:
        """The enabled centralized root access features."""
        with self._lock:
            return self._data.org_features

    def set_landing_zones(self, account_id: str, arns: Iterable[str]) -> None:
        """Record the Control Tower landing zone ARNs visible to ``account_id``."""
        with self._lock:
            self._data.landing_zones[account_id] = tuple(arns)

    def landing_zones(self, account_id: str) -> tuple[str, ...]:
        """Control Tower landing zone ARNs of ``account_id`` (default none)."""
        with self._lock:
            return self._data.landing_zones.get(account_id, ())

    def note_report_generated(self, account_id: str, when: datetime) -> None:
        """Remember when ``account_id`` last generated its credential report."""
        with self._lock:
            self._data.reports[account_id] = when

    def report_generated(self, account_id: str) -> datetime | None:
        """When ``account_id`` last generated its credential report, if known."""
        with self._lock:
            return self._data.reports.get(account_id)

    # -- faults -----------------------------------------------------------

    def block_assume_role(self, account_id: str) -> None:
        """Make sts:AssumeRole into any role of ``account_id`` fail."""
        with self._lock:
            self._data.blocked_roles.add(account_id)

    def add_fault_spec(self, spec: Any) -> None:
        """Inject a :class:`~wellsec.emulator.faults.FaultSpec`."""
        with self._lock:
            self._data.fault_specs.append([spec, spec.times])

    def take_fault(self, operation: str, account_id: str, region: str, params: Any = None) -> Any:
        """The first injected fault that hits this request (using up one of its times);
        ``params`` are the request's parameters, for faults aimed at one of them."""
        with self._lock:
            for entry in self._data.fault_specs:
                spec, remaining = entry
                if remaining == 0 or not spec.matches(operation, account_id, region, params):
                    continue
                if remaining is not None:
                    entry[1] = remaining - 1
                return spec
        return None

    def clear_faults(self) -> None:
        """Remove every injected fault, assume-role block and credential expiry."""
        with self._lock:
            self._data.fault_specs.clear()
            self._data.blocked_roles.clear()
            self._data.credential_expiry = None
            self._data.keys_issued.clear()

    def expire_credentials(self, seconds: float, *, announced: bool = True) -> None:
        """Make keys issued by sts:AssumeRole from now on expire ``seconds`` after issue.

        ``announced``: AssumeRole's ``Expiration`` says so (else it keeps moto's hour and
        only the ExpiredToken answers tell)."""
        with self._lock:
            self._data.credential_expiry = (seconds, announced)

    def credential_expiry(self) -> tuple[float, bool] | None:
        """The expiry set with :meth:`expire_credentials`, if any."""
        with self._lock:
            return self._data.credential_expiry

    def note_keys_issued(self, access_key: str) -> None:
        """Remember when ``access_key`` was issued."""
        with self._lock:
            self._data.keys_issued[access_key] = time.monotonic()

    def keys_expired(self, access_key: str) -> bool:
        """Whether ``access_key`` was issued longer ago than the credential expiry."""
        with self._lock:
            expiry = self._data.credential_expiry
            issued = self._data.keys_issued.get(access_key)
        return expiry is not None and issued is not None and time.monotonic() - issued > expiry[0]

    def is_denied(self, operation: str, account_id: str, region: str) -> bool:
        """Whether an injected DENY fault hits this request (without using it up)."""
        with self._lock:
            return any(
                str(spec.kind) == "deny"
                and remaining != 0
                and spec.matches(operation, account_id, region)
                for spec, remaining in self._data.fault_specs
            )

    def is_role_blocked(self, account_id: str) -> bool:
        """Whether assuming roles in ``account_id`` is blocked."""
        with self._lock:
            return account_id in self._data.blocked_roles

    # -- counters ----------------------------------------------------------

    def count(self, operation: str) -> None:
        """Count one request for ``operation``."""
        with self._lock:
            self._data.counts[operation] += 1
            if self._data.first_request is None:
                self._data.first_request = time.monotonic()

    def first_request(self) -> float | None:
        """When (time.monotonic) the first request since the last counter reset arrived."""
        with self._lock:
            return self._data.first_request

    def counts(self) -> dict[str, int]:
        """Requests seen so far, per operation."""
        with self._lock:
            return dict(self._data.counts)

    def add_service_time(self, seconds: float) -> None:
        """Time the emulator spent answering (injected delays excluded)."""
        with self._lock:
            self._data.service_seconds += seconds

    def service_seconds(self) -> float:
        with self._lock:
            return self._data.service_seconds

    def reset_counters(self) -> None:
        """Forget the requests counted so far."""
        with self._lock:
            self._data.counts.clear()
            self._data.service_seconds = 0.0
            self._data.first_request = None

    def clear(self) -> None:
        """Forget everything: scenario data, faults and counters."""
        with self._lock:
            self._data = _Data()
