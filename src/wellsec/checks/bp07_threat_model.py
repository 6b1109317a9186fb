"""SEC01-BP07 Identify and prioritize risks using a threat model."""

from __future__ import annotations

BP = "SEC01-BP07"
