"""Read calls with foreign errors translated once, at the edge, into ``Unavailable`` values."""

from __future__ import annotations

import json
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
from botocore.parsers import ResponseParserError

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
# botocore does not retry answers it cannot parse (a truncated or garbled body); we do.
PARSE_ATTEMPTS = 3


def action_name(service: str, operation: str) -> str:
    """The IAM action for a boto3 client name and API operation (``iam:GetAccountSummary``)."""
    return f"{service}:{operation}"


def unavailable_from(
    exc: BotoCoreError | ClientError | ResponseParserError, action: str
) -> Unavailable:
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
    if isinstance(exc, ResponseParserError):
        return Unavailable("the answer could not be parsed", action, "ResponseParserError")
    if isinstance(exc, EndpointConnectionError):
        return Unavailable(
            "endpoint not reachable (service may not exist in this region)",
            action,
            "EndpointConnectionError",
        )
    return Unavailable(f"client error: {type(exc).__name__}", action, type(exc).__name__)


def check_shape(client: Any, operation: str, answer: Any) -> Any:
    """Refuse an answer whose keys its operation's output shape does not have.

    botocore turns a garbled JSON body into ``{"message": <body>}`` rather than an
    error; taken at face value that reads as an empty result, a verdict on nothing.
    """
    if not isinstance(answer, dict):
        raise ResponseParserError(f"{operation}: answer is not an object")
    shape = client.meta.service_model.operation_model(operation).output_shape
    allowed = set(shape.members) if shape is not None else set()
    unexpected = set(answer) - allowed - {"ResponseMetadata"}
    if unexpected:
        raise ResponseParserError(f"{operation}: unexpected fields {sorted(unexpected)[:3]}")
    return answer


def _key(
    kind: str,
    account: str,
    service: str,
    region: str,
    operation: str,
    expected: Mapping[str, Any] | None,
    params: dict[str, Any],
) -> tuple[str, ...]:
    return (
        kind,
        account,
        service,
        region,
        operation,
        json.dumps(params, sort_keys=True, default=str),
        json.dumps(sorted((expected or {}).items()), default=str),
    )


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
        *,
        reuse: bool = True,
        **params: Any,
    ) -> Any:
        """Call ``operation``; an error code listed in ``expected`` returns its value instead.

        The same read in the same account and region is sent once per scan, unless
        ``reuse`` is false (polling)."""
        if not reuse:
            return self._call(service, region, operation, expected, params)
        key = _key("call", self.account_id, service, region, operation, expected, params)
        return self.connector.once(
            key, lambda: self._call(service, region, operation, expected, params), self.account_id
        )

    def _call(
        self,
        service: str,
        region: str,
        operation: str,
        expected: Mapping[str, Any] | None,
        params: dict[str, Any],
    ) -> Any:
        action = action_name(service, operation)
        client = self.connector.client(self.account_id, service, region)
        for attempt in range(PARSE_ATTEMPTS):
            try:
                with self.connector.acting(self.account_id):
                    answer = getattr(client, xform_name(operation))(**params)
                return check_shape(client, operation, answer)
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if expected and code in expected:
                    return expected[code]
                return unavailable_from(exc, action)
            except ResponseParserError as exc:
                if attempt == PARSE_ATTEMPTS - 1:
                    return unavailable_from(exc, action)
            except BotoCoreError as exc:
                return unavailable_from(exc, action)
        raise AssertionError("unreachable")

    @staticmethod
    def _collect(
        client: Any,
        method: str,
        operation: str,
        result_key: str,
        params: dict[str, Any],
        items: list[Any],
    ) -> None:
        if client.can_paginate(method):
            for page in client.get_paginator(method).paginate(**params):
                items.extend(check_shape(client, operation, page).get(result_key, []))
        else:
            answer = check_shape(client, operation, getattr(client, method)(**params))
            items.extend(answer.get(result_key, []))

    def paginate(
        self,
        service: str,
        region: str,
        operation: str,
        result_key: str,
        expected: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> Any:
        """All items of a paginated list operation, or Unavailable (one request per scan)."""
        key = _key("pages", self.account_id, service, region, operation, expected, params)
        key = (*key, result_key)
        return self.connector.once(
            key,
            lambda: self._paginate(service, region, operation, result_key, expected, params),
            self.account_id,
        )

    def _paginate(
        self,
        service: str,
        region: str,
        operation: str,
        result_key: str,
        expected: Mapping[str, Any] | None,
        params: dict[str, Any],
    ) -> Any:
        action = action_name(service, operation)
        client = self.connector.client(self.account_id, service, region)
        method = xform_name(operation)
        for attempt in range(PARSE_ATTEMPTS):
            items: list[Any] = []
            try:
                with self.connector.acting(self.account_id):
                    self._collect(client, method, operation, result_key, params, items)
                return items
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if expected and code in expected:
                    return expected[code]
                return unavailable_from(exc, action)
            except ResponseParserError as exc:
                if attempt == PARSE_ATTEMPTS - 1:
                    return unavailable_from(exc, action)
            except BotoCoreError as exc:
                return unavailable_from(exc, action)
        raise AssertionError("unreachable")
