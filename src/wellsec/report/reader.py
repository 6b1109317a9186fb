"""Reading a ``wellsec.review/1`` document into a :class:`~wellsec.report.model.Report`:
every problem is an :class:`~wellsec.errors.InputError` naming the source, the place in
it and what is wrong (the writer is :func:`wellsec.report.codec.to_json_dict`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from wellsec.errors import InputError
from wellsec.findings import Finding, Severity, Status
from wellsec.lens.model import QuestionRisk, RiskLevel
from wellsec.provenance import Origin, Provenance, Signature
from wellsec.report.model import (
    SCHEMA,
    AccountRole,
    AccountStatus,
    LensInfo,
    PlanItem,
    PlanStep,
    PracticeReport,
    PracticeStatus,
    QuestionInfo,
    Report,
    Resource,
    ScanAccount,
    ScanInfo,
    ScpDenial,
    SupportingAccount,
    Tool,
    WorkloadInfo,
)

E = TypeVar("E", bound=StrEnum)
N = TypeVar("N", int, float)

REQUIRED = ("generated_at", "workload", "lens", "question", "best_practices", "findings")


class _Reader:
    """Reads one document, naming ``source`` and the place of any problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, problem: str, where: str | None = None) -> InputError:
        return InputError(self.source, problem, where)

    def obj(self, value: Any, where: str, fields: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, dict) or any(f not in value for f in fields):
            raise self.fail(f"expected an object with {', '.join(fields)}", where)
        return value

    def items(self, value: Any, where: str, fields: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise self.fail("expected a list", where)
        return [self.obj(item, f"{where}[{i}]", fields) for i, item in enumerate(value)]

    def enum(self, kind: type[E], value: Any, where: str, default: E, what: str = "status") -> E:
        if value is None:
            return default
        try:
            return kind(value)
        except ValueError:
            raise self.fail(f"unknown {what} {value!r}", where) from None

    def time(self, value: Any, where: str) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise self.fail("not an ISO 8601 time", where) from None


def _text(value: Any, default: str = "") -> str:
    return default if value is None else str(value)


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def from_json_dict(data: Any, source: str = "report") -> Report:
    """Check a ``wellsec.review/1`` document and read it; raise :class:`InputError`
    naming ``source``, where in it, and the problem."""
    r = _Reader(source)
    if not isinstance(data, dict):
        raise r.fail("expected a JSON object (a wellsec review report)")
    if data.get("schema") != SCHEMA:
        raise r.fail(f"not a wellsec review report (schema is not {SCHEMA!r})")
    for key in REQUIRED:
        if key not in data:
            raise r.fail(f"missing {key!r}")
    generated_at = r.time(data["generated_at"], "generated_at")
    workload = r.obj(data["workload"], "workload", ("name",))
    lens = r.obj(data["lens"], "lens", ("id", "version"))
    question = r.obj(data["question"], "question", ("risk",))
    practices = r.items(data["best_practices"], "best_practices", ("id", "choice_id", "status"))
    findings = r.items(data["findings"], "findings", ("check", "best_practice", "status"))
    tool: dict[str, Any] = data["tool"] if isinstance(data.get("tool"), dict) else {}
    return Report(
        generated_at=generated_at,
        tool=Tool(_text(tool.get("name"), "wellsec"), _text(tool.get("version"))),
        workload=WorkloadInfo(
            name=str(workload["name"]),
            environment=_text(workload.get("environment"), "production"),
            owner=_optional(workload.get("owner")),
            regions=tuple(str(x) for x in workload.get("regions") or ()),
        ),
        lens=LensInfo(str(lens["id"]), str(lens["version"]), _text(lens.get("name"))),
        question=QuestionInfo(
            id=_text(question.get("id")),
            title=_text(question.get("title")),
            risk=r.enum(
                QuestionRisk, question["risk"], "question", QuestionRisk.UNANSWERED, "risk"
            ),
        ),
        complete=bool(data.get("complete")),
        best_practices=tuple(_practice(r, p, i) for i, p in enumerate(practices)),
        findings=tuple(_finding(r, f, f"findings[{i}]") for i, f in enumerate(findings)),
        improvement_plan=tuple(
            _step(r, e, f"improvement_plan[{i}]")
            for i, e in enumerate(r.items(data.get("improvement_plan") or [], "improvement_plan"))
        ),
        scan=_scan(r, data.get("scan") or {}),
        notes=tuple(str(n) for n in data.get("notes") or ()),
        provenance=_provenance(r, data.get("provenance")),
    )


def _practice(r: _Reader, p: dict[str, Any], i: int) -> PracticeReport:
    where = f"best_practices[{i}]"
    status = r.enum(PracticeStatus, p["status"], where, PracticeStatus.UNKNOWN)
    accounts = r.obj(p.get("accounts") or {}, f"{where}.accounts")
    return PracticeReport(
        id=str(p["id"]),
        choice_id=str(p["choice_id"]),
        title=_text(p.get("title")),
        status=status,
        risk_if_missing=r.enum(RiskLevel, p.get("risk_if_missing"), where, RiskLevel.HIGH, "risk"),
        assessment=_text(p.get("assessment")),
        note=_text(p.get("note")),
        accounts={
            str(aid): r.enum(PracticeStatus, s, where, PracticeStatus.UNKNOWN)
            for aid, s in accounts.items()
        },
    )


def _finding(r: _Reader, f: dict[str, Any], where: str) -> Finding:
    return Finding(
        check=str(f["check"]),
        best_practice=str(f["best_practice"]),
        status=r.enum(Status, f["status"], where, Status.UNKNOWN),
        severity=r.enum(Severity, f.get("severity"), where, Severity.MEDIUM, "severity"),
        account=_optional(f.get("account")),
        region=_optional(f.get("region")),
        resource=_text(f.get("resource")),
        message=_text(f.get("message")),
    )


def _step(r: _Reader, e: dict[str, Any], where: str) -> PlanStep:
    items = r.items(e.get("items") or [], f"{where}.items")
    found = r.items(e.get("findings") or [], f"{where}.findings")
    return PlanStep(
        best_practice=_text(e.get("best_practice")),
        title=_text(e.get("title")),
        status=r.enum(PracticeStatus, e.get("status"), where, PracticeStatus.UNKNOWN),
        risk_if_missing=r.enum(RiskLevel, e.get("risk_if_missing"), where, RiskLevel.HIGH, "risk"),
        items=tuple(
            PlanItem(
                title=_text(item.get("title")),
                text=_text(item.get("text")),
                resources=tuple(
                    Resource(_text(res.get("name")), _optional(res.get("url")))
                    for res in r.items(item.get("resources") or [], f"{where}.items")
                ),
            )
            for item in items
        ),
        findings=tuple(_finding(r, f, f"{where}.findings") for f in found),
    )


def _scan(r: _Reader, scan: Any) -> ScanInfo:
    scan = r.obj(scan, "scan")
    accounts = r.items(scan.get("accounts") or [], "scan.accounts")
    supporting = r.items(scan.get("supporting_accounts") or [], "scan.supporting_accounts")
    denied = r.items(scan.get("scp_denied_regions") or [], "scan.scp_denied_regions")
    role: Callable[[Any], AccountRole] = lambda v: r.enum(  # noqa: E731
        AccountRole, v, "scan.accounts", AccountRole.UNKNOWN
    )
    state: Callable[[Any], AccountStatus] = lambda v: r.enum(  # noqa: E731
        AccountStatus, v, "scan.accounts", AccountStatus.SCANNED
    )
    return ScanInfo(
        accounts=tuple(
            ScanAccount(
                _text(a.get("id")),
                _text(a.get("name")),
                role(a.get("role")),
                state(a.get("status")),
                _optional(a.get("reason")),
            )
            for a in accounts
        ),
        supporting_accounts=tuple(
            SupportingAccount(
                _text(a.get("id")),
                _text(a.get("name")),
                role(a.get("role")),
                _text(a.get("purpose")),
                state(a.get("status")),
                _optional(a.get("reason")),
            )
            for a in supporting
        ),
        unresolved_scope=_optional(scan.get("unresolved_scope")),
        regions=tuple(str(x) for x in scan.get("regions") or ()),
        scp_denied_regions=tuple(
            ScpDenial(
                _text(d.get("account")),
                _text(d.get("region")),
                _text(d.get("policy_id")),
                _optional(d.get("policy")),
            )
            for d in denied
        ),
        api_calls=_number(r, scan.get("api_calls", 0), "scan.api_calls"),
        duration_seconds=_number(r, scan.get("duration_seconds", 0), "scan.duration_seconds"),
    )


def _number(r: _Reader, value: N, where: str) -> N:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise r.fail("expected a number", where)
    return value


def _provenance(r: _Reader, made: Any) -> Provenance | None:
    if not isinstance(made, dict):
        return None
    upgraded = made.get("upgraded_from")
    return Provenance(
        origin=r.enum(Origin, made.get("origin"), "provenance", Origin.SNAPSHOT_FILE),
        tool_version=_text(made.get("tool_version")),
        made_at=r.time(made.get("made_at"), "provenance.made_at"),
        caller_arn=_optional(made.get("caller_arn")),
        scanned_at=r.time(made.get("scanned_at"), "provenance.scanned_at"),
        scanned_by_version=_text(made.get("scanned_by_version")),
        signature=r.enum(Signature, made.get("signature"), "provenance", Signature.NOT_CHECKED),
        snapshot_file=_optional(made.get("snapshot_file")),
        snapshot_sha256=_optional(made.get("snapshot_sha256")),
        upgraded_from=None if upgraded is None else int(upgraded),
    )
