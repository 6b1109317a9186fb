"""Retry budgets and send rates per account, on clients shared by every account.

botocore gives each client one retry quota (``RetryQuotaChecker`` over a
``RetryQuota`` of 500, botocore/retries/standard.py and quota.py) and, in adaptive
mode, one send-rate limiter (``ClientRateLimiter``, botocore/retries/adaptive.py).
wellsec shares one client per (service, region) between all accounts, so one
throttled account would drain the quota and slow the limiter for every other.
AWS throttles per account and region, so :class:`AccountRetries` keeps a quota
and a limiter per account the calling thread acts in: what botocore would have
kept with one client per account.

It works through the client's own events, as botocore's
``_register_retries`` (botocore/client.py) does: it takes over the
``needs-retry.<service>`` handler botocore registers with the unique id
``retry-config-<service>``, and adds ``before-send``/``needs-retry`` handlers for
the limiter. Clients are made in botocore's ``standard`` mode, so botocore's own
adaptive limiter is never registered.

A call's deadline (:class:`~wellsec.aws.deadline.Watch`) is honoured here too: no
request is sent, and no retry is slept for, past it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError
from botocore.retries import adaptive, bucket, quota, standard, throttling

from wellsec.aws.deadline import Watch

# The shortest per-read timeout left to a request near its call's deadline.
_MIN_READ_TIMEOUT = 0.2


class DeadlineExceeded(BotoCoreError):
    """The call this request belongs to has run out of time."""

    fmt = "the call ran past its deadline"


class _Budget:
    """One account's retry quota and send-rate limiter on one client."""

    def __init__(self, policy: standard.RetryPolicy, service: str) -> None:
        adapter = standard.RetryEventAdapter()
        detector = standard.ThrottlingErrorDetector(retry_event_adapter=adapter)
        self.quota = standard.RetryQuotaChecker(quota.RetryQuota(), detector)
        self.handler = standard.RetryHandler(
            retry_policy=policy,
            retry_event_adapter=adapter,
            retry_quota=self.quota,  # type: ignore[arg-type]  # the stubs say RetryQuota; botocore passes the checker
            service_name=service,
        )
        # As adaptive.register_retry_handler builds it, minus the registration.
        clock = bucket.Clock()
        self.limiter = adaptive.ClientRateLimiter(
            rate_adjustor=throttling.CubicCalculator(
                starting_max_rate=0, start_time=clock.current_time()
            ),
            rate_clocker=adaptive.RateClocker(clock),
            token_bucket=bucket.TokenBucket(max_rate=1, clock=clock),
            throttling_detector=standard.ThrottlingErrorDetector(
                retry_event_adapter=standard.RetryEventAdapter()
            ),
            clock=clock,
        )


class AccountRetries:
    """A client's retry handling, with one :class:`_Budget` per account."""

    def __init__(
        self,
        client: Any,
        account: Callable[[], str | None],
        watch: Callable[[], Watch | None],
        read_timeout: float,
    ) -> None:
        service = client.meta.service_model.service_id.hyphenize()
        attempts = client.meta.config.retries.get("total_max_attempts")
        detector = standard.ThrottlingErrorDetector(standard.RetryEventAdapter())
        self._policy = standard.RetryPolicy(
            retry_checker=standard.StandardRetryConditions(
                max_attempts=attempts or standard.DEFAULT_MAX_ATTEMPTS
            ),
            retry_backoff=standard.ExponentialBackoff(
                service_name=service, throttling_detector=detector
            ),
        )
        self._service = service
        self._account = account
        self._watch = watch
        self._read_timeout = read_timeout
        self._budgets: dict[str | None, _Budget] = {}
        self._lock = threading.Lock()
        events = client.meta.events
        unique = f"retry-config-{service}"
        events.unregister(f"needs-retry.{service}", unique_id=unique)
        events.register(f"needs-retry.{service}", self.needs_retry, unique_id=unique)
        events.register(f"after-call.{service}", self.release)
        events.register("before-send", self.before_send)
        events.register("needs-retry", self.on_response)

    def budget(self) -> _Budget:
        """The calling thread's account's budget (made on first use)."""
        account = self._account()
        found = self._budgets.get(account)
        if found is None:
            with self._lock:
                found = self._budgets.get(account)
                if found is None:
                    found = _Budget(self._policy, self._service)
                    self._budgets[account] = found
        return found

    def forget(self, account: str) -> None:
        """Drop an account's budget once its scan is over."""
        with self._lock:
            self._budgets.pop(account, None)

    @property
    def accounts(self) -> int:
        return len(self._budgets)

    # -- event handlers --------------------------------------------------------------
    def before_send(self, request: Any, **_: Any) -> None:
        """Refuse to send past the deadline; wait for the account's send rate."""
        watch = self._watch()
        if watch is not None:
            left = watch.left()
            if left <= 0:
                raise DeadlineExceeded()
            # botocore's http session reads this per-request override (httpsession.py,
            # _get_request_timeout): no single read may outlast the deadline.
            context = getattr(request, "context", None)
            if context is not None:
                context["read_timeout"] = max(_MIN_READ_TIMEOUT, min(self._read_timeout, left))
        self.budget().limiter.on_sending_request(request=request)
        if watch is not None and watch.left() <= 0:
            raise DeadlineExceeded()  # the wait for the send rate used the time up

    def on_response(self, **kwargs: Any) -> None:
        """Feed the account's limiter every answer (it measures the send rate)."""
        self.budget().limiter.on_receiving_response(**kwargs)

    def needs_retry(self, **kwargs: Any) -> float | None:
        """botocore's standard decision, on the account's quota, within the deadline."""
        watch = self._watch()
        if watch is not None and watch.left() <= 0:
            return None
        delay: float | None = self.budget().handler.needs_retry(**kwargs)
        if delay is not None and watch is not None and delay >= watch.left():
            return None  # the backoff alone would pass the deadline
        return delay

    def release(self, context: Any, http_response: Any, **kwargs: Any) -> None:
        """Give back retry capacity after a successful call (as botocore's after-call)."""
        self.budget().quota.release_retry_quota(context, http_response, **kwargs)
