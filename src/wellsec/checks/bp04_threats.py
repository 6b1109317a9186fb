"""SEC01-BP04 Keep up to date with security threats."""

from __future__ import annotations

BP = "SEC01-BP04"
