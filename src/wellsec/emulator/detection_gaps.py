"""Gap-layer answers for GuardDuty, Inspector, Shield, CloudFront and load-balancer operations
moto lacks (BP04).
"""

from __future__ import annotations

from typing import Any

# IAM-style operation -> rewriter(info, moto_body, state) -> bytes
REWRITERS: dict[str, Any] = {}
# IAM-style operation -> answerer(info, state, models) -> Reply
ANSWERERS: dict[str, Any] = {}
