"""The facts ``wellsec fix`` works from: a ``wellsec.review/1`` report and, when there is
one, the evidence snapshot it was made from (the organization tree and delegated
administrators, which the report does not carry)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from wellsec.errors import InputError
from wellsec.evidence import is_unavailable, keys
from wellsec.findings import Finding, Status
from wellsec.fix.model import FixError
from wellsec.report.codec import from_json_dict
from wellsec.report.model import SCHEMA as REPORT_SCHEMA
from wellsec.report.model import Report
from wellsec.snapshot import Snapshot

ROOT_ID = re.compile(r"^r-[0-9a-z]{4,32}$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


@dataclass(frozen=True)
class Row:
    """One finding of the report."""

    check: str
    status: Status
    account: str | None
    region: str | None
    resource: str
    message: str


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    role: str  # management | member | standalone | unknown


@dataclass(frozen=True)
class ReviewFacts:
    """What the remedies read. Everything is sorted, so the same review gives the same plan."""

    workload: str
    owner: str | None
    generated_at: str
    regions: tuple[str, ...]  # the workload's regions, home region first
    accounts: tuple[Account, ...]
    findings: tuple[Row, ...]
    root_id: str | None
    parents: tuple[tuple[str, str], ...] = ()  # (account, parent OU or root)
    ou_names: tuple[tuple[str, str], ...] = ()
    ou_parents: tuple[tuple[str, str], ...] = ()  # (OU, parent OU or root)
    delegated: tuple[tuple[str, str], ...] = ()  # (service principal, account)
    detectors: tuple[tuple[str, str, str], ...] = ()  # (account, region, GuardDuty detector id)

    @property
    def home_region(self) -> str:
        return self.regions[0]

    @property
    def management(self) -> str | None:
        return next((a.id for a in self.accounts if a.role == "management"), None)

    def account_name(self, account_id: str) -> str:
        return next((a.name for a in self.accounts if a.id == account_id), account_id)

    def parent(self, account_id: str) -> str | None:
        return dict(self.parents).get(account_id)

    @cached_property
    def _by_place(self) -> dict[tuple[str, str | None, str | None], list[Row]]:
        index: dict[tuple[str, str | None, str | None], list[Row]] = {}
        for row in self.findings:
            index.setdefault((row.check, row.account, row.region), []).append(row)
        return index

    @cached_property
    def _by_check(self) -> dict[str, list[Row]]:
        index: dict[str, list[Row]] = {}
        for row in self.findings:
            index.setdefault(row.check, []).append(row)
        return index

    def failing(self, check: str) -> list[Row]:
        return [f for f in self._by_check.get(check, []) if f.status is Status.FAIL]

    def at(self, check: str, account: str | None, region: str | None) -> list[Row]:
        """The findings of ``check`` in that account and region."""
        return self._by_place.get((check, account, region), [])

    def status(self, check: str, account: str | None, region: str | None) -> Status | None:
        found = self.at(check, account, region)
        return found[0].status if len(found) == 1 else None

    def accounts_under(self, ou: str) -> set[str]:
        """Every account of the organization below ``ou``, at any depth."""
        units = {ou}
        grew = True
        while grew:
            below = {o for o, parent in self.ou_parents if parent in units} - units
            units |= below
            grew = bool(below)
        return {a for a, parent in self.parents if parent in units}

    def detector(self, account: str, region: str) -> str | None:
        return next((d for a, r, d in self.detectors if (a, r) == (account, region)), None)


def load_report(path: str | Path) -> dict[str, Any]:
    """Read a JSON review report written by ``wellsec review -f json``."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FixError(p, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except json.JSONDecodeError as exc:
        raise FixError(p, f"not valid JSON: {exc.msg}", f"line {exc.lineno}") from None
    if not isinstance(data, dict):
        raise FixError(p, "expected a JSON object at the top level")
    return data


