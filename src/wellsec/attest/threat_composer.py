"""Threat Composer exports (``*.tc.json``): schema validation and completeness figures.

The models follow Threat Composer's data-exchange format (schema 1): keys it adds
of its own (``workspace``, ``displayOrder``, ``threatSource``...) are allowed, but
every key wellsec reads is type-checked strictly (no ``"3"`` for a number).
:func:`parse_export` never raises on bad input: it returns the problem as one
line naming the place in the document, e.g. ``threats[3].status: ...``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from wellsec.limits import LimitExceeded, check_depth

MAX_BYTES = 5 * 1024 * 1024

THREAT_OPEN: Final = "threatIdentified"
ThreatStatus = Literal["threatIdentified", "threatResolved", "threatResolvedNotUseful"]
MITIGATION_RESOLVED: Final = "mitigationResolved"
WILL_NOT_ACTION: Final = "mitigationResolvedWillNotAction"
MitigationStatus = Literal[
    "mitigationIdentified",
    "mitigationInProgress",
    "mitigationResolved",
    "mitigationResolvedWillNotAction",
]
PRIORITIES = ("High", "Medium", "Low")
STRIDE = frozenset("STRIDE")

Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class _Open(BaseModel):
    """Threat Composer adds keys of its own: allowed, and ignored."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True, populate_by_name=True)


class Metadata(_Open):
    key: str
    value: Any

    @field_validator("value")
    @classmethod
    def _known_keys(cls, value: Any, info: ValidationInfo) -> Any:
        key = info.data.get("key")
        if key == "Priority":
            if value not in PRIORITIES:
                raise ValueError(f"Priority must be High, Medium or Low, not {_short(value)}")
        elif key == "STRIDE":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"STRIDE must be a list of letters, not {_short(value)}")
            unknown = sorted(set(value) - STRIDE)
            if unknown:
                raise ValueError(f"STRIDE letters are S, T, R, I, D, E, not {_short(unknown[0])}")
        elif not isinstance(value, str) and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise ValueError(f"expected a string or a list of strings, not {_short(value)}")
        return value


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Entity(_Open):
    id: Id
    numeric_id: int = Field(alias="numericId")
    metadata: list[Metadata] = []
    tags: list[str] = []

    def meta(self, key: str) -> Any:
        return next((m.value for m in self.metadata if m.key == key), None)

    @property
    def label(self) -> str:
        return f"{self.__class__.__name__[0]}{self.numeric_id}"


class Threat(Entity):
    statement: str | None = None
    status: ThreatStatus = THREAT_OPEN  # Threat Composer's default when none is set

    @property
    def priority(self) -> str | None:
        value = self.meta("Priority")
        return value if isinstance(value, str) else None

    @property
    def stride(self) -> list[str]:
        value = self.meta("STRIDE")
        return list(value) if isinstance(value, list) else []


class Mitigation(Entity):
    content: str
    status: MitigationStatus | None = None


class Assumption(Entity):
    content: str


class MitigationLink(_Open):
    mitigation_id: Id = Field(alias="mitigationId")
    linked_id: Id = Field(alias="linkedId")


class AssumptionLink(_Open):
    assumption_id: Id = Field(alias="assumptionId")
    linked_id: Id = Field(alias="linkedId")
    type: Literal["Threat", "Mitigation"] | None = None


class Info(_Open):
    name: str | None = None
    description: str | None = None
    image: str | None = None


class ThreatComposerExport(_Open):
    schema_version: Literal[1] = Field(alias="schema")
    application_info: Info | None = Field(None, alias="applicationInfo")
    architecture: Info | None = None
    dataflow: Info | None = None
    assumptions: list[Assumption] = []
    mitigations: list[Mitigation] = []
    threats: list[Threat] = []
    assumption_links: list[AssumptionLink] = Field([], alias="assumptionLinks")
    mitigation_links: list[MitigationLink] = Field([], alias="mitigationLinks")

    @field_validator("schema_version", mode="before")
    @classmethod
    def _schema_one(cls, value: Any) -> Any:
        if type(value) is not int or value != 1:
            raise ValueError(f"unsupported Threat Composer schema {_short(value)} (expected 1)")
        return value

    @property
    def name(self) -> str | None:
        return self.application_info.name if self.application_info else None


# --- parsing ---------------------------------------------------------------------------------


