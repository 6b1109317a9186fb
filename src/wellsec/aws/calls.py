"""Read calls with foreign errors translated once, at the edge, into ``Unavailable`` values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from wellsec.aws.session import Connector
from wellsec.evidence import Unavailable

_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthorizationErrorException",
}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
}
_MESSAGE_LIMIT = 200


def action_name(service: str, operation: str) -> str:
    """The IAM action for a boto3 client name and API operation (``iam:GetAccountSummary``)."""
    return f"{service}:{operation}"


def unavailable_from(exc: BotoCoreError | ClientError, action: str) -> Unavailable:
    """Describe a failed call without secrets: the code and a short message."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "Error")
        message = str(error.get("Message") or "").strip()[:_MESSAGE_LIMIT]
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in _DENIED:
            reason = "access denied"
        elif code in _THROTTLED:
            reason = "throttled past the retry limit"
        elif isinstance(status, int) and status >= 500:
            reason = f"service error (HTTP {status})"
        else:
            reason = "request failed"
        return Unavailable(f"{reason}: {message}" if message else reason, action, code)
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError):
        return Unavailable("timed out", action, "Timeout")
    if isinstance(exc, EndpointConnectionError):
        return Unavailable(
            "endpoint not reachable (service may not exist in this region)",
            action,
            "EndpointConnectionError",
        )
    return Unavailable(f"client error: {type(exc).__name__}", action, type(exc).__name__)


@dataclass(frozen=True)
class Reader:
    """Read-only calls in one account; every failure comes back as :class:`Unavailable`."""

    connector: Connector
    account_id: str

    def call(
        self,
        service: str,
        region: str,
        operation: str,
        expected: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> Any:
        """Call ``operation``; an error code listed in ``expected`` returns its value instead."""
        action = action_name(service, operation)
        client = self.connector.client(self.account_id, service, region)
        try:
            return getattr(client, xform_name(operation))(**params)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if expected and code in expected:
                return expected[code]
            return unavailable_from(exc, action)
        except BotoCoreError as exc:
            return unavailable_from(exc, action)

    def paginate(
        self,
        service: str,
        region: str,
        operation: str,
        result_key: str,
        expected: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> Any:
        """All items of a paginated list operation, or Unavailable."""
        action = action_name(service, operation)
        client = self.connector.client(self.account_id, service, region)
        method = xform_name(operation)
        items: list[Any] = []
        try:
            if client.can_paginate(method):
                for page in client.get_paginator(method).paginate(**params):
                    items.extend(page.get(result_key, []))
            else:
                items.extend(getattr(client, method)(**params).get(result_key, []))
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if expected and code in expected:
                return expected[code]
            return unavailable_from(exc, action)
        except BotoCoreError as exc:
            return unavailable_from(exc, action)
        return items
