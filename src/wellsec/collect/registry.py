"""The collector registry: each collector declares its scope, the evidence it makes and
the IAM actions it calls.

Scopes: ``org`` collectors run once with the management account's reader; ``account``
collectors once per account (in the home region); ``region`` collectors once per
account and scanned region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from wellsec.aws.calls import Reader
from wellsec.evidence import Key, Level, Unavailable, is_unavailable
from wellsec.findings import Scope
from wellsec.snapshot import Evidence

CollectFn = Callable[[Reader, str], Evidence]
Item = dict[str, Any]  # one item of an AWS list reply
T = TypeVar("T")


def each(
    items: list[Item] | Unavailable,
    fn: Callable[[Item], T],
    keep: Callable[[Item], bool] = lambda item: True,
) -> list[T] | Unavailable:
    """``fn`` of every item read (that ``keep`` selects), or why they could not be read."""
    return items if is_unavailable(items) else [fn(item) for item in items if keep(item)]


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
        self, *, keys: tuple[Key[Any], ...], actions: tuple[str, ...], priority: int = 0
    ) -> Callable[[CollectFn], CollectFn]:
        """Register a collector of ``keys``; it runs at their level (all keys of one
        collector live at one level: organization, account or region)."""

        def wrap(fn: CollectFn) -> CollectFn:
            name = fn.__name__
            if name in self._items:
                raise ValueError(f"collector {name!r} registered twice")
            scopes = {s for s, level in LEVELS.items() for k in keys if k.level is level}
            if len(scopes) != 1 or len({k.level for k in keys}) != 1:
                raise ValueError(f"collector {name!r} writes keys of several levels")
            (scope,) = scopes
            self._items[name] = Collector(name, scope, keys, actions, fn, priority)
            return fn

        return wrap

    def listing(
        self,
        key: Key[list[T]],
        action: str,
        result: str,
        *,
        client: str = "",
        keep: Callable[[Item], bool] = lambda item: True,
        order: Callable[[T], Any] | None = None,
        **params: Any,
    ) -> Callable[[Callable[[Item], T]], CollectFn]:
        """Register a collector of one paginated list (``result`` of the reply of the IAM
        ``action``): ``key`` holds what the decorated function makes of each item ``keep``
        selects (sorted by ``order`` when given), or why the list could not be read.
        ``client`` names the boto3 client when it is not the action's service."""
        service, operation = action.split(":")

        def wrap(item: Callable[[Item], T]) -> CollectFn:
            def collect(reader: Reader, region: str) -> Evidence:
                listed = reader.paginate(client or service, region, operation, result, **params)
                found = each(listed, item, keep)
                if order is not None and not is_unavailable(found):
                    found = sorted(found, key=order)
                return key.of(found)

            collect.__name__, collect.__doc__ = item.__name__, item.__doc__
            return self.register(keys=(key,), actions=(action,))(collect)

        return wrap

    def all(self, scope: Scope | None = None) -> list[Collector]:
        items = [c for c in self._items.values() if scope is None or c.scope is scope]
        return sorted(items, key=lambda c: (-c.priority, c.name))

    def producers(self, key: Key[Any] | str) -> list[Collector]:
        return [c for c in self._items.values() if str(key) in c.key_names]


collectors = CollectorRegistry()
