"""The collector registry: each collector declares its scope, the evidence it makes and
the IAM actions it calls.

Scopes: ``org`` collectors run once with the management account's reader; ``account``
collectors once per account (in the home region); ``region`` collectors once per
account and scanned region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wellsec.aws.calls import Reader
from wellsec.evidence import Key, Level
from wellsec.findings import Scope
from wellsec.snapshot import Evidence

CollectFn = Callable[[Reader, str], Evidence]


@dataclass(frozen=True)
class Collector:
    name: str
    scope: Scope
    keys: tuple[Key[Any], ...]
    actions: tuple[str, ...]
    fn: CollectFn
    priority: int = 0  # higher starts first (long waits first)

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)


# Where the evidence of a collector of each scope lands in the snapshot.
LEVELS = {Scope.ORG: Level.ORGANIZATION, Scope.ACCOUNT: Level.ACCOUNT, Scope.REGION: Level.REGION}


class CollectorRegistry:
    def __init__(self) -> None:
        self._items: dict[str, Collector] = {}

    def register(
        self,
        *,
        scope: Scope,
        keys: tuple[Key[Any], ...],
        actions: tuple[str, ...],
        priority: int = 0,
    ) -> Callable[[CollectFn], CollectFn]:
        def wrap(fn: CollectFn) -> CollectFn:
            name = fn.__name__
            if name in self._items:
                raise ValueError(f"collector {name!r} registered twice")
            misplaced = [k.name for k in keys if k.level is not LEVELS[scope]]
            if misplaced:
                raise ValueError(f"collector {name!r} ({scope}) writes {misplaced} elsewhere")
            self._items[name] = Collector(name, scope, keys, actions, fn, priority)
            return fn

        return wrap

    def all(self, scope: Scope | None = None) -> list[Collector]:
        items = [c for c in self._items.values() if scope is None or c.scope is scope]
        return sorted(items, key=lambda c: (-c.priority, c.name))

    def producers(self, key: Key[Any] | str) -> list[Collector]:
        return [c for c in self._items.values() if str(key) in c.key_names]


collectors = CollectorRegistry()
