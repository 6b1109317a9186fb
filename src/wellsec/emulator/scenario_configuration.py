"""Demo scenario: Config, Systems Manager, CloudFormation drift, ECR scanning, pipelines (BP06)
and threat detection (BP04).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wellsec.emulator.server import Emulator


def build(emulator: Emulator, accounts: dict[str, str], ous: dict[str, str], now: datetime) -> None:
    """Add this part of the demo organization (accounts by name: management,
    security-tooling, prod, dev)."""
