"""A typed evidence key: its name, where it lives, the shape of its value, what it holds.

``Key[T]`` lets the snapshot's accessors return ``T | Unavailable`` under mypy, and lets
the snapshot codec check a saved value's shape before any check reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from wellsec.evidence.unavailable import Unavailable, is_unavailable

T = TypeVar("T")


class Level(StrEnum):
    """Where a key's value lives in a snapshot."""

    ORGANIZATION = "organization"  # Snapshot.organization, read once
    ACCOUNT = "account"  # AccountSnapshot.evidence
    REGION = "region"  # AccountSnapshot.regions[region]
    LOCAL = "local"  # read by checks from local files or the store; never in a snapshot


@dataclass(frozen=True, eq=False)
class Key(Generic[T]):
    """One evidence key. ``shape`` is the type of its value when it was read (a
    ``TypedDict``, a list of them, ...); an :class:`Unavailable` is always allowed too."""

    name: str
    level: Level
    shape: Any = field(repr=False)
    description: str
    # Written by the scan itself rather than by a registered collector.
    by_scan: bool = False

    def __str__(self) -> str:
        return self.name

    @cached_property
    def _adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self.shape)

    def problem(self, value: object) -> str | None:
        """Why ``value`` does not have this key's shape, or None when it does."""
        if is_unavailable(value):
            return None
        try:
            self._adapter.validate_python(value, strict=True)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "value"
            return f"{where}: {first['msg']} ({exc.error_count()} problem(s))"
        return None

    def checked(self, value: object) -> Any:
        """``value`` when it has this key's shape, else an Unavailable naming the key."""
        problem = self.problem(value)
        if problem is None:
            return value
        return Unavailable(f"saved evidence {self.name!r} is malformed: {problem}", self.name)

    def of(self, value: T | Unavailable) -> dict[str, Any]:
        """Evidence holding ``value`` under this key (what a collector returns)."""
        return {self.name: value}


def unavailable_for(why: Unavailable, *keys: Key[Any]) -> dict[str, Any]:
    """Evidence saying that none of ``keys`` could be read, and why."""
    return dict.fromkeys((k.name for k in keys), why)
