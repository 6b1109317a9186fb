"""Evidence: what a collector read, or why it could not read it.

:mod:`wellsec.evidence.unavailable` holds the values and their JSON form,
:mod:`wellsec.evidence.key` the typed key object, :mod:`wellsec.evidence.keys` every key
with its level, shape and description, :mod:`wellsec.evidence.shapes` and
:mod:`wellsec.evidence.shapes_region` the shapes.

A check reads ``account.get(keys.IAM_ACCOUNT_SUMMARY)`` (typed ``AccountSummary |
Unavailable``), ``account.region_get(region, keys.CONFIG_RECORDERS)`` or
``snapshot.org_get(keys.SCPS)``; ``str(key)`` is its name, for declarations that list
names. A collector returns ``keys.X.of(value)`` and registers ``keys=(keys.X, ...)``.
"""

from __future__ import annotations

from wellsec.evidence.key import Key, Level, unavailable_for
from wellsec.evidence.unavailable import (
    UNAVAILABLE_KEY,
    Unavailable,
    decode,
    encode,
    is_unavailable,
)

__all__ = [
    "UNAVAILABLE_KEY",
    "Key",
    "Level",
    "Unavailable",
    "decode",
    "encode",
    "is_unavailable",
    "unavailable_for",
]
