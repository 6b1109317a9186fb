"""Injected faults: throttling bursts, server errors, slow answers, resets, bad bodies.

A :class:`FaultSpec` names a kind of fault and, optionally, the operation,
account and region it hits and how many times (None: every time). The gap
layer asks :meth:`GapState.take_fault` on every request.
"""

from __future__ import annotations

import functools
import json
import socket
import time
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import botocore.session
from botocore.exceptions import UnknownServiceError

from wellsec.emulator.wire import Reply, RequestInfo, cbor_text_map, error_reply, request_id


class FaultKind(StrEnum):
    THROTTLE = "throttle"  # 400 Throttling / ThrottlingException / RequestLimitExceeded
    SERVER_ERROR = "server-error"  # 500 InternalFailure
    UNAVAILABLE = "unavailable"  # 503 ServiceUnavailable
    SLOW = "slow"  # answer after ``delay`` seconds
    RESET = "reset"  # drop the connection without an answer
    MALFORMED = "malformed"  # 200 with a body that is not the protocol's
    TRUNCATED = "truncated"  # 200 with the real body cut in half
    DENY = "deny"  # AccessDenied, in the protocol's own words
    ERROR = "error"  # any error: ``code`` with HTTP ``status`` (a modelled error shape)


@dataclass(frozen=True)
class FaultSpec:
    kind: FaultKind
    operation: str | None = None  # IAM-style, e.g. "iam:GetAccountSummary"; None: any
    account_id: str | None = None
    region: str | None = None
    times: int | None = None  # None: persistent
    delay: float = 0.0
    code: str = ""  # ERROR: the error code botocore reports, e.g. "TrailNotFoundException"
    status: int = 400  # ERROR: the HTTP status

    def matches(self, operation: str, account_id: str, region: str) -> bool:
        return (
            (self.operation is None or self.operation.lower() == operation.lower())
            and (self.account_id is None or self.account_id == account_id)
            and (self.region is None or self.region == region)
        )


def _throttle_code(info: RequestInfo) -> str:
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
    if spec.kind is FaultKind.ERROR:
        return coded_error(info, spec.code, spec.status)
    if spec.kind is FaultKind.SLOW:
        time.sleep(spec.delay)
    return None


def truncate(reply: Reply) -> Reply:
    status, headers, body = reply
    return status, headers, body[: len(body) // 2]


# -- ERROR: any error code, exactly as the service's model names it -----------------


@functools.cache
def _model_protocol(signing_name: str) -> str:
    """The protocol of a service's botocore model ("" if botocore does not know it)."""
    try:
        return str(botocore.session.get_session().get_service_model(signing_name).protocol)
    except UnknownServiceError:
        return ""


def coded_error(info: RequestInfo, code: str, status: int) -> Reply:
    """An error botocore parses to exactly ``code``, in the request's protocol.

    The JSON protocols carry the code in ``__type`` and ``x-amzn-ErrorType``
    (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization);
    the XML protocols in ``<Code>``, which :func:`error_reply` writes verbatim.
    """
    message = f"injected {code}"
    if info.protocol == "rest-json" and _model_protocol(info.service) == "rest-xml":
        # CloudFront and the other REST-XML services wrap errors as the query protocol does
        # (https://docs.aws.amazon.com/cloudfront/latest/APIReference/CommonErrors.html).
        return error_reply(replace(info, protocol="query"), code, message, status)
    if info.protocol in ("query", "ec2", "rest-xml"):
        return error_reply(info, code, message, status)
    headers = [("x-amzn-RequestId", request_id()), ("x-amzn-ErrorType", code)]
    if info.headers.get("x-amzn-query-mode") == "true":
        headers.append(("x-amzn-query-error", f"{code};Sender"))
    payload = {"__type": code, "message": message}
    if info.protocol == "cbor":
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        return status, headers, cbor_text_map(payload)
    ctype = "application/json" if info.protocol == "rest-json" else "application/x-amz-json-1.1"
    headers.append(("Content-Type", info.headers.get("content-type") or ctype))
    return status, headers, json.dumps(payload).encode("utf-8")
