"""SEC01-BP03 Identify and validate control objectives."""

from __future__ import annotations

BP = "SEC01-BP03"
