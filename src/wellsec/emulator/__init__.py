"""An emulated AWS Organization over real HTTP: moto plus a gap layer.

``Emulator`` serves moto's server application on 127.0.0.1 behind a WSGI
gap layer that answers what moto does not model (the root user, centralized
root access, region opt-in, Control Tower) and injects faults for tests;
``build_demo_org`` fills it with a four-account organization with known gaps.
"""

from __future__ import annotations

from wellsec.emulator.scenario import DemoOrg, build_demo_org
from wellsec.emulator.server import Emulator
from wellsec.emulator.state import GapState, RootAccessKey, RootUser

__all__ = [
    "DemoOrg",
    "Emulator",
    "GapState",
    "RootAccessKey",
    "RootUser",
    "build_demo_org",
]
