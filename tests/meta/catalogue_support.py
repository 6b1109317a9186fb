"""What the catalogue meta-tests share: the operations the scan sends, per collector."""

from __future__ import annotations

import importlib
import pkgutil

import wellsec.collect
from wellsec.collect.registry import Collector, collectors

# Sent by the scan itself (src/wellsec/aws/session.py, src/wellsec/collect/scan.py), not
# by a collector: the caller's identity, entering each account, and the enabled regions.
SCAN_ACTIONS = frozenset({"sts:GetCallerIdentity", "sts:AssumeRole", "ec2:DescribeRegions"})


def all_collectors() -> list[Collector]:
    """Every registered collector (importing every collector module first)."""
    for module in pkgutil.iter_modules(wellsec.collect.__path__):
        importlib.import_module(f"wellsec.collect.{module.name}")
    return collectors.all()


def declared_actions() -> set[str]:
    """Every IAM action any collector declares, plus those the scan sends itself."""
    return {a for c in all_collectors() for a in c.actions} | SCAN_ACTIONS
