"""Collectors: Security Hub standards, aggregation, automation rules, auto-enabled controls;
Audit Manager (BP03, BP05, BP08).
"""

from __future__ import annotations
