"""Injected faults: throttling bursts, server errors, slow answers, resets, bad bodies.

A :class:`FaultSpec` names a kind of fault and, optionally, the operation,
account, region and request parameter it hits and how many times (None: every
time). The gap
layer asks :meth:`GapState.take_fault` on every request.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wellsec.emulator.wire import Reply, RequestInfo, error_reply


class FaultKind(StrEnum):
    THROTTLE = "throttle"  # 400 Throttling / ThrottlingException / RequestLimitExceeded
    SERVER_ERROR = "server-error"  # 500 InternalFailure
    UNAVAILABLE = "unavailable"  # 503 ServiceUnavailable
    SLOW = "slow"  # answer after ``delay`` seconds
    RESET = "reset"  # drop the connection without an answer
    MALFORMED = "malformed"  # 200 with a body that is not the protocol's
    TRUNCATED = "truncated"  # 200 with the real body cut in half
    DENY = "deny"  # AccessDenied, in the protocol's own words


@dataclass(frozen=True)
class FaultSpec:
    kind: FaultKind
    operation: str | None = None  # IAM-style, e.g. "iam:GetAccountSummary"; None: any
    account_id: str | None = None
    region: str | None = None
    times: int | None = None  # None: persistent
    delay: float = 0.0
    # (name, value) of a request parameter, e.g. ("ParentId", "ou-..."): one tree node
    # of many read by the same operation; None: any request.
    parameter: tuple[str, str] | None = None

    def matches(
        self,
        operation: str,
        account_id: str,
        region: str,
        params: Mapping[str, object] | None = None,
    ) -> bool:
        return (
            (self.operation is None or self.operation.lower() == operation.lower())
            and (self.account_id is None or self.account_id == account_id)
            and (self.region is None or self.region == region)
            and (
                self.parameter is None
                or (params is not None and params.get(self.parameter[0]) == self.parameter[1])
            )
        )


def request_parameters(info: RequestInfo) -> dict[str, object]:
    """The request's top-level parameters: the query's first values and the JSON body."""
    found: dict[str, object] = {name: values[0] for name, values in info.params.items() if values}
    if info.protocol in ("json", "rest-json"):
        found.update(info.json_body())
    return found


# Services whose throttling error is not the protocol's usual code. Organizations answers
# TooManyRequestsException (botocore organizations/2016-11-28/service-2.json, in the errors
# of ListAccountsForParent and ListOrganizationalUnitsForParent); botocore's retry modes
# count it as throttling (botocore/retries/standard.py, _THROTTLED_ERROR_CODES).
_SERVICE_THROTTLE = {"organizations": "TooManyRequestsException"}


def _throttle_code(info: RequestInfo) -> str:
    if info.service in _SERVICE_THROTTLE:
        return _SERVICE_THROTTLE[info.service]
    if info.protocol == "ec2":
        return "RequestLimitExceeded"
    return "Throttling" if info.protocol == "query" else "ThrottlingException"


def immediate_reply(spec: FaultSpec, info: RequestInfo, environ: dict[str, Any]) -> Reply | None:
    """The reply a fault makes on its own, or None when the request goes on (slow, truncated)."""
    if spec.kind is FaultKind.THROTTLE:
        return error_reply(info, _throttle_code(info), "Rate exceeded", 400)
    if spec.kind is FaultKind.SERVER_ERROR:
        return error_reply(info, "InternalFailure", "injected internal error", 500)
    if spec.kind is FaultKind.UNAVAILABLE:
        return error_reply(info, "ServiceUnavailable", "injected unavailability", 503)
    if spec.kind is FaultKind.MALFORMED:
        return 200, [("Content-Type", "application/json")], b"\x00{<<not a valid body"
    if spec.kind is FaultKind.RESET:
        connection = environ.get("werkzeug.socket")
        if isinstance(connection, socket.socket):
            connection.shutdown(socket.SHUT_RDWR)
        return 200, [], b""
    if spec.kind is FaultKind.SLOW:
        time.sleep(spec.delay)
    return None


def truncate(reply: Reply) -> Reply:
    status, headers, body = reply
    return status, headers, body[: len(body) // 2]