def where(loc: tuple[int | str, ...]) -> str:
    """``("threats", 3, "status")`` -> ``threats[3].status``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _problem(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    err = errors[0]
    loc = tuple(err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "literal_error" or err["type"] in {"int_type", "string_type", "list_type"}:
        msg += f", got {_short(err.get('input'))}"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where(loc)}: {msg}{more}"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_export(data: bytes) -> ThreatComposerExport | str:
    """The validated export, or the first problem as ``place: what is wrong``."""
    if len(data) > MAX_BYTES:
        return f"(top level): larger than {MAX_BYTES // (1024 * 1024)} MB ({len(data)} bytes)"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"byte {exc.start}: not UTF-8 text"
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return f"line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}"
    except (ValueError, RecursionError) as exc:
        return f"(top level): not valid JSON: {str(exc) or type(exc).__name__}"
    try:
        check_depth(doc)
    except LimitExceeded as exc:
        return f"(top level): {exc}"
    if not isinstance(doc, dict):
        return "(top level): expected a JSON object"
    if "schema" not in doc:
        return "schema: required (a Threat Composer export has schema 1)"
    try:
        model = ThreatComposerExport.model_validate(doc)
    except ValidationError as exc:
        return _problem(exc)
    return _duplicate_ids(model) or model


def _duplicate_ids(model: ThreatComposerExport) -> str | None:
    for name, entities in (
        ("threats", model.threats),
        ("mitigations", model.mitigations),
        ("assumptions", model.assumptions),
    ):
        seen: set[str] = set()
        for i, entity in enumerate(entities):
            if entity.id in seen:
                return f"{name}[{i}].id: duplicate id {entity.id!r}"
            seen.add(entity.id)
    return None


# --- completeness ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    """What a reviewer asks of a threat model, in figures. Threats are named by label (T4)."""

    threats: int
    open_threats: int
    by_priority: tuple[tuple[str, int], ...]  # High, Medium, Low, then "unset"
    without_priority: tuple[str, ...]
    without_stride: tuple[str, ...]
    open_unmitigated: tuple[str, ...]
    open_unmitigated_high: tuple[str, ...]
    dangling_links: tuple[str, ...]  # e.g. "mitigationLinks[2].linkedId"
    mitigations: int
    mitigations_resolved: int
    mitigations_will_not_action: int

    @property
    def complete(self) -> bool:
        return self.threats > 0 and not (
            self.without_priority
            or self.without_stride
            or self.open_unmitigated
            or self.dangling_links
        )

    @property
    def resolved_share(self) -> float | None:
        """Resolved mitigations over all mitigations; None when there are none."""
        return self.mitigations_resolved / self.mitigations if self.mitigations else None

    def priority_count(self, priority: str) -> int:
        return dict(self.by_priority).get(priority, 0)


def assess(model: ThreatComposerExport) -> Completeness:
    threat_ids = {t.id for t in model.threats}
    mitigation_ids = {m.id for m in model.mitigations}
    # A mitigation the team will not implement mitigates nothing.
    acting = {m.id for m in model.mitigations if m.status != WILL_NOT_ACTION}
    assumption_ids = {a.id for a in model.assumptions}
    dangling: list[str] = []
    mitigated: set[str] = set()
    for i, link in enumerate(model.mitigation_links):
        if link.mitigation_id not in mitigation_ids:
            dangling.append(f"mitigationLinks[{i}].mitigationId")
        if link.linked_id not in threat_ids | assumption_ids:
            dangling.append(f"mitigationLinks[{i}].linkedId")
        elif link.mitigation_id in acting and link.linked_id in threat_ids:
            mitigated.add(link.linked_id)
    for i, alink in enumerate(model.assumption_links):
        if alink.assumption_id not in assumption_ids:
            dangling.append(f"assumptionLinks[{i}].assumptionId")
        targets = {
            "Threat": threat_ids,
            "Mitigation": mitigation_ids,
            None: threat_ids | mitigation_ids,
        }[alink.type]
        if alink.linked_id not in targets:
            dangling.append(f"assumptionLinks[{i}].linkedId")
    priorities = Counter(t.priority or "unset" for t in model.threats)
    open_threats = [t for t in model.threats if t.status == THREAT_OPEN]
    unmitigated = [t for t in open_threats if t.id not in mitigated]
    statuses = Counter(m.status for m in model.mitigations)
    return Completeness(
        threats=len(model.threats),
        open_threats=len(open_threats),
        by_priority=tuple(
            (p, priorities[p]) for p in (*PRIORITIES, "unset") if priorities[p] or p != "unset"
        ),
        without_priority=tuple(t.label for t in model.threats if t.priority is None),
        without_stride=tuple(t.label for t in model.threats if not t.stride),
        open_unmitigated=tuple(t.label for t in unmitigated),
        open_unmitigated_high=tuple(t.label for t in unmitigated if t.priority == "High"),
        dangling_links=tuple(dangling),
        mitigations=len(model.mitigations),
        mitigations_resolved=statuses[MITIGATION_RESOLVED],
        mitigations_will_not_action=statuses[WILL_NOT_ACTION],
    )
