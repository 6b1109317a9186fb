"""SEC01-BP06 Automate testing and validation of security controls in pipelines."""

from __future__ import annotations

BP = "SEC01-BP06"
