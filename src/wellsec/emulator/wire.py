"""What a request is (account, region, operation) and AWS-shaped error replies.

The gap layer identifies each request the way AWS would: the caller's
account from the SigV4 access key id, the region and service from the
credential scope, and the operation from the wire protocol (``Action=`` for
query/EC2 protocols, ``X-Amz-Target`` for JSON, the path for RPCv2-CBOR and
REST services).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState

Protocol = Literal["query", "ec2", "json", "cbor", "rest-json", "rest-xml"]
Reply = tuple[int, list[tuple[str, str]], bytes]

# SigV4 signing names whose IAM action prefix differs.
_IAM_PREFIX = {"monitoring": "cloudwatch", "email": "ses", "eventbridge": "events"}
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/([^/]+)/([^/]+)/aws4_request")
_CBOR_PATH = re.compile(r"^/service/[^/]+/operation/([^/?]+)")
_STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    501: "Not Implemented",
}


@dataclass(frozen=True)
class RequestInfo:
    """One signed AWS request as the gap layer sees it."""

    access_key: str
    account_id: str
    region: str
    service: str
    operation: str
    protocol: Protocol
    headers: dict[str, str]
    params: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""

    @property
    def action(self) -> str:
        """The IAM-style action, e.g. ``iam:GetAccountSummary``."""
        return f"{_IAM_PREFIX.get(self.service, self.service)}:{self.operation}"

    def param(self, name: str, default: str = "") -> str:
        """First value of a query-protocol parameter."""
        values = self.params.get(name)
        return values[0] if values else default

    def json_body(self) -> dict[str, object]:
        """The request body parsed as a JSON object (empty if it is not one)."""
        try:
            data = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


# What a gap module offers, by IAM-style operation: REWRITERS rewrite moto's answer
# (info, moto_body, state) -> bytes; ANSWERERS answer in moto's place
# (info, state, models) -> Reply, or None to let moto answer after all.
Rewriter = Callable[[RequestInfo, bytes, GapState], bytes]
Answerer = Callable[[RequestInfo, GapState, ServiceModels], Reply | None]


def account_of_key(access_key: str) -> str:
    """The account owning ``access_key`` (moto's default account if unknown).

    Assumed-role keys belong to the role's account.
    """
    from moto.iam.models import get_account_id_from

    return str(get_account_id_from(access_key))


def parse_request(
    environ: dict[str, object],
    body: bytes,
    models: ServiceModels,
    account_of: Callable[[str], str] = account_of_key,
) -> RequestInfo | None:
    """Identify a SigV4-signed request; None if it is not one."""
    auth = str(environ.get("HTTP_AUTHORIZATION", ""))
    match = _CREDENTIAL.search(auth)
    if match is None:
        return None
    access_key, region, service = match.group(1), match.group(2), match.group(3).lower()
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    headers["content-type"] = str(environ.get("CONTENT_TYPE", ""))
    params = parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True)
    if str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded"):
        for key, values in parse_qs(body.decode("utf-8", "replace"), True).items():
            params.setdefault(key, []).extend(values)
    path = str(environ.get("PATH_INFO", "/"))
    method = str(environ.get("REQUEST_METHOD", "GET"))
    protocol: Protocol
    cbor = _CBOR_PATH.match(path)
    if "x-amz-target" in headers:
        protocol, operation = "json", headers["x-amz-target"].rsplit(".", 1)[-1]
    elif cbor is not None and headers.get("smithy-protocol") == "rpc-v2-cbor":
        protocol, operation = "cbor", cbor.group(1)
    elif "Action" in params:
        protocol = "ec2" if service == "ec2" else "query"
        operation = params["Action"][0]
    else:
        protocol = "rest-xml" if service == "s3" else "rest-json"
        found = models.rest_operation(service, method, path, params, headers)
        operation = found if found is not None else f"{method} {path}"
    return RequestInfo(
        access_key=access_key,
        account_id=account_of(access_key),
        region=region,
        service=service,
        operation=operation,
        protocol=protocol,
        headers=headers,
        params=params,
        body=body,
    )


def status_line(status: int) -> str:
    """A WSGI status line for ``status``."""
    return f"{status} {_STATUS_TEXT.get(status, 'Error')}"


def request_id() -> str:
    """A fresh AWS-style request id."""
    return str(uuid.uuid4())


def xml_reply(body: str, status: int = 200) -> Reply:
    """A text/xml reply."""
    data = body.encode("utf-8")
    rid = request_id()
    return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)], data


def query_reply(namespace: str, operation: str, result: str) -> Reply:
    """The text/xml reply of a query-protocol ``operation``: ``result`` inside its
    Result element, then the response metadata."""
    return xml_reply(
        f'<{operation}Response xmlns="{namespace}"><{operation}Result>{result}</{operation}Result>'
        f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>"
        f"</{operation}Response>"
    )


def json_reply(data: object, status: int = 200) -> Reply:
    """An application/json reply (REST-JSON services)."""
    rid = request_id()
    return (
        status,
        [("Content-Type", "application/json"), ("x-amzn-RequestId", rid)],
        (json.dumps(data).encode("utf-8")),
    )


def error_reply(info: RequestInfo, code: str, message: str, status: int = 400) -> Reply:
    """An error in the request's own protocol, which botocore parses to ``code``."""
    rid = request_id()
    text = escape(message)
    if info.protocol == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            f"<Code>{code}</Code><Message>{text}</Message></Error></Errors>"
            f"<RequestID>{rid}</RequestID></Response>"
        )
        return status, [("Content-Type", "text/xml;charset=UTF-8")], body.encode()
    if info.protocol == "query":
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>{text}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>"
        )
        return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)], body.encode()
    if info.protocol == "rest-xml":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{text}</Message>"
            f"<RequestId>{rid}</RequestId></Error>"
        )
        return status, [("Content-Type", "application/xml")], body.encode()
    return _json_error(info, code, message, status, rid)


