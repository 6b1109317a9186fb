"""The AWS behaviour catalogue: what wellsec believes about every operation it sends.

The data is ``catalogue.yaml`` next to this module. For each IAM action a collector
declares it records where the operation answers (region semantics), who may call
it, what every error the botocore model lists means for the evidence (a *fact*,
with the value the collector records, or *unavailable*), and the source of each
belief. It also lists the generic errors any AWS API can return, the enum values
the code compares against, and the findings of the audit of each check family.

``tests/meta/test_aws_catalogue.py`` holds the catalogue to the installed botocore
models and to the collectors' real handling; ``docs/aws-behaviour.md`` is rendered
from it by :mod:`wellsec.aws.catalogue_doc`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

import botocore.session
import yaml

# IAM action prefixes whose boto3 client name differs.
_CLIENT_NAME = {"elasticloadbalancing": "elbv2"}


class Meaning(StrEnum):
    """What an error code means for the evidence."""

    FACT = "fact"  # AWS states something; the collector records a value
    UNAVAILABLE = "unavailable"  # nothing is known; the evidence is Unavailable
    POLL = "poll"  # not ready yet: the collector asks again, then Unavailable


class RegionRule(StrEnum):
    """Where an operation answers."""

    REGIONAL = "regional"  # each region answers for itself
    GLOBAL = "global"  # one endpoint per partition (us-east-1 in aws)
    HOME = "home-region"  # only in the region where the resource lives


@dataclass(frozen=True)
class ErrorMeaning:
    code: str
    meaning: Meaning
    value: str  # FACT: the value recorded; otherwise why it is unavailable
    source: str  # a doc URL; empty when the botocore model is the source


@dataclass(frozen=True)
class Operation:
    action: str
    region: RegionRule
    region_note: str
    callers: str
    source: str
    errors: dict[str, ErrorMeaning]

    @property
    def facts(self) -> frozenset[str]:
        """Error codes that state a fact rather than hide one."""
        return frozenset(c for c, e in self.errors.items() if e.meaning is Meaning.FACT)


@dataclass(frozen=True)
class GenericError:
    codes: tuple[str, ...]
    reason: str
    source: str


@dataclass(frozen=True)
class EnumValue:
    value: str
    service: str  # boto3 client name
    shape: str  # the model shape holding the enum; empty when the model has none
    used_in: str
    source: str  # a doc URL when the model has no enum


@dataclass(frozen=True)
class AuditNote:
    family: str
    belief: str
    verdict: str
    source: str


@dataclass(frozen=True)
class Catalogue:
    operations: dict[str, Operation]
    generic_errors: tuple[GenericError, ...]
    enums: tuple[EnumValue, ...]
    audit: tuple[AuditNote, ...]

    def facts(self, action: str) -> frozenset[str]:
        """The error codes of ``action`` that the catalogue calls facts."""
        return self.operations[action].facts


def client_name(action: str) -> str:
    """The boto3 client name of an IAM action (``elasticloadbalancing`` -> ``elbv2``)."""
    prefix = action.split(":", 1)[0]
    return _CLIENT_NAME.get(prefix, prefix)


@functools.cache
def service_model(client: str) -> Any:
    """The installed botocore model of a boto3 client name."""
    return botocore.session.get_session().get_service_model(client)


def model_path(action: str) -> str:
    """The botocore model file an action's operation is defined in."""
    model = service_model(client_name(action))
    return f"botocore/data/{model.service_name}/{model.api_version}/service-2.json"


def model_errors(action: str) -> dict[str, int]:
    """Every error the botocore model lists for ``action``: code -> HTTP status.

    The code is what botocore reports: the shape's ``error.code`` for the query
    protocols (and awsQueryCompatible JSON), else the shape name. Without an
    ``httpStatusCode`` a client error is a 400 and a server fault a 500.
    """
    model = service_model(client_name(action))
    query = model.protocol in ("query", "ec2") or "awsQueryCompatible" in model.metadata
    out: dict[str, int] = {}
    for shape in model.operation_model(action.split(":", 1)[1]).error_shapes:
        error = shape.metadata.get("error", {})
        code = error.get("code", shape.name) if query else shape.name
        default = 500 if shape.metadata.get("fault") else 400
        out[code] = int(error.get("httpStatusCode", default))
    return out


def regions_without(action: str, partition: str = "aws") -> list[str]:
    """Regions of ``partition`` where botocore's endpoint data does not list the action's
    service (empty for global services and services it lists everywhere EC2 is)."""
    session = botocore.session.get_session()
    offered = session.get_available_regions(client_name(action), partition)
    if not offered:  # a global endpoint, or no per-region data
        return []
    return sorted(set(session.get_available_regions("ec2", partition)) - set(offered))


def enum_of(service: str, shape: str) -> list[str]:
    """The enum values of a model shape (empty if it has none)."""
    return list(service_model(service).shape_for(shape).enum or [])


def _error(code: str, raw: Any) -> ErrorMeaning:
    if isinstance(raw, str):  # "unavailable" / "poll" with no more to say
        return ErrorMeaning(code, Meaning(raw), "", "")
    meaning = next(m for m in Meaning if m.value in raw)
    return ErrorMeaning(code, meaning, str(raw[meaning.value]), str(raw.get("source", "")))


def _operation(action: str, raw: dict[str, Any]) -> Operation:
    return Operation(
        action=action,
        region=RegionRule(raw["region"]),
        region_note=str(raw.get("region_note", "")),
        callers=str(raw["callers"]),
        source=str(raw["source"]),
        errors={code: _error(code, e) for code, e in (raw.get("errors") or {}).items()},
    )


def parse(data: dict[str, Any]) -> Catalogue:
    """A catalogue from its YAML data."""
    return Catalogue(
        operations={a: _operation(a, raw) for a, raw in data["operations"].items()},
        generic_errors=tuple(
            GenericError(tuple(g["codes"]), g["reason"], g["source"])
            for g in data["generic_errors"]
        ),
        enums=tuple(
            EnumValue(
                str(e["value"]),
                e["service"],
                e.get("shape", ""),
                e["used_in"],
                e.get("source", ""),
            )
            for e in data["enums"]
        ),
        audit=tuple(
            AuditNote(a["family"], a["belief"], a["verdict"], a["source"]) for a in data["audit"]
        ),
    )


@functools.cache
def load() -> Catalogue:
    """The catalogue shipped with wellsec."""
    text = resources.files("wellsec.aws").joinpath("catalogue.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))
