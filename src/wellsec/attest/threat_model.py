"""Threat models the workload points at (Threat Composer exports and other documents)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def load_reports(refs: list[str], now: dt.datetime) -> tuple[Any, ...]:
    """Read and assess each threat-model reference; one report per reference."""
    return ()
