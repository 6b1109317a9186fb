"""Names from AWS that commands carry: taken whole from the finding's resource and checked
against AWS's own rules (the botocore service models), or refused with a reason.

A finding names its resource ``arn:...:configuration-recorder/<name>``; the name is
everything after that marker, slashes included (a recorder name may hold any character:
botocore config/2014-11-12 ``RecorderName`` has only a length, 1 to 256).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from wellsec.fix.commands import unsafe_character
from wellsec.fix.source import Row


@dataclass(frozen=True)
class NameRule:
    """Where a finding's resource holds a name, and the length AWS accepts for it."""

    label: str
    marker: str
    most: int
    source: str  # the botocore shape the length comes from


RECORDER = NameRule(
    "configuration recorder",
    ":configuration-recorder/",
    256,
    "botocore config/2014-11-12 RecorderName",
)
DETECTOR = NameRule("detector", ":detector/", 300, "botocore guardduty/2017-11-28 DetectorId")
# botocore organizations/2016-11-28 RootId: "^r-[0-9a-z]{4,32}$"
ROOT_ID = re.compile(r"^r-[0-9a-z]{4,32}$")


def name_in(rule: NameRule, row: Row) -> str:
    """The whole name after the rule's marker in the finding's resource."""
    return row.resource.split(rule.marker, 1)[1] if rule.marker in row.resource else ""


def refusal(rule: NameRule, name: str | None) -> str | None:
    """Why ``name`` cannot go into a command, or None when it can."""
    if not name:
        return f"the finding names no {rule.label}"
    if len(name) > rule.most:
        return (
            f"its {rule.label} name has {len(name)} characters, more than the {rule.most} "
            f"AWS accepts ({rule.source})"
        )
    if unsafe_character(name):
        return (
            f"its {rule.label} name holds a control or invisible character, which no "
            "reviewed command can carry safely"
        )
    return None


def refuse_named(rule: NameRule) -> Callable[[Row], str | None]:
    """A remedy's ``refuse``: the row's name checked against ``rule``."""

    def refuse(row: Row) -> str | None:
        return refusal(rule, name_in(rule, row))

    return refuse


def refuse_root(row: Row) -> str | None:
    if ROOT_ID.match(row.resource):
        return None
    return "its organization root id is not one AWS issues (botocore organizations RootId)"
