"""SEC01-BP08 Evaluate and implement new security services and features regularly."""

from __future__ import annotations

BP = "SEC01-BP08"
