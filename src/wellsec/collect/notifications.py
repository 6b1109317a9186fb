"""Collectors: AWS Health and findings event routing, Trusted Advisor reachability, Config
remediation (BP05, BP08).
"""

from __future__ import annotations
