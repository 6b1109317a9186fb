"""The scan: organization, then every in-scope account and region, concurrently.

All work runs on one bounded thread pool. The main thread only submits tasks and
merges their results, so no evidence dict is shared between threads. A task may
return follow-up tasks (an account's regional collectors start once its enabled
regions are known).
"""

from __future__ import annotations

import datetime as dt
import functools
import queue
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from wellsec import __version__
from wellsec.aws.calls import Reader
from wellsec.aws.memory import limit_malloc_arenas
from wellsec.aws.session import AccountEntryError, Connector
from wellsec.collect import (  # noqa: F401  (importing registers the collectors)
    account,
    baselines,
    cloudtrail,
    configuration,
    detection,
    iam,
    inventory,
    notifications,
    organization,
    securityhub,
)
from wellsec.collect.registry import Collector, collectors
from wellsec.collect.scope import (
    for_supporting,
    select_accounts,
    supporting_accounts,
    unresolved_scope,
)
from wellsec.evidence import Unavailable, is_unavailable, keys
from wellsec.findings import Scope
from wellsec.snapshot import (
    UNRESOLVED_SCOPE,
    AccountRole,
    AccountSnapshot,
    AccountStatus,
    Evidence,
    Snapshot,
)
from wellsec.workload import Workload

ENABLED = {"opt-in-not-required", "opted-in"}
STRUCTURE = "organization_structure"
DELEGATED = "delegated_administrators"  # the org evidence that names supporting accounts
_REGIONS = next(c for c in collectors.all(Scope.ACCOUNT) if c.fn is account.regions)


class ScanObserver(Protocol):
    """Told about progress; the CLI draws a progress bar with it."""

    def planned(self, units: int) -> None: ...

    def done(self, units: int, label: str) -> None: ...


class _Quiet:
    def planned(self, units: int) -> None:
        pass

    def done(self, units: int, label: str) -> None:
        pass


@dataclass
class _Result:
    account_id: str | None  # None: organization evidence
    region: str | None
    evidence: Evidence
    followups: list[Callable[[], _Result]] = field(default_factory=list)
    unreachable: str | None = None
    requests: int = 0  # requests this task sent, one after another
    opened: int = 0  # requests of the account's opening task this one waited for


