"""An emulated AWS endpoint: moto's server app behind the gap layer, over HTTP.

moto keeps its backends in process-wide state, so every :class:`Emulator`
in one process sees the same AWS resources; starting an emulator resets them
(unless ``fresh=False``). The gap layer's state (root users, faults,
counters) is per emulator. Importing this module needs moto[server].
"""

from __future__ import annotations

import functools
import os
import threading
import urllib.request
from types import TracebackType
from typing import Any

# The emulated organization never reads Amazon's public AMI catalogue; loading it
# costs about 90 ms of CPU for every account-region whose EC2 backend is created.
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

import moto.core.responses as _moto_responses
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from wellsec.emulator.faults import FaultKind, FaultSpec
from wellsec.emulator.gaps import GapLayer
from wellsec.emulator.state import GapState


def _load_each_model_once() -> None:
    """moto caches service models without a lock, so the first burst of concurrent
    requests to a service parses its (large) botocore model once per thread. Load
    each model once, whoever asks first; the others wait for it."""
    names = vars(_moto_responses)
    original = names["get_service_model"]
    if getattr(original, "wellsec_single_flight", False):
        return
    lock = threading.Lock()

    @functools.wraps(original)
    def get_service_model(service_name: str) -> Any:
        with lock:
            return original(service_name)

    get_service_model.wellsec_single_flight = True  # type: ignore[attr-defined]
    names["get_service_model"] = get_service_model


_load_each_model_once()


class QuietRequestHandler(MotoRequestHandler):
    """moto's request handler without the per-request access log."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Do not log requests."""


class Emulator:
    """An AWS Organization emulated by moto plus the gap layer, on 127.0.0.1."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, fresh: bool = True) -> None:
        """Prepare an emulator on ``host``:``port`` (0: any free port).

        With ``fresh`` (the default), :meth:`start` resets moto's process-wide
        state, so each started emulator begins with an empty AWS.
        """
        self.host = host
        self.port = port
        self.fresh = fresh
        self.state = GapState()
        self._server: Any = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> Emulator:
        """Start serving in a daemon thread; returns self."""
        if self._server is not None:
            return self
        app = GapLayer(DomainDispatcherApplication(create_backend_app), self.state)
        server = make_server(
            self.host, self.port, app, threaded=True, request_handler=QuietRequestHandler
        )
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"wellsec-emulator-{self.port}", daemon=True
        )
        self._thread.start()
        if self.fresh:
            self.reset()
        return self

    def stop(self) -> None:
        """Stop serving and wait for the server thread to end."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=10)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def endpoint_url(self) -> str:
        """The URL to give boto3 as ``endpoint_url``."""
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return f"http://{self.host}:{self.port}"

    def reset(self) -> None:
        """Reset every moto backend and forget all gap-layer state."""
        request = urllib.request.Request(
            f"{self.endpoint_url}/moto-api/reset", data=b"", method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
        self.state.clear()

    def seed(self, value: int) -> None:
        """Seed moto's random generator, so ids (accounts, OUs) repeat from run to run."""
        request = urllib.request.Request(
            f"{self.endpoint_url}/moto-api/seed?a={int(value)}", data=b"", method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    # -- faults --------------------------------------------------------------

    def deny(
        self, operation: str, account_id: str | None = None, region: str | None = None
    ) -> None:
        """Answer ``operation`` (e.g. ``iam:GetAccountSummary``) with AccessDenied.

        Limited to requests from ``account_id`` and/or in ``region`` when given.
        """
        self.inject(FaultSpec(FaultKind.DENY, operation, account_id, region))

    def inject(self, spec: FaultSpec) -> None:
        """Inject a fault (throttling, 5xx, slow answer, reset, bad body, AccessDenied)."""
        self.state.add_fault_spec(spec)

    def block_assume_role(self, account_id: str) -> None:
        """Make sts:AssumeRole into any role of ``account_id`` fail with AccessDenied."""
        self.state.block_assume_role(account_id)

    def clear_faults(self) -> None:
        """Remove every fault injected with :meth:`deny` or :meth:`block_assume_role`."""
        self.state.clear_faults()

    # -- request accounting --------------------------------------------------

    @property
    def request_count(self) -> int:
        """Signed AWS requests received since start or the last counter reset."""
        return sum(self.state.counts().values())

    def requests_by_operation(self) -> dict[str, int]:
        """Requests received per IAM-style operation (``iam:GetAccountSummary``)."""
        return self.state.counts()

    @property
    def service_seconds(self) -> float:
        """Seconds the emulator spent answering since the last counter reset (delays excluded)."""
        return self.state.service_seconds()

    def operations_seen(self) -> set[str]:
        """The IAM-style operations requested so far."""
        return set(self.state.counts())

    def reset_counters(self) -> None:
        """Forget the requests counted so far (faults and scenario data stay)."""
        self.state.reset_counters()
