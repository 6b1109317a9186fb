"""Evidence: what a collector read, or why it could not read it.

:mod:`wellsec.evidence.unavailable` holds the values and their JSON form,
:mod:`wellsec.evidence.key` the typed key object, :mod:`wellsec.evidence.keys` every key
with its level, shape and description, :mod:`wellsec.evidence.shapes` the shapes.
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
