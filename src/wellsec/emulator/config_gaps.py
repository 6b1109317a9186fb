"""Gap-layer answers for AWS Config, Systems Manager, CloudFormation, ECR and pipeline
operations moto lacks (BP06).
"""

from __future__ import annotations

from typing import Any

# IAM-style operation -> rewriter(info, moto_body, state) -> bytes
REWRITERS: dict[str, Any] = {}
# IAM-style operation -> answerer(info, state, models) -> Reply
ANSWERERS: dict[str, Any] = {}
