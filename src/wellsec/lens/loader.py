"""Load and validate a lens file: the Well-Architected custom-lens JSON format.

wellsec's own lens files carry an ``x-wellsec`` extension (best-practice ids,
improvement items, attestation specs). ``Lens.to_wa_json`` drops it, so an
exported file is one ImportLens accepts. A plain custom lens without the
extension loads too: practice ids and risk levels are then derived.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from wellsec.errors import LensError
from wellsec.lens.model import (
    EXTENSION_KEY,
    RULE_RISKS,
    AttestationSpec,
    BestPractice,
    ImprovementItem,
    Lens,
    QuestionRisk,
    Resource,
    RiskLevel,
    RiskRule,
)
from wellsec.lens.rules import ConditionError, parse_condition
from wellsec.limits import MAX_DEPTH, LimitExceeded, check_depth

MAX_LENS_BYTES = 500 * 1024
BUILTIN = {"sec01@2022": "sec01-2022.json", "sec01@2025": "sec01-2025.json"}
DEFAULT_LENS = "sec01@2022"

Id = Annotated[str, StringConstraints(min_length=3, max_length=128, pattern=r"^[A-Za-z0-9_]+$")]
ChoiceId = Annotated[
    str, StringConstraints(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_]+$")
]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2048)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Link(_Strict):
    displayText: Text
    url: Url | None = None


class _Content(_Strict):
    displayText: Text
    url: Url


class _Additional(_Strict):
    type: Literal["HELPFUL_RESOURCE", "IMPROVEMENT_PLAN"]
    content: Annotated[list[_Content], Field(min_length=1, max_length=5)]


class _XResource(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    url: Url | None = None


class _XItem(_Strict):
    title: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    text: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    resources: list[_XResource] = []


class _XAttestation(_Strict):
    id: Id
    statement: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    max_age_days: Annotated[int, Field(ge=1, le=3650)] = 365


class _XChoice(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]+-BP\d{2}$")]
    risk: Literal["HIGH", "MEDIUM", "LOW"]
    items: list[_XItem] = []
    attestations: list[_XAttestation] = []
    checks: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]] = []


class _Choice(_Strict):
    id: ChoiceId
    title: Annotated[str, StringConstraints(min_length=1, max_length=512)]
    helpfulResource: _Link | None = None
    improvementPlan: _Link
    additionalResources: list[_Additional] = []
    x_wellsec: _XChoice | None = Field(default=None, alias="x-wellsec")


class _Rule(_Strict):
    condition: Annotated[str, StringConstraints(min_length=1, max_length=4096)]
    risk: Literal["HIGH_RISK", "MEDIUM_RISK", "NO_RISK"]


class _Question(_Strict):
    id: Id
    title: Annotated[str, StringConstraints(min_length=1, max_length=512)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=2048)]
    helpfulResource: _Link | None = None
    choices: Annotated[list[_Choice], Field(min_length=1, max_length=15)]
    riskRules: Annotated[list[_Rule], Field(min_length=1, max_length=3)]


class _Pillar(_Strict):
    id: Id
    name: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    questions: Annotated[list[_Question], Field(min_length=1, max_length=20)]


class _XLens(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$", min_length=1, max_length=32)]
    version: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$", min_length=1)]
    wa_question_id: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    resources: list[_XResource] = []


class _LensFile(_Strict):
    schemaVersion: Literal["2021-11-01"]
    name: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=2048)]
    pillars: Annotated[list[_Pillar], Field(min_length=1, max_length=10)]
    x_wellsec: _XLens | None = Field(default=None, alias="x-wellsec")


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_lens(data: Any, path: str | Path = "<lens>") -> Lens:
    """Validate lens JSON data and build a :class:`Lens`; raise :class:`LensError`."""
    try:
        parsed = _LensFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise LensError(path, err["msg"], where=_where(tuple(err["loc"]))) from None
    pillars = [p for p in parsed.pillars]
    questions = [(pi, qi, q) for pi, p in enumerate(pillars) for qi, q in enumerate(p.questions)]
    if len(questions) != 1:
        raise LensError(path, f"a wellsec lens holds exactly one question, found {len(questions)}")
    pi, qi, question = questions[0]
    where = f"pillars[{pi}].questions[{qi}]"
    _check_unique([p.id for p in pillars], path, "pillars", "pillar id")
    choice_ids = [c.id for c in question.choices]
    _check_unique(choice_ids, path, f"{where}.choices", "choice id")
    if any(cid.endswith("_no") for cid in choice_ids):
        raise LensError(path, "'None of these' is added by the tool; do not list it", where)
    rules = _parse_rules(question.riskRules, set(choice_ids), path, where)
    practices = _build_practices(question.choices, rules, path, where)
    ext = parsed.x_wellsec
    return Lens(
        id=ext.id if ext else "custom",
        version=ext.version if ext else "1",
        name=parsed.name,
        description=parsed.description,
        pillar_id=pillars[pi].id,
        question_id=question.id,
        wa_question_id=ext.wa_question_id if ext else question.id,
        question_title=question.title,
        question_description=question.description,
        best_practices=practices,
        risk_rules=rules,
        resources=tuple(Resource(r.name, r.url) for r in (ext.resources if ext else [])),
        source=data,
        origin=str(path),
    )


def _check_unique(ids: list[str], path: str | Path, where: str, what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise LensError(path, f"duplicate {what} {item!r}", where)
        seen.add(item)


def _parse_rules(
    raw: list[_Rule], choice_ids: set[str], path: str | Path, where: str
) -> tuple[RiskRule, ...]:
    rules: list[RiskRule] = []
    for i, rule in enumerate(raw):
        loc = f"{where}.riskRules[{i}]"
        try:
            expr = parse_condition(rule.condition)
        except ConditionError as exc:
            raise LensError(path, f"condition does not parse: {exc}", loc) from None
        unknown = sorted(expr.choice_ids() - choice_ids)
        if unknown:
            raise LensError(path, f"condition names unknown choice {unknown[0]!r}", loc)
        rules.append(RiskRule(rule.condition.strip(), expr, RULE_RISKS[rule.risk]))
    defaults = [i for i, r in enumerate(rules) if r.condition == "default"]
    if not defaults:
        raise LensError(path, "no 'default' risk rule", f"{where}.riskRules")
    if defaults[0] != len(rules) - 1:
        raise LensError(path, "the 'default' rule must come last", f"{where}.riskRules")
    return tuple(rules)


def _derived_risk(
    choice_id: str, all_ids: frozenset[str], rules: tuple[RiskRule, ...]
) -> RiskLevel:
    """The question's risk when only this practice is missing."""
    missing_one = all_ids - {choice_id}
    for rule in rules:
        if rule.expr.evaluate(missing_one):
            return {
                QuestionRisk.HIGH: RiskLevel.HIGH,
                QuestionRisk.MEDIUM: RiskLevel.MEDIUM,
            }.get(rule.risk, RiskLevel.LOW)
    return RiskLevel.LOW