def _json_error(info: RequestInfo, code: str, message: str, status: int, rid: str) -> Reply:
    exc = code if code.endswith("Exception") else f"{code}Exception"
    headers = [("x-amzn-RequestId", rid), ("x-amzn-ErrorType", exc)]
    if info.headers.get("x-amzn-query-mode") == "true":
        # awsQueryCompatible services (CloudWatch, SQS) report the query-era code.
        query_code = code.removesuffix("Exception") if code == "AccessDeniedException" else code
        headers.append(("x-amzn-query-error", f"{query_code};Sender"))
    payload = {"__type": exc, "message": message}
    if info.protocol == "cbor":
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        return status, headers, cbor_text_map(payload)
    ctype = info.headers.get("content-type") or "application/x-amz-json-1.1"
    if info.protocol == "rest-json":
        ctype = "application/json"
    headers.append(("Content-Type", ctype))
    return status, headers, json.dumps(payload).encode("utf-8")


def cbor_text_map(data: dict[str, str]) -> bytes:
    """Encode a map of text strings as CBOR (RFC 8949), enough for error bodies."""
    out = bytearray(_cbor_head(5, len(data)))
    for key, value in data.items():
        for text in (key, value):
            raw = text.encode("utf-8")
            out += _cbor_head(3, len(raw)) + raw
    return bytes(out)


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([(major << 5) | length])
    if length < 0x100:
        return bytes([(major << 5) | 24, length])
    if length < 0x10000:
        return bytes([(major << 5) | 25]) + length.to_bytes(2, "big")
    return bytes([(major << 5) | 26]) + length.to_bytes(4, "big")


def access_denied(info: RequestInfo, resource: str = "*") -> Reply:
    """The AccessDenied error AWS gives for ``info``'s operation, in its protocol."""
    message = (
        f"User: {caller_arn(info)} is not authorized to perform: {info.action} "
        f"on resource: {resource} with an explicit deny in a service control policy"
    )
    if info.protocol == "ec2":
        return error_reply(
            info,
            "UnauthorizedOperation",
            f"You are not authorized to perform this operation. {message}",
            403,
        )
    if info.protocol in ("query", "rest-xml"):
        return error_reply(info, "AccessDenied", message, 403)
    return error_reply(
        info, "AccessDeniedException", message, 403 if info.protocol == "rest-json" else 400
    )


def caller_arn(info: RequestInfo) -> str:
    """The ARN AWS would name as the caller of ``info`` (best effort)."""
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    partition = get_partition(info.region)
    try:
        role = sts_backends[info.account_id][partition].get_assumed_role_from_access_key(
            info.access_key
        )
    except KeyError:
        role = None
    if role is not None:
        return str(role.arn)
    return f"arn:{partition}:iam::{info.account_id}:user/moto"
