"""Injected faults: throttling bursts, server errors, slow answers, resets, bad bodies,
endless listings, trickled answers and expiring credentials.

A :class:`FaultSpec` names a kind of fault and, optionally, the operation,
account, region and request parameter it hits and how many times (None: every
time). The gap layer asks :meth:`GapState.take_fault` on every request. Credential
expiry is a setting of the state instead (:meth:`GapState.expire_credentials`), since
it hits keys, not requests.
"""

from __future__ import annotations

import functools
import io
import json
import re
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl, urlencode

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
    PAGES_FOREVER = "pages-forever"  # the real page, always with a new next-page token
    PAGES_LOOP = "pages-loop"  # the real page, with next-page tokens cycling A, B, A, ...
    TRICKLE = "trickle"  # the real answer, one byte every ``delay`` seconds (slow loris)


PAGING = frozenset({FaultKind.PAGES_FOREVER, FaultKind.PAGES_LOOP})
# Tokens the paging faults hand out; a request carrying one is answered as a first page.
PAGE_TOKEN = "wellsec-fault-page-"


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


def trickle(body: bytes, delay: float) -> Iterator[bytes]:
    """``body`` one byte at a time, ``delay`` seconds apart: every socket read gets a byte
    well within any read timeout, so only a deadline on the whole answer ends it."""
    for index in range(len(body)):
        if index:
            time.sleep(delay)
        yield body[index : index + 1]


# -- endless listings ------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    """Where an operation's page tokens go, from botocore's paginators-1.json."""

    input_token: str
    output_token: str
    more_results: str | None = None

    @staticmethod
    def of(config: dict[str, Any] | None) -> Paging | None:
        """The paging of a paginator model entry; None where tokens are not plain keys."""
        if not config:
            return None
        inputs, outputs = config.get("input_token"), config.get("output_token")
        if not (isinstance(inputs, str) and isinstance(outputs, str)):
            return None
        if not re.fullmatch(r"\w+", outputs):
            return None
        more = config.get("more_results")
        return Paging(inputs, outputs, more if isinstance(more, str) else None)


def page_token_in(info: RequestInfo, paging: Paging) -> str | None:
    """The paging fault's own token carried by the request, if any."""
    if info.protocol in ("json", "rest-json"):
        found = info.json_body().get(paging.input_token)
    else:
        found = info.param(paging.input_token) or None
    return found if isinstance(found, str) and found.startswith(PAGE_TOKEN) else None


def strip_page_token(
    environ: dict[str, Any], body: bytes, info: RequestInfo, paging: Paging
) -> bytes:
    """The request body without the fault's token, so the backend answers a first page."""
    if info.protocol in ("json", "rest-json"):
        data = info.json_body()
        data.pop(paging.input_token, None)
        body = json.dumps(data).encode("utf-8")
    elif info.protocol in ("query", "ec2"):
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        body = urlencode([(k, v) for k, v in pairs if k != paging.input_token]).encode()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def next_page_token(kind: FaultKind, incoming: str | None) -> str:
    """A new token every page (PAGES_FOREVER), or two that take turns (PAGES_LOOP)."""
    number = int(incoming.removeprefix(PAGE_TOKEN)) if incoming else 0
    if kind is FaultKind.PAGES_LOOP:
        return f"{PAGE_TOKEN}{1 if number == 2 else 2}"
    return f"{PAGE_TOKEN}{number + 1}"


def add_page_token(reply: Reply, info: RequestInfo, paging: Paging, token: str) -> Reply:
    """The reply, saying another page follows at ``token``."""
    status, headers, body = reply
    if status != 200:
        return reply
    if info.protocol in ("json", "rest-json"):
        data = json.loads(body or b"{}")
        data[paging.output_token] = token
        if paging.more_results:
            data[paging.more_results] = True
        return status, headers, json.dumps(data).encode("utf-8")
    if info.protocol not in ("query", "ec2"):
        return reply
    text = body.decode("utf-8")
    names = [paging.output_token] + ([paging.more_results] if paging.more_results else [])
    if info.protocol == "ec2":  # EC2's XML names are lower camel case (nextToken)
        names = [name[0].lower() + name[1:] for name in names]
    for name in names:
        text = re.sub(rf"<{name}>[^<]*</{name}>|<{name}\s*/>", "", text)
    added = f"<{names[0]}>{token}</{names[0]}>" + "".join(f"<{n}>true</{n}>" for n in names[1:])
    end = (
        f"</{info.operation}Result>" if info.protocol == "query" else f"</{info.operation}Response>"
    )
    return status, headers, text.replace(end, added + end, 1).encode("utf-8")


# -- expiring credentials --------------------------------------------------------------

_ACCESS_KEY = re.compile(r"<AccessKeyId>([^<]+)</AccessKeyId>")
_EXPIRATION = re.compile(r"<Expiration>[^<]*</Expiration>")


def expired_token(info: RequestInfo) -> Reply:
    """AWS's answer to keys whose session has ended: ExpiredToken in query protocols (IAM,
    STS), ExpiredTokenException elsewhere, HTTP 403 (the services' Common Errors pages,
    e.g. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/CommonErrors.html)."""
    code = "ExpiredToken" if info.protocol == "query" else "ExpiredTokenException"
    return error_reply(info, code, "The security token included in the request is expired", 403)


def note_assumed_keys(info: RequestInfo, data: bytes, state: Any) -> bytes:
    """Record when sts:AssumeRole issued its keys; with announced expiry, say when they
    end in ``Credentials.Expiration`` as STS does."""
    # catalogue: sts:AssumeRole
    expiry = state.credential_expiry()
    if expiry is None:
        return data
    seconds, announced = expiry
    text = data.decode("utf-8")
    match = _ACCESS_KEY.search(text)
    if match is None:
        return data
    state.note_keys_issued(match.group(1))
    if not announced:
        return data
    ends = (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _EXPIRATION.sub(f"<Expiration>{ends}</Expiration>", text, count=1).encode("utf-8")
