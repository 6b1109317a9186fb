"""Collectors: GuardDuty, Inspector, Shield Advanced and internet exposure (BP04)."""

from __future__ import annotations