def facts(
    report: dict[str, Any] | Report, snapshot: Snapshot | None, origin: str = "<review>"
) -> ReviewFacts:
    """Check the report's shape and gather what the remedies need."""
    if isinstance(report, dict):
        if report.get("schema") != REPORT_SCHEMA:
            schema = report.get("schema")
            raise FixError(origin, f"not a {REPORT_SCHEMA} report (schema {schema!r})")
        try:
            report = from_json_dict(report, origin)
        except InputError as exc:
            raise FixError(origin, f"malformed report: {exc.problem}", exc.where) from None
    try:
        rows = tuple(sorted((_row(f) for f in report.findings), key=_row_key))
        accounts = tuple(
            sorted(
                (Account(_account(a.id), a.name or a.id, a.role.value)
                 for a in report.scan.accounts),
                key=lambda a: a.id,
            )
        )  # fmt: skip
        regions = [_region(r) for r in (report.workload.regions or report.scan.regions)]
    except ValueError as exc:
        raise FixError(origin, f"malformed report: {exc}") from None
    if not regions:
        raise FixError(origin, "the report names no region")
    found = ReviewFacts(
        workload=report.workload.name,
        owner=report.workload.owner or None,
        generated_at=report.generated_at.isoformat(),
        regions=tuple(dict.fromkeys(regions)),
        accounts=accounts,
        findings=rows,
        root_id=_root_from_findings(rows),
    )
    return _with_snapshot(found, snapshot) if snapshot is not None else found


def _row(finding: Finding) -> Row:
    return Row(
        check=finding.check,
        status=finding.status,
        account=_account(finding.account) if finding.account is not None else None,
        region=_region(finding.region) if finding.region is not None else None,
        resource=finding.resource,
        message=finding.message,
    )


def _row_key(row: Row) -> tuple[str, str, str, str]:
    return (row.check, row.account or "", row.region or "", row.resource)


def _account(value: Any) -> str:
    text = str(value)
    if not ACCOUNT_ID.match(text):
        raise ValueError(f"{text!r} is not an account id")
    return text


def _region(value: Any) -> str:
    text = str(value)
    if not REGION.match(text):
        raise ValueError(f"{text!r} is not a region name")
    return text


def _root_from_findings(rows: tuple[Row, ...]) -> str | None:
    """The organization root, as the SCP policy-type check names it."""
    roots = sorted({r.resource for r in rows if r.check == "org_scps_enabled"})
    return next((r for r in roots if ROOT_ID.match(r)), None)


def _with_snapshot(found: ReviewFacts, snapshot: Snapshot) -> ReviewFacts:
    from dataclasses import replace

    tree = snapshot.org_get(keys.TREE)
    admins = snapshot.org_get(keys.DELEGATED_ADMINISTRATORS)
    parents: list[tuple[str, str]] = []
    names: list[tuple[str, str]] = []
    ou_parents: list[tuple[str, str]] = []
    root = found.root_id
    # Loaded snapshots have their evidence's shapes checked (wellsec.evidence.keys).
    if not is_unavailable(tree):
        roots = [r for r in tree["roots"] if ROOT_ID.match(r)]
        root = roots[0] if roots else root
        parents = sorted(tree["parents"].items())
        names = sorted((o, v["name"]) for o, v in tree["ous"].items())
        ou_parents = sorted((o, v["parent_id"]) for o, v in tree["ous"].items())
    delegated = (
        []
        if is_unavailable(admins)
        else sorted((s, a["account_id"]) for a in admins for s in a["services"])
    )
    detectors: list[tuple[str, str, str]] = []
    for account in snapshot.accounts:
        for region in sorted(account.regions):
            listed = account.region_get(region, keys.GUARDDUTY_DETECTORS)
            if not is_unavailable(listed) and listed:
                detectors.append((account.id, region, listed[0]["id"]))
    return replace(
        found,
        root_id=root,
        parents=tuple(parents),
        ou_names=tuple(names),
        ou_parents=tuple(ou_parents),
        delegated=tuple(delegated),
        detectors=tuple(sorted(detectors)),
    )
