"""The collector registry: each collector declares its scope, the evidence it makes and
the IAM actions it calls.

Scopes: ``org`` collectors run once with the management account's reader; ``account``
collectors once per account (in the home region); ``region`` collectors once per
account and scanned region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wellsec.aws.calls import Reader
from wellsec.findings import Scope
from wellsec.snapshot import Evidence

CollectFn = Callable[[Reader, str], Evidence]


@dataclass(frozen=True)
class Collector:
    name: str
    scope: Scope
    keys: tuple[str, ...]
    actions: tuple[str, ...]
    fn: CollectFn
    priority: int = 0  # higher starts first (long waits first)


class CollectorRegistry:
    def __init__(self) -> None:
        self._items: dict[str, Collector] = {}

    def register(
        self,
        *,
        scope: Scope,
        keys: tuple[str, ...],
        actions: tuple[str, ...],
        priority: int = 0,
    ) -> Callable[[CollectFn], CollectFn]:
        def wrap(fn: CollectFn) -> CollectFn:
            name = fn.__name__
            if name in self._items:
                raise ValueError(f"collector {name!r} registered twice")
            self._items[name] = Collector(name, scope, keys, actions, fn, priority)
            return fn

        return wrap

    def all(self, scope: Scope | None = None) -> list[Collector]:
        items = [c for c in self._items.values() if scope is None or c.scope is scope]
        return sorted(items, key=lambda c: (-c.priority, c.name))

    def producers(self, key: str) -> list[Collector]:
        return [c for c in self._items.values() if key in c.keys]


collectors = CollectorRegistry()
