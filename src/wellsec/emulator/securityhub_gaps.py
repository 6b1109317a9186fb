"""Gap-layer answers for Security Hub, Health, Trusted Advisor, Audit Manager and other
security-service operations moto lacks (BP03, BP05, BP08).
"""

from __future__ import annotations

from typing import Any

# IAM-style operation -> rewriter(info, moto_body, state) -> bytes
REWRITERS: dict[str, Any] = {}
# IAM-style operation -> answerer(info, state, models) -> Reply
ANSWERERS: dict[str, Any] = {}
