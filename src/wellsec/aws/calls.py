"""Read calls with foreign errors translated once, at the edge, into ``Unavailable`` values.

Every call ends: it has a deadline (retries and pages included, see
:mod:`wellsec.aws.deadline`), a listing stops at ``Connector.max_pages`` pages or at a
page token seen before, and what is cut short is Unavailable with the reason,
never a partial list taken as complete.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jmespath  # type: ignore[import-untyped]  # botocore's own dependency
from botocore import xform_name
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    PaginationError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from wellsec.aws.deadline import CallTimedOut, Watch
from wellsec.aws.retries import DeadlineExceeded
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
# Answers that mean the keys' session ended: ExpiredToken (query protocols, e.g. IAM and
# STS) and ExpiredTokenException, HTTP 403, in the common errors of every service
# (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/CommonErrors.html).
EXPIRED = {"ExpiredToken", "ExpiredTokenException"}
_MESSAGE_LIMIT = 200
# botocore does not retry answers it cannot parse (a truncated or garbled body); we do.
PARSE_ATTEMPTS = 3


class CutShort(Exception):
    """A listing that had to stop before its end, with the reason and a code."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


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
        elif code in EXPIRED:
            reason = "credentials expired and could not be renewed"
        elif code in _THROTTLED:
            reason = "throttled past the retry limit"
        elif isinstance(status, int) and status >= 500:
            reason = f"service error (HTTP {status})"
        else:
            reason = "request failed"
        return Unavailable(f"{reason}: {message}" if message else reason, action, code)
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError):
        return Unavailable("timed out", action, "Timeout")
    if isinstance(exc, DeadlineExceeded):
        return Unavailable("no complete answer before the call's deadline", action, "CallTimeout")
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


def token_reader(config: Mapping[str, Any]) -> Callable[[Any], str | None]:
    """From a paginator's botocore model (paginators-1.json: output_token, more_results),
    a function giving a page's next token as one string, or None on the last page."""
    outputs = config["output_token"]
    found = [jmespath.compile(o) for o in ([outputs] if isinstance(outputs, str) else outputs)]
    more = config.get("more_results")
    more_results = jmespath.compile(more) if more else None

    def read(page: Any) -> str | None:
        if more_results is not None and not more_results.search(page):
            return None
        values = [expression.search(page) for expression in found]
        if all(value in (None, "") for value in values):
            return None
        return json.dumps(values, default=str)

    return read


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
        def once(client: Any, watch: Watch) -> Any:
            answer = getattr(client, xform_name(operation))(**params)
            return check_shape(client, operation, answer)

        return self._bounded(service, region, operation, expected, once)

    def _collect(
        self,
        client: Any,
        method: str,
        operation: str,
        result_key: str,
        params: dict[str, Any],
        watch: Watch,
    ) -> list[Any]:
        items: list[Any] = []
        if not client.can_paginate(method):
            answer = check_shape(client, operation, getattr(client, method)(**params))
            items.extend(answer.get(result_key, []))
            return items
        service = client.meta.service_model.service_name
        next_token = self.connector.memo(
            ("page-token", service, operation),
            lambda: token_reader(self.connector.paginator_config(service, operation)),
        )
        seen: set[str] = set()
        paginator = client.get_paginator(method)
        for pages, page in enumerate(paginator.paginate(**params), start=1):
            items.extend(check_shape(client, operation, page).get(result_key, []))
            token = next_token(page)
            if token is None:
                return items
            if token in seen:
                raise CutShort("the listing loops: a page token came back", "RepeatedPageToken")
            if pages >= self.connector.max_pages:
                raise CutShort(
                    f"more than {self.connector.max_pages} pages: listing stopped",
                    "TooManyPages",
                )
            seen.add(token)
            watch.progress()
        return items

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
        method = xform_name(operation)

        def listing(client: Any, watch: Watch) -> Any:
            return self._collect(client, method, operation, result_key, params, watch)

        return self._bounded(service, region, operation, expected, listing)

    def _bounded(
        self,
        service: str,
        region: str,
        operation: str,
        expected: Mapping[str, Any] | None,
        work: Callable[[Any, Watch], Any],
    ) -> Any:
        """``work(client, watch)`` within the call's deadline, every failure as Unavailable."""
        action = action_name(service, operation)
        try:
            return self.connector.bounded(
                self.account_id,
                lambda watch: self._attempts(service, region, action, expected, work, watch),
            )
        except CallTimedOut as exc:
            return Unavailable(f"{exc}: the call was given up", action, "CallTimeout")

    def _attempts(
        self,
        service: str,
        region: str,
        action: str,
        expected: Mapping[str, Any] | None,
        work: Callable[[Any, Watch], Any],
        watch: Watch,
    ) -> Any:
        client = self.connector.client(self.account_id, service, region)
        renewed = False
        attempt = 0
        while True:
            generation = self.connector.generation(self.account_id)
            try:
                return work(client, watch)
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if expected and code in expected:
                    return expected[code]
                if code in EXPIRED and not renewed:
                    # The keys ran out under this call: renew them once and start again.
                    renewed = True
                    if self.connector.renew(self.account_id, generation):
                        continue
                return unavailable_from(exc, action)
            except ResponseParserError as exc:
                attempt += 1
                if attempt >= PARSE_ATTEMPTS:
                    return unavailable_from(exc, action)
            except CutShort as exc:
                return Unavailable(exc.reason, action, exc.code)
            except PaginationError:
                # botocore's own check: the same token twice in a row.
                return Unavailable(
                    "the listing loops: a page token came back", action, "RepeatedPageToken"
                )
            except BotoCoreError as exc:
                return unavailable_from(exc, action)
