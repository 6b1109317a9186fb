"""Evidence values: what a collector read, or why it could not read it (and their JSON form)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from typing_extensions import TypeIs

UNAVAILABLE_KEY = "$unavailable"


@dataclass(frozen=True)
class Unavailable:
    """Evidence that could not be collected, and why.

    ``operation`` is the IAM action of the failed call (``iam:GetAccountSummary``);
    ``code`` the AWS error code when there was one (``AccessDenied``).
    """

    reason: str
    operation: str
    code: str | None = None

    def describe(self) -> str:
        code = f" ({self.code})" if self.code else ""
        return f"{self.operation} unavailable{code}: {self.reason}"


def is_unavailable(value: object) -> TypeIs[Unavailable]:
    return isinstance(value, Unavailable)


def encode(value: Any) -> Any:
    """Turn evidence (which may hold ``Unavailable`` anywhere) into plain JSON data."""
    if isinstance(value, Unavailable):
        body: dict[str, str] = {"reason": value.reason, "operation": value.operation}
        if value.code:
            body["code"] = value.code
        return {UNAVAILABLE_KEY: body}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    """Inverse of :func:`encode`."""
    if isinstance(value, dict):
        if set(value) == {UNAVAILABLE_KEY}:
            body = value[UNAVAILABLE_KEY]
            if not isinstance(body, dict) or not isinstance(body.get("reason"), str):
                raise ValueError("malformed $unavailable value")
            return Unavailable(
                reason=body["reason"],
                operation=str(body.get("operation", "")),
                code=body.get("code"),
            )
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value
