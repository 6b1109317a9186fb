"""Limits on what wellsec parses, so that a hostile file is a one-line error, not a
RecursionError traceback or minutes of parsing.

- 10 MB for a ``wellsec.yaml``, a lens or a Threat Composer export: the built-in lenses
  are about 60 kB, a workload file a few kB.
- 1 GiB for a snapshot: it grows with the organization (benchmarks/README.md: 300
  accounts x 4 regions wrote 3.6 MB), so real, richer evidence still fits many times.
- Nesting depth 64 (128 in a snapshot, whose evidence holds AWS documents such as
  policies): Python's parsers and our own walkers recurse, and no valid file nests deeper.
- 200,000 YAML nodes once aliases are expanded: PyYAML's ``safe_load`` shares an
  aliased node, but everything that walks the result visits it again, so nine levels of
  ten aliases ("billion laughs") would be 10^9 visits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024
MAX_DEPTH = 64
MAX_SNAPSHOT_DEPTH = 128
MAX_YAML_NODES = 200_000
# libyaml's parser is fast and iterative (PyYAML's own takes seconds on deep flow nesting).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LimitExceeded(ValueError):
    """A file is larger, deeper or wider than wellsec reads; the message says which."""


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; :class:`LimitExceeded` past ``limit`` (read no further than it)."""
    with path.open("rb") as handle:
        if path.is_file() and path.stat().st_size > limit:  # say so without reading it
            raise LimitExceeded(f"larger than the limit of {_size(limit)}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"larger than the limit of {_size(limit)}")
    return data


def _size(n: int) -> str:
    return f"{n // (1024 * 1024 * 1024)} GiB" if n >= 1024**3 else f"{n // (1024 * 1024)} MB"


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`LimitExceeded` if lists and dicts nest deeper than ``limit`` (iterative)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            raise LimitExceeded(f"nested deeper than {limit} levels")
        stack.extend((child, depth + 1) for child in children)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` within the depth and expanded-size limits.

    Depth is measured on the parser's events (PyYAML's composer recurses, so it must not
    see a deeper document); the expanded size on the composed graph, counting a node
    reached through an alias once per reference."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise LimitExceeded(f"nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    node = yaml.compose(text, Loader=_LOADER)
    try:
        size = 0 if node is None else _expanded(node, {})
    except RecursionError:  # an alias inside its own anchor, or a long chain of them
        raise LimitExceeded(f"aliases nest deeper than {MAX_DEPTH} levels") from None
    if size > MAX_YAML_NODES:
        raise LimitExceeded(f"more than {MAX_YAML_NODES} values once aliases are expanded")
    data = yaml.load(text, Loader=_LOADER)  # a safe loader: C or Python SafeLoader
    check_depth(data)  # aliases can nest what the text does not
    return data


def _expanded(node: yaml.Node, seen: dict[int, int]) -> int:
    """Nodes in the tree under ``node`` with every alias expanded (memoised per node)."""
    known = seen.get(id(node))
    if known is not None:
        return known
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_expanded(child, seen) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_expanded(k, seen) + _expanded(v, seen) for k, v in node.value)
    seen[id(node)] = min(total, MAX_YAML_NODES + 1)
    return seen[id(node)]