class Scan:
    """One scan run. ``run()`` returns the snapshot."""

    def __init__(
        self,
        connector: Connector,
        workload: Workload,
        *,
        regions: Iterable[str] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        observer: ScanObserver | None = None,
        max_workers: int = 16,
    ) -> None:
        self.connector = connector
        self.workload = workload
        self.requested_regions = list(regions or workload.regions)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.observer = observer or _Quiet()
        self.max_workers = max_workers

    def run(self) -> Snapshot:
        started = time.monotonic()
        limit_malloc_arenas()
        caller = self.connector.caller_identity()["account"]
        home = self.connector.home_region
        reader = Reader(self.connector, caller)
        org_collectors = collectors.all(Scope.ORG)
        acct_collectors = collectors.all(Scope.ACCOUNT)
        region_collectors = collectors.all(Scope.REGION)
        snapshot = Snapshot(
            created_at=self.clock(), caller_account=caller, regions=[], tool_version=__version__
        )
        structure = next(c for c in org_collectors if c.name == STRUCTURE)
        with ThreadPoolExecutor(self.max_workers, thread_name_prefix="wellsec") as pool:
            # Finished tasks arrive on a queue: waiting on thousands of futures at once
            # would cost time proportional to the pending set at every completion.
            finished: queue.SimpleQueue[Future[_Result]] = queue.SimpleQueue()
            # Tasks wait here, as plain callables, until the pool has room: a future per
            # queued task (hundreds of thousands in a large organization) costs memory.
            backlog: deque[Callable[[], _Result]] = deque()
            room = 2 * self.max_workers
            outstanding = 0

            def submit(task: Callable[[], _Result]) -> None:
                backlog.append(task)
                fill()

            def fill() -> None:
                nonlocal outstanding
                while backlog and outstanding < room:
                    outstanding += 1
                    pool.submit(backlog.popleft()).add_done_callback(finished.put)

            region_future = (
                pool.submit(self._enabled_regions, reader) if not self.requested_regions else None
            )
            self.observer.planned(len(org_collectors))
            # Only the account list gates the accounts; other org evidence comes alongside.
            for c in org_collectors:
                if c is not structure:
                    submit(self._measured(_task(reader, c, home, None, org=True)))
            first = self._measured(_task(reader, structure, home, None, org=True))()
            snapshot.organization.update(first.evidence)
            self.observer.done(1, "organization")
            regions = self.requested_regions or (
                region_future.result() if region_future else [home]
            )
            snapshot.regions = list(regions)
            selected, note = select_accounts(self.workload, snapshot.organization, caller)
            if note:
                snapshot.organization |= keys.SCAN_NOTE.of(note)
            unresolved = unresolved_scope(self.workload, snapshot.organization)
            if unresolved is not None:
                snapshot.organization[UNRESOLVED_SCOPE] = unresolved
            by_id: dict[str, AccountSnapshot] = {}
            chains: dict[str, int] = {}
            left: dict[str, int] = {}  # tasks of each account not yet merged
            units: dict[str, int] = {}  # progress units planned for each account
            org_chain = 0
            support_acct = [_REGIONS, *for_supporting(acct_collectors)]
            support_region = for_supporting(region_collectors)

            def open_accounts(accounts: list[dict[str, str]], supporting: bool) -> None:
                fresh = [a for a in accounts if a["id"] not in by_id]
                account_wide, regional = acct_collectors, region_collectors
                if supporting:  # only what checks read there: organization-level evidence
                    account_wide, regional = support_acct, support_region
                planned = len(account_wide) + len(regions) * len(regional)
                self.observer.planned(len(fresh) * planned)
                for acct in fresh:
                    units[acct["id"]] = planned
                    snap = AccountSnapshot(acct["id"], acct["name"], AccountRole(acct["role"]))
                    by_id[snap.id] = snap
                    if supporting:
                        snap.purpose = acct["purpose"]
                        snapshot.supporting.append(snap)
                    else:
                        snapshot.accounts.append(snap)
                    opener = functools.partial(
                        self._open_account, snap.id, regions, account_wide, regional
                    )
                    left[snap.id] = 1
                    submit(self._measured(opener))

            def open_supporting() -> None:
                chosen = {a.id for a in snapshot.accounts}
                open_accounts(supporting_accounts(snapshot.organization, chosen), True)

            open_accounts(selected, False)
            open_supporting()  # the management account; delegated administrators follow
            while outstanding:
                result = finished.get().result()
                outstanding -= 1
                fill()
                if result.account_id is None:
                    snapshot.organization.update(result.evidence)
                    org_chain = max(org_chain, result.requests)
                    self.observer.done(1, "organization")
                    if DELEGATED in result.evidence:
                        open_supporting()
                    continue
                self._merge(by_id, result, units[result.account_id])
                account_id = result.account_id
                if result.followups:  # the account's opening: its chain starts here
                    chains[account_id] = result.requests
                else:
                    chains[account_id] = max(
                        chains.get(account_id, 0), result.opened + result.requests
                    )
                for task in result.followups:
                    submit(self._measured(task, opened=result.requests))
                left[account_id] += len(result.followups) - 1
                if left[account_id] == 0 and account_id != caller:
                    self.connector.forget(account_id)
        snapshot.api_calls = self.connector.api_calls
        snapshot.duration_seconds = round(time.monotonic() - started, 3)
        account_chain = max(chains.values(), default=0)
        snapshot.critical_path_requests = max(first.requests + account_chain, org_chain)
        return snapshot

    def _measured(self, task: Callable[[], _Result], opened: int = 0) -> Callable[[], _Result]:
        """Wrap a task so its result says how many requests it sent (one after another)."""

        def run() -> _Result:
            before = self.connector.thread_requests()
            result = task()
            result.requests = self.connector.thread_requests() - before
            result.opened = opened
            return result

        return run

    def _enabled_regions(self, reader: Reader) -> list[str]:
        reply = reader.call("ec2", self.connector.home_region, "DescribeRegions")
        if is_unavailable(reply):
            return [self.connector.home_region]
        return sorted(r["RegionName"] for r in reply.get("Regions", []))

    def _merge(self, by_id: dict[str, AccountSnapshot], result: _Result, per_account: int) -> None:
        assert result.account_id is not None
        snap = by_id[result.account_id]
        if result.unreachable:
            snap.status = AccountStatus.UNREACHABLE
            snap.reason = result.unreachable
            self.observer.done(per_account, snap.name)
            return
        if result.region is None:
            snap.evidence.update(result.evidence)
        else:
            snap.regions.setdefault(result.region, {}).update(result.evidence)
        self.observer.done(1 if result.evidence else 0, snap.name)

    def _open_account(
        self,
        account_id: str,
        regions: list[str],
        acct_collectors: list[Collector],
        region_collectors: list[Collector],
    ) -> _Result:
        """Enter the account, read its enabled regions, then fan out to every collector."""
        try:
            self.connector.enter(account_id)
        except AccountEntryError as exc:
            return _Result(account_id, None, {}, unreachable=str(exc))
        reader = Reader(self.connector, account_id)
        home = self.connector.home_region
        first = [c for c in acct_collectors if c.priority >= 100]
        # Long waits first: the credential report is generated asynchronously.
        followups: list[Callable[[], _Result]] = [_task(reader, c, home, None) for c in first]
        evidence = guarded(_REGIONS, reader, home)
        enabled = evidence[keys.EC2_REGIONS.name]
        scan_regions = list(regions)
        if not is_unavailable(enabled):
            on = {r["name"] for r in enabled if r.get("opt_in_status") in ENABLED}
            scan_regions = [r for r in regions if r in on]
            evidence |= keys.SCAN_SKIPPED_REGIONS.of([r for r in regions if r not in on])
        followups += [
            _task(reader, c, home, None)
            for c in acct_collectors
            if c.priority < 100 and c.name != _REGIONS.name
        ]
        followups += [_task(reader, c, r, r) for r in scan_regions for c in region_collectors]
        return _Result(account_id, None, evidence, followups)


def guarded(collector: Collector, reader: Reader, region: str) -> Evidence:
    """Run a collector; if it breaks on an answer it did not expect, its evidence is
    Unavailable (never missing, never a PASS) and the scan goes on."""
    try:
        return collector.fn(reader, region)
    except Exception as exc:
        reason = f"collector {collector.name} failed on an unexpected answer: {type(exc).__name__}"
        operation = collector.actions[0] if collector.actions else collector.name
        return dict.fromkeys(collector.key_names, Unavailable(reason, operation, "CollectorError"))


def _task(
    reader: Reader, collector: Collector, region: str, scope_region: str | None, org: bool = False
) -> Callable[[], _Result]:
    def run() -> _Result:
        account = None if org else reader.account_id
        return _Result(account, scope_region, guarded(collector, reader, region))

    return run
