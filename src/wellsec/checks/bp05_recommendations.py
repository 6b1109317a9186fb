"""SEC01-BP05 Keep up to date with security recommendations."""

from __future__ import annotations

BP = "SEC01-BP05"
