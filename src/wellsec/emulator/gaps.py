"""The gap layer: a WSGI middleware in front of moto's server application.

For each signed request it counts the operation, applies injected faults,
answers the operations moto lacks, rewrites the answers moto gets wrong for
the scenario (root user, region opt-in) and passes everything else to moto
unchanged.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from wellsec.emulator import (
    config_gaps,
    detection_gaps,
    iam_gaps,
    inventory_gaps,
    region_gaps,
    remediation_gaps,
    securityhub_findings_gaps,
    securityhub_gaps,
)
from wellsec.emulator.faults import (
    FaultKind,
    FaultSpec,
    immediate_reply,
    request_parameters,
    truncate,
)
from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import (
    Reply,
    RequestInfo,
    access_denied,
    caller_arn,
    error_reply,
    parse_request,
    status_line,
)

Rewriter = Callable[[RequestInfo, bytes, GapState], bytes]
Answerer = Callable[[RequestInfo, GapState, ServiceModels], Reply]

REWRITERS: dict[str, Rewriter] = {
    "iam:GetAccountSummary": iam_gaps.rewrite_account_summary,
    "iam:GenerateCredentialReport": iam_gaps.note_report_generation,
    "iam:GetCredentialReport": iam_gaps.rewrite_credential_report,
    "iam:ListVirtualMFADevices": iam_gaps.rewrite_virtual_mfa,
    "ec2:DescribeRegions": region_gaps.rewrite_describe_regions,
}
ANSWERERS: dict[str, Answerer] = {
    "iam:ListOrganizationsFeatures": lambda i, s, _m: iam_gaps.list_organizations_features(i, s),
    "account:ListRegions": region_gaps.account_list_regions,
    "account:GetRegionOptStatus": region_gaps.account_get_region_opt_status,
    "controltower:ListLandingZones": region_gaps.list_landing_zones,
}

# Gap modules for further services register their own answers.
for _module in (
    securityhub_gaps,
    config_gaps,
    detection_gaps,
    inventory_gaps,
    securityhub_findings_gaps,
    remediation_gaps,
):
    REWRITERS.update(_module.REWRITERS)
    ANSWERERS.update(_module.ANSWERERS)


def read_body(environ: WSGIEnvironment) -> bytes:
    """Read the request body once and give the environ a fresh, rewound copy."""
    stream = environ["wsgi.input"]
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        length = -1
    if length >= 0:
        body = stream.read(length) if length else b""
    elif environ.get("wsgi.input_terminated"):  # chunked: the server de-chunks to EOF
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _respond(start_response: StartResponse, reply: Reply) -> list[bytes]:
    status, headers, body = reply
    kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
    start_response(status_line(status), [*kept, ("Content-Length", str(len(body)))])
    return [body]


def _call(app: WSGIApplication, environ: WSGIEnvironment) -> Reply:
    captured: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"], captured["headers"] = status, headers
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return int(str(captured["status"]).split()[0]), list(captured["headers"]), b"".join(chunks)


class GapLayer:
    """WSGI middleware filling moto's gaps from a :class:`GapState`."""

    def __init__(self, app: WSGIApplication, state: GapState) -> None:
        self.app = app
        self.state = state
        self.models = ServiceModels()
        self._known_services: dict[str, bool] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Handle one request, timing the work (injected delays excluded)."""
        started = time.perf_counter()
        slept: list[float] = []
        try:
            return self._dispatch(environ, start_response, slept)
        finally:
            busy = time.perf_counter() - started - sum(slept)
            self.state.add_service_time(max(0.0, busy))

    def _dispatch(
        self, environ: WSGIEnvironment, start_response: StartResponse, slept: list[float]
    ) -> Iterable[bytes]:
        if str(environ.get("PATH_INFO", "")).startswith("/moto-api"):
            return self.app(environ, start_response)
        body = read_body(environ)
        info = parse_request(environ, body, self.models)
        if info is None:
            return self.app(environ, start_response)
        self.state.count(info.action)
        fault = self.state.take_fault(
            info.action, info.account_id, info.region, request_parameters(info)
        )
        if fault is not None:
            if fault.kind is FaultKind.SLOW:
                slept.append(fault.delay)
            if fault.kind is FaultKind.DENY:
                return _respond(start_response, access_denied(info))
            made = immediate_reply(fault, info, environ)
            if made is not None:
                return _respond(start_response, made)
        reply = self._intercept(info)
        if reply is not None:
            return _respond(start_response, truncate(reply) if _truncating(fault) else reply)
        rewriter = REWRITERS.get(info.action)
        try:
            if rewriter is None and not _truncating(fault):
                return self.app(environ, start_response)
            status, headers, data = _call(self.app, environ)
        except NotImplementedError:
            return _respond(start_response, _not_implemented(info))
        if status == 200 and rewriter is not None:
            data = rewriter(info, data, self.state)
        reply = (status, headers, data)
        return _respond(start_response, truncate(reply) if _truncating(fault) else reply)

    def _intercept(self, info: RequestInfo) -> Reply | None:
        """A reply made here rather than by moto, or None."""
        if info.action == "sts:AssumeRole":
            role_arn = info.param("RoleArn")
            parts = role_arn.split(":")
            if len(parts) > 4 and self.state.is_role_blocked(parts[4]):
                return error_reply(
                    info,
                    "AccessDenied",
                    f"User: {caller_arn(info)} is not authorized to perform: sts:AssumeRole "
                    f"on resource: {role_arn}",
                    403,
                )
        answer = ANSWERERS.get(info.action)
        if answer is not None:
            return answer(info, self.state, self.models)
        if not self._moto_knows(info.service, info.region):
            return _not_implemented(info)
        return None

    def _moto_knows(self, service: str, region: str) -> bool:
        known = self._known_services.get(service)
        if known is None:
            import moto.backend_index as backend_index
            import moto.backends as backends

            url = f"http://{service}.{region}.amazonaws.com"
            known = service in backends.list_of_moto_modules() or any(
                pattern.match(url) for _, pattern in backend_index.backend_url_patterns
            )
            self._known_services[service] = known
        return known


def _truncating(fault: FaultSpec | None) -> bool:
    return fault is not None and fault.kind is FaultKind.TRUNCATED


def _not_implemented(info: RequestInfo) -> Reply:
    """A non-retryable error for operations the emulator does not model."""
    return error_reply(
        info, "NotImplemented", f"{info.action} is not implemented by this endpoint.", 501
    )