def _build_practices(
    choices: list[_Choice], rules: tuple[RiskRule, ...], path: str | Path, where: str
) -> tuple[BestPractice, ...]:
    all_ids = frozenset(c.id for c in choices)
    practices: list[BestPractice] = []
    for i, choice in enumerate(choices):
        loc = f"{where}.choices[{i}]"
        derived = _derived_risk(choice.id, all_ids, rules)
        ext = choice.x_wellsec
        if ext and RiskLevel(ext.risk) is not derived:
            raise LensError(
                path,
                f"declared risk {ext.risk} disagrees with the risk rules ({derived.value})",
                f"{loc}.{EXTENSION_KEY}.risk",
            )
        items = tuple(
            ImprovementItem(it.title, it.text, tuple(Resource(r.name, r.url) for r in it.resources))
            for it in (ext.items if ext else [])
        ) or _items_from_wa(choice)
        practices.append(
            BestPractice(
                id=ext.id if ext else f"BP{i + 1:02d}",
                choice_id=choice.id,
                title=choice.title,
                risk_if_missing=derived,
                description=choice.helpfulResource.displayText if choice.helpfulResource else "",
                items=items,
                attestations=tuple(
                    AttestationSpec(a.id, a.statement, a.max_age_days)
                    for a in (ext.attestations if ext else [])
                ),
                checks=tuple(ext.checks if ext else ()),
            )
        )
    _check_unique([p.id for p in practices], path, f"{where}.choices", "best practice id")
    attest_ids = [a.id for p in practices for a in p.attestations]
    _check_unique(attest_ids, path, f"{where}.choices", "attestation id")
    # One practice per check and lens: a finding belongs to exactly one practice.
    _check_unique([c for p in practices for c in p.checks], path, f"{where}.choices", "check id")
    return tuple(practices)


def _items_from_wa(choice: _Choice) -> tuple[ImprovementItem, ...]:
    plan = choice.improvementPlan
    links = [
        Resource(c.displayText, c.url)
        for extra in choice.additionalResources
        if extra.type == "IMPROVEMENT_PLAN"
        for c in extra.content
    ]
    if plan.url:
        links.insert(0, Resource(plan.displayText[:80], plan.url))
    return (ImprovementItem(choice.title, plan.displayText, tuple(links)),)


def load_lens_file(path: str | Path) -> Lens:
    """Read and validate a lens file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise LensError(p, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_LENS_BYTES:
        raise LensError(p, f"lens is {len(raw)} bytes; the limit is {MAX_LENS_BYTES}")
    try:
        data = json.loads(raw)
        check_depth(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else None
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8 text"
        raise LensError(p, f"not valid JSON: {msg}", where) from None
    except RecursionError:  # the JSON decoder recurses per level
        raise LensError(p, f"nested deeper than {MAX_DEPTH} levels") from None
    except LimitExceeded as exc:
        raise LensError(p, str(exc)) from None
    return parse_lens(data, p)


_KEY = re.compile(r"^[a-z0-9_-]+@[A-Za-z0-9._-]+$")


def builtin_key(name: str) -> str:
    """``2025`` -> ``sec01@2025`` when exactly one built-in lens has that version; else ``name``."""
    if name in BUILTIN or "@" in name or Path(name).exists():
        return name
    matches = [key for key in BUILTIN if key.split("@")[1] == name]
    return matches[0] if len(matches) == 1 else name


def load_lens(name_or_path: str = DEFAULT_LENS) -> Lens:
    """Load a built-in lens by key (``sec01@2022``, or just ``2022``) or a lens file by path."""
    name_or_path = builtin_key(name_or_path)
    if name_or_path in BUILTIN:
        ref = resources.files("wellsec.lens").joinpath("data", BUILTIN[name_or_path])
        data = json.loads(ref.read_text(encoding="utf-8"))
        return parse_lens(data, f"<builtin {name_or_path}>")
    if _KEY.match(name_or_path) and not Path(name_or_path).exists():
        known = ", ".join(sorted(BUILTIN))
        raise LensError(name_or_path, f"no built-in lens of that name (known: {known})")
    return load_lens_file(name_or_path)
