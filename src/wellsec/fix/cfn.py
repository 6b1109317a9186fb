"""CloudFormation templates as plain dicts, written as YAML deterministically.

Intrinsic functions use their long form (``{"Ref": ...}``, ``{"Fn::Sub": ...}``) so the
YAML needs no custom tags and any YAML or JSON reader sees the same template. Keys are
sorted and the line width is unbounded, so the same input always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

FORMAT_VERSION = "2010-09-09"
TAG_KEY = "wellsec:remedy"
_NAME = re.compile(r"[^A-Za-z0-9-]+")


def ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def sub(text: str) -> dict[str, str]:
    return {"Fn::Sub": text}


def arn_of(logical_id: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


def text_parameter(
    description: str, pattern: str | None = None, default: str | None = None
) -> dict[str, Any]:
    param: dict[str, Any] = {"Type": "String", "Description": description}
    if pattern is not None:
        param["AllowedPattern"] = pattern
    if default is not None:
        param["Default"] = default
    return param


EMAIL_PARAMETER = text_parameter(
    "Address subscribed to the alerts (confirm the subscription e-mail AWS sends).",
    pattern=r"^[^\s@]+@[^\s@]+$",
)


def template(
    description: str,
    resources: dict[str, Any],
    parameters: dict[str, Any] | None = None,
    outputs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "AWSTemplateFormatVersion": FORMAT_VERSION,
        "Description": description,
        "Resources": resources,
    }
    if parameters:
        body["Parameters"] = parameters
    if outputs:
        body["Outputs"] = outputs
    return body


class _Dumper(yaml.SafeDumper):
    """Writes shared values out in full: CloudFormation rejects YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """YAML with sorted keys, no aliases and no line folding."""
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,
    )
    return text


def dump_json(data: Any) -> str:
    """Indented JSON with sorted keys, ending with a newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stack_name(*parts: str) -> str:
    """A valid stack or StackSet name: letters, digits and hyphens, starting with a letter."""
    name = "-".join(p for p in (_NAME.sub("-", part).strip("-") for part in parts) if p)
    name = name if name[:1].isalpha() else "w-" + name
    return name[:128].rstrip("-")


def slug(text: str, limit: int = 40) -> str:
    """Lower-case letters, digits and hyphens: safe in names and file names."""
    cleaned = _NAME.sub("-", text.lower()).strip("-")
    return cleaned[:limit].rstrip("-") or "workload"
