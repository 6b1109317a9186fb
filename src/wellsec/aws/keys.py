"""Member-account keys: assumed once per account, renewed before they expire.

Role chaining caps a session at one hour whatever the role's maximum
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html#id_roles_use_view-role-max-session),
and a scan of a large organization can outlast it. :class:`AccountKeys` renews an
account's keys when little of their session is left: one thread assumes the role
again while the others keep signing with the old keys, as long as those are valid.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

SESSION_SECONDS = 3600
# Renew when less than this is left (a sixth of shorter sessions), so a call and its
# retries never start on keys about to expire.
RENEW_MARGIN = 600
# How long to keep using old keys after a renewal failed, before trying again.
RENEW_RETRY = 60


class AccountEntryError(Exception):
    """The scan role could not be assumed into an account."""


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def __repr__(self) -> str:  # never print secrets
        return "Credentials(<redacted>)"


@dataclass(frozen=True)
class Lease:
    """An account's keys and when (on the connector's clock) to renew them."""

    credentials: Credentials
    renew_at: float
    expires_at: float
    generation: int = 0

    def __repr__(self) -> str:
        return f"Lease(generation={self.generation})"


def lease_of(reply: Mapping[str, Any], sent: float, wall: datetime, generation: int = 0) -> Lease:
    """The lease for an AssumeRole reply's ``Credentials``, sent at ``sent`` (clock) and
    ``wall`` (UTC). ``Expiration`` is AWS's clock: timing from our send keeps local clock
    skew from stretching the session past what we asked for."""
    keys = Credentials(reply["AccessKeyId"], reply["SecretAccessKey"], reply.get("SessionToken"))
    lifetime = float(SESSION_SECONDS)
    expiration = reply.get("Expiration")
    if isinstance(expiration, datetime):
        lifetime = max(0.0, min(lifetime, (expiration - wall).total_seconds()))
    expires_at = sent + lifetime
    renew_at = expires_at - min(float(RENEW_MARGIN), lifetime / 6)
    return Lease(keys, renew_at, expires_at, generation)


class AccountKeys:
    """Each entered account's lease, or why it could not be entered."""

    def __init__(self, assume: Callable[[str, int], Lease], clock: Callable[[], float]) -> None:
        self._assume = assume
        self._clock = clock
        self._found: dict[str, Lease | str] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _account_lock(self, account_id: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(account_id, threading.Lock())

    def entered(self, account_id: str) -> bool:
        """Whether ``account_id`` was entered, or found unenterable, already."""
        return account_id in self._found

    def enter(self, account_id: str) -> None:
        """Assume the role into ``account_id`` once; raise :class:`AccountEntryError`."""
        found = self._found.get(account_id)
        if found is None:
            with self._account_lock(account_id):
                found = self._found.get(account_id)
                if found is None:
                    try:
                        found = self._assume(account_id, 0)
                    except AccountEntryError as exc:
                        found = str(exc)
                    self._found[account_id] = found
        if isinstance(found, str):
            raise AccountEntryError(found)

    def current(self, account_id: str) -> Credentials | None:
        """The keys to sign with now (renewed first when due), or None if not entered."""
        found = self._found.get(account_id)
        if not isinstance(found, Lease):
            return None
        if self._clock() >= found.renew_at:
            found = self._renewed(account_id, found)
        return found.credentials

    def _renewed(self, account_id: str, lease: Lease) -> Lease:
        lock = self._account_lock(account_id)
        if self._clock() < lease.expires_at:
            if not lock.acquire(blocking=False):
                return lease  # another thread renews; these keys still work
        else:
            lock.acquire()
        try:
            current = self._found.get(account_id)
            if isinstance(current, Lease) and current.generation > lease.generation:
                return current
            try:
                fresh = self._assume(account_id, lease.generation + 1)
            except AccountEntryError:
                # Keep the old keys (a call on expired ones is Unavailable with the
                # reason) and try again a little later.
                fresh = replace(lease, renew_at=self._clock() + RENEW_RETRY)
            self._found[account_id] = fresh
            return fresh
        finally:
            lock.release()

    def generation(self, account_id: str) -> int | None:
        """Which keys ``account_id`` signs with now (None: not entered)."""
        found = self._found.get(account_id)
        return found.generation if isinstance(found, Lease) else None

    def renew(self, account_id: str, generation: int | None) -> bool:
        """Assume the role again after AWS said the keys of ``generation`` expired.

        True when newer keys are there to retry with (another thread may have renewed
        them already); False when there is nothing to renew or renewing failed."""
        if generation is None:
            return False
        with self._account_lock(account_id):
            current = self._found.get(account_id)
            if not isinstance(current, Lease):
                return False
            if current.generation != generation:
                return True
            try:
                fresh = self._assume(account_id, generation + 1)
            except AccountEntryError:
                return False
            self._found[account_id] = fresh
            return True
