"""The gap layer: a WSGI middleware in front of moto's server application.

For each signed request it counts the operation, applies injected faults,
answers the operations moto lacks, rewrites the answers moto gets wrong for
the scenario (root user, region opt-in) and passes everything else to moto
unchanged.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from wellsec.emulator import (
    alerting_gaps,
    config_gaps,
    controltower_gaps,
    detection_gaps,
    faults,
    iam_gaps,
    inventory_gaps,
    region_gaps,
    remediation_gaps,
    scp_gaps,
    securityhub_findings_gaps,
    securityhub_gaps,
    trail_gaps,
)
from wellsec.emulator.faults import (
    PAGING,
    FaultKind,
    FaultSpec,
    Paging,
    immediate_reply,
    request_parameters,
    truncate,
)
from wellsec.emulator.models import ServiceModels
from wellsec.emulator.state import GapState
from wellsec.emulator.wire import (
    Answerer,
    Reply,
    RequestInfo,
    Rewriter,
    access_denied,
    caller_arn,
    error_reply,
    parse_request,
    status_line,
)

REWRITERS: dict[str, Rewriter] = {
    "iam:GetAccountSummary": iam_gaps.rewrite_account_summary,
    "iam:GenerateCredentialReport": iam_gaps.note_report_generation,
    "iam:GetCredentialReport": iam_gaps.rewrite_credential_report,
    "iam:ListVirtualMFADevices": iam_gaps.rewrite_virtual_mfa,
    "organizations:CreateAccount": iam_gaps.note_created_account,
    "ec2:DescribeRegions": region_gaps.rewrite_describe_regions,
    "sts:AssumeRole": faults.note_assumed_keys,
}
ANSWERERS: dict[str, Answerer] = {
    "iam:ListOrganizationsFeatures": iam_gaps.answer_organizations_features,
    "account:ListRegions": region_gaps.account_list_regions,
    "account:GetRegionOptStatus": region_gaps.account_get_region_opt_status,
}

# Gap modules for further services register their own answers.
for _module in (
    controltower_gaps,
    securityhub_gaps,
    config_gaps,
    detection_gaps,
    inventory_gaps,
    securityhub_findings_gaps,
    remediation_gaps,
    alerting_gaps,
    trail_gaps,
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


def _respond(
    start_response: StartResponse, reply: Reply, trickle: float | None = None
) -> Iterable[bytes]:
    status, headers, body = reply
    kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
    start_response(status_line(status), [*kept, ("Content-Length", str(len(body)))])
    return [body] if trickle is None else faults.trickle(body, trickle)


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
        if self.state.keys_expired(info.access_key):
            return _respond(start_response, faults.expired_token(info))
        fault = self.state.take_fault(
            info.action, info.account_id, info.region, request_parameters(info)
        )
        paging, incoming = None, None
        if fault is not None and fault.kind in PAGING:
            paging = Paging.of(self.models.paginator(info.service, info.operation))
            if paging is not None:
                incoming = faults.page_token_in(info, paging)
                body = faults.strip_page_token(environ, body, info, paging)
                info = parse_request(environ, body, self.models) or info
        if fault is not None:
            if fault.kind is FaultKind.SLOW:
                slept.append(fault.delay)
            if fault.kind is FaultKind.DENY:
                return _respond(start_response, access_denied(info))
            made = immediate_reply(fault, info, environ)
            if made is not None:
                return _respond(start_response, made)
        reply = scp_gaps.enforce(info, self.state) or self._intercept(info)
        if reply is None:
            rewriter = REWRITERS.get(info.action)
            try:
                if rewriter is None and not _spoils_reply(fault):
                    return self.app(environ, start_response)
                status, headers, data = _call(self.app, environ)
            except NotImplementedError:
                return _respond(start_response, _not_implemented(info))
            if status == 200 and rewriter is not None:
                data = rewriter(info, data, self.state)
            reply = (status, headers, data)
        if fault is None:
            return _respond(start_response, reply)
        if fault.kind is FaultKind.TRUNCATED:
            reply = truncate(reply)
        if paging is not None:
            token = faults.next_page_token(fault.kind, incoming)
            reply = faults.add_page_token(reply, info, paging, token)
        trickle = fault.delay if fault.kind is FaultKind.TRICKLE else None
        return _respond(start_response, reply, trickle)

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


def _spoils_reply(fault: FaultSpec | None) -> bool:
    """Whether the fault changes the backend's reply (so it must be captured)."""
    return fault is not None and (
        fault.kind in PAGING or fault.kind in (FaultKind.TRUNCATED, FaultKind.TRICKLE)
    )


def _not_implemented(info: RequestInfo) -> Reply:
    """A non-retryable error for operations the emulator does not model."""
    return error_reply(
        info, "NotImplemented", f"{info.action} is not implemented by this endpoint.", 501
    )
