"""Sessions, role assumption and a client cache: the only place boto3 objects are made.

One ``Connector`` serves a whole scan. A botocore client is expensive (about
10 ms of CPU and half a megabyte each), so there is one client per
(service, region), shared by every account. Which account a call acts in is
chosen per thread: :meth:`Connector.acting` names the account, and the
clients' credentials object hands the signer that account's keys when the
request is signed (retries included, since they run on the same thread).
Retry quotas and send rates are kept per account all the same
(:mod:`wellsec.aws.retries`), and each read call has a deadline
(:mod:`wellsec.aws.deadline`). The Connector assumes the scan role into each
member account, renews those credentials before they expire, and counts every
HTTP request it sends.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, ReadOnlyCredentials
from botocore.credentials import Credentials as BotocoreCredentials
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from botocore.parsers import ResponseParserError

from wellsec.aws.deadline import CallTimedOut, Runner, Watch, call_timeout
from wellsec.aws.keys import (
    SESSION_SECONDS,
    AccountEntryError,
    AccountKeys,
    Credentials,
    Lease,
    lease_of,
)
from wellsec.aws.retries import AccountRetries
from wellsec.errors import CollectionError

__all__ = ["CALLER", "AccountEntryError", "Connector", "Credentials", "reject_garbled_json"]

T = TypeVar("T")
USER_AGENT = "wellsec"
CALLER = "<caller>"  # acting as the scanning identity itself
CONNECT_TIMEOUT = 5
# Pages one listing may take. The page sizes in the botocore models put the lists
# wellsec reads well below it: an organization's accounts or policies come 20 a page
# (Organizations MaxResults 1-20: 20,000 accounts), a StackSet's instances 100 a page
# (CloudFormation ListStackInstances MaxResults 1-100: 2,000 accounts x 17 regions is
# 340 pages), managed nodes 50 a page (SSM DescribeInstanceInformation MaxResults 5-50:
# 50,000 per account and region). More is an endpoint that never stops; stopping there
# keeps memory bounded (1,000 pages of moto's largest answers is tens of MB).
MAX_PAGES = 1000


def reject_garbled_json(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
    """Refuse a successful JSON answer that is not JSON.

    botocore reads an unparsable JSON body as an empty result, which would be judged
    as "nothing there"; raising here makes it a parse error the reader retries.
    """
    protocol = operation_model.metadata.get("protocol", "")
    body = response_dict.get("body") or b""
    if protocol not in {"json", "rest-json"} or response_dict.get("status_code") != 200:
        return
    if not body or not isinstance(body, bytes | bytearray):
        return
    if operation_model.has_streaming_output:
        return
    try:
        json.loads(body)
    except ValueError:
        raise ResponseParserError(f"{operation_model.name}: the answer is not JSON") from None


class _ActingCredentials(BotocoreCredentials):
    """Credentials whose keys are those of the account the current thread acts in."""

    def __init__(self, resolve: Any) -> None:
        self._resolve = resolve
        self.method = "wellsec-acting"

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        found: ReadOnlyCredentials = self._resolve()
        return found


class _ActingProvider(CredentialProvider):
    METHOD = "wellsec-acting"
    CANONICAL_NAME = "wellsec-acting"

    def __init__(self, credentials: _ActingCredentials) -> None:
        self._credentials = credentials

    def load(self) -> _ActingCredentials:
        return self._credentials


class Connector:
    """Clients for any (account, region, service), with credentials and call accounting."""

    def __init__(
        self,
        *,
        profile: str | None = None,
        endpoint_url: str | None = None,
        home_region: str = "us-east-1",
        role_name: str = "OrganizationAccountAccessRole",
        max_attempts: int = 6,
        read_timeout: int = 20,
        max_pool: int = 64,
        credentials: Credentials | None = None,
        call_seconds: float | None = None,
        max_pages: int = MAX_PAGES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``call_seconds`` bounds one read call, retries and pages included (default:
        :func:`~wellsec.aws.deadline.call_timeout` of the attempts and timeouts);
        ``clock`` (monotonic seconds) times deadlines and credential renewals."""
        # The scanning identity comes from the standard chain (or is given).
        self._base_session = botocore.session.Session(profile=profile)
        self._explicit = credentials
        # Clients come from a second session whose only credentials are "the account
        # this thread acts in".
        self._session = botocore.session.Session(profile=profile)
        self._session.user_agent_extra = USER_AGENT
        acting = _ActingCredentials(self._frozen_for_thread)
        resolver = self._session.get_component("credential_provider")
        resolver.providers.insert(0, _ActingProvider(acting))
        self._endpoint_url = endpoint_url
        self.home_region = home_region
        self.role_name = role_name
        # "standard": botocore's retry rules; the adaptive send-rate limiter is added
        # per account by AccountRetries (botocore's own would be shared by all).
        self._config = Config(
            retries={"mode": "standard", "max_attempts": max_attempts},
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=read_timeout,
            max_pool_connections=max_pool,
            user_agent_extra=USER_AGENT,
        )
        self._create_lock = threading.Lock()
        self._meta_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._calls = 0
        self._local = threading.local()
        self._caller: dict[str, str] | None = None
        self._base: Any = None
        self._answers: dict[Any, Future[Any]] = {}
        self._owned: dict[str, list[Any]] = {}
        self._memos: dict[Any, Any] = {}
        self._read_timeout = read_timeout
        self._retries: list[AccountRetries] = []
        self._runner = Runner()
        self._clock = clock
        self._keys = AccountKeys(self._assume, clock)
        self.max_pages = max_pages
        self.call_seconds = call_seconds or call_timeout(
            max_attempts + 1, read_timeout, CONNECT_TIMEOUT
        )

    # -- acting as an account -------------------------------------------------------
    @contextmanager
    def acting(self, account_id: str) -> Iterator[None]:
        """Within the block, this thread's calls are signed as ``account_id``."""
        previous = getattr(self._local, "account", None)
        self._local.account = account_id
        try:
            yield
        finally:
            self._local.account = previous

    def _frozen_for_thread(self) -> ReadOnlyCredentials:
        account = getattr(self._local, "account", None)
        if account is None:
            # A call outside acting() would be signed as nobody in particular: refuse.
            raise NoCredentialsError()
        if account == CALLER or (self._caller and account == self._caller["account"]):
            return self._base_frozen()
        keys = self._keys.current(account)
        if keys is None:
            raise NoCredentialsError()
        return ReadOnlyCredentials(keys.access_key_id, keys.secret_access_key, keys.session_token)

    def generation(self, account_id: str) -> int | None:
        """Which keys ``account_id`` signs with now (None: not entered, or the caller)."""
        return self._keys.generation(account_id)

    def renew(self, account_id: str, generation: int | None) -> bool:
        """Assume the role again after AWS said the keys of ``generation`` expired;
        True when newer keys are there to retry with."""
        return self._keys.renew(account_id, generation)

    def _base_frozen(self) -> ReadOnlyCredentials:
        if self._explicit is not None:
            c = self._explicit
            return ReadOnlyCredentials(c.access_key_id, c.secret_access_key, c.session_token)
        if self._base is None:
            self._base = self._base_session.get_credentials()
        if self._base is None:
            raise NoCredentialsError()
        frozen: ReadOnlyCredentials = self._base.get_frozen_credentials()
        return frozen

    # -- one request per question -------------------------------------------------------
    def once(self, key: Any, compute: Callable[[], Any], owner: str | None = None) -> Any:
        """The answer to ``key``, computed by the first caller; others wait for it.

        Two collectors that need the same read (say, the rules of an account's event
        bus) send one request between them. Answers are kept until :meth:`forget` is
        called for their ``owner`` (an account whose collectors have all finished)."""
        with self._meta_lock:
            future = self._answers.get(key)
            first = future is None
            if first:
                future = Future()
                self._answers[key] = future
                if owner is not None:
                    self._owned.setdefault(owner, []).append(key)
        assert future is not None
        if first:
            try:
                future.set_result(compute())
            except BaseException as exc:
                future.set_exception(exc)
        return future.result()

    def forget(self, owner: str) -> None:
        """Drop the answers and retry budgets kept for ``owner``; memory then grows with
        the accounts still being scanned, not with the whole organization."""
        with self._meta_lock:
            for key in self._owned.pop(owner, []):
                self._answers.pop(key, None)
            retries = list(self._retries)
        for each in retries:
            each.forget(owner)

    # -- deadlines ------------------------------------------------------------------
    def bounded(self, account_id: str, work: Callable[[Watch], T]) -> T:
        """``work(watch)`` acting as ``account_id``, given up once its deadline passes
        (:class:`~wellsec.aws.deadline.CallTimedOut`); ``watch.progress()`` extends it."""
        watch = Watch(self.call_seconds, self._clock)

        def job() -> T:
            self._local.watch = watch
            before = self.thread_requests()
            try:
                with self.acting(account_id):
                    return work(watch)
            finally:
                watch.requests = self.thread_requests() - before
                self._local.watch = None

        try:
            return self._runner.run(job, watch)
        finally:
            self.waited(watch.requests)

    def _thread_watch(self) -> Watch | None:
        found: Watch | None = getattr(self._local, "watch", None)
        return found

    def _thread_account(self) -> str | None:
        found: str | None = getattr(self._local, "account", None)
        return found

    def retry_budgets(self) -> int:
        """Per-account retry budgets held now, over all clients."""
        with self._meta_lock:
            retries = list(self._retries)
        return sum(each.accounts for each in retries)

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()``, once per ``key`` for the connector's life: derived facts about
        the service models (not answers from AWS, which :meth:`once` keeps per owner)."""
        with self._meta_lock:
            if key in self._memos:
                found: T = self._memos[key]
                return found
        value = compute()
        with self._meta_lock:
            self._memos.setdefault(key, value)
        return value

    @property
    def kept_answers(self) -> int:
        return len(self._answers)

    # -- identity -------------------------------------------------------------------
    def caller_identity(self) -> dict[str, str]:
        """The scanning identity; raise :class:`CollectionError` when there are no credentials."""
        if self._caller is None:
            try:
                with self.acting(CALLER):
                    reply = self._client("sts", self.home_region).get_caller_identity()
            except NoCredentialsError:
                raise CollectionError(
                    "no AWS credentials found (set a profile, environment variables or SSO)"
                ) from None
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "error")
                raise CollectionError(f"cannot identify the caller: {code}") from None
            except BotoCoreError as exc:
                raise CollectionError(f"cannot reach AWS STS: {type(exc).__name__}") from None
            self._caller = {"account": str(reply["Account"]), "arn": str(reply["Arn"])}
        return self._caller

    # -- clients --------------------------------------------------------------------
    def client(self, account_id: str, service: str, region: str) -> Any:
        """The shared client for (service, region), once ``account_id`` has been entered.

        Call it inside :meth:`acting` for that account (``Reader`` does)."""
        self.enter(account_id)
        return self._client(service, region)

    def _client(self, service: str, region: str) -> Any:
        key = (service, region)
        cached = self._clients.get(key)
        if cached is None:
            with self._create_lock:  # botocore sessions are not thread-safe
                cached = self._clients.get(key)
                if cached is None:
                    cached = self._session.create_client(
                        service,
                        region_name=region,
                        endpoint_url=self._endpoint_url,
                        config=self._config,
                    )
                    cached.meta.events.register("before-send", self._count_request)
                    cached.meta.events.register("before-parse", reject_garbled_json)
                    retries = AccountRetries(
                        cached, self._thread_account, self._thread_watch, self._read_timeout
                    )
                    with self._meta_lock:
                        self._retries.append(retries)
                    self._clients[key] = cached
        return cached

    def paginator_config(self, service: str, operation: str) -> dict[str, Any]:
        """botocore's paginator model for ``operation`` (its paginators-1.json entry)."""
        with self._create_lock:  # botocore sessions are not thread-safe
            model = self._session.get_paginator_model(service)
        config: dict[str, Any] = model.get_paginator(operation)
        return config

    def _count_request(self, **_: Any) -> None:
        with self._count_lock:
            self._calls += 1
        self._local.requests = getattr(self._local, "requests", 0) + 1

    def waited(self, requests: int) -> None:
        """Note that this thread waited on ``requests`` sequential requests sent by helper
        threads (so the critical path it reports stays true)."""
        self._local.requests = getattr(self._local, "requests", 0) + requests

    def thread_requests(self) -> int:
        """Requests sent so far from the calling thread (one task's requests are sequential)."""
        return int(getattr(self._local, "requests", 0))

    @property
    def api_calls(self) -> int:
        return self._calls

    @property
    def client_count(self) -> int:
        return len(self._clients)

    # -- accounts -------------------------------------------------------------------
    def enter(self, account_id: str) -> None:
        """Assume the scan role into an account (once); raise :class:`AccountEntryError`."""
        if account_id == self.caller_identity()["account"]:
            return
        if self._keys.entered(account_id):
            self._keys.enter(account_id)  # known: at once (or the reason it failed)
            return
        # The first AssumeRole gets a call's deadline too, so an endpoint that trickles
        # cannot hold the scan.
        watch = Watch(self.call_seconds, self._clock)

        def job() -> None:
            self._local.watch = watch
            try:
                self._keys.enter(account_id)
            finally:
                self._local.watch = None

        try:
            self._runner.run(job, watch)
        except CallTimedOut as exc:
            raise AccountEntryError(f"cannot assume role {self.role_name}: {exc}") from None

    def _assume(self, account_id: str, generation: int = 0) -> Lease:
        arn = f"arn:aws:iam::{account_id}:role/{self.role_name}"
        sent, wall = self._clock(), datetime.now(UTC)
        try:
            with self.acting(CALLER):
                reply = self._client("sts", self.home_region).assume_role(
                    RoleArn=arn, RoleSessionName="wellsec-scan", DurationSeconds=SESSION_SECONDS
                )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            raise AccountEntryError(f"cannot assume role {self.role_name}: {code}") from None
        except BotoCoreError as exc:
            name = type(exc).__name__
            raise AccountEntryError(f"cannot assume role {self.role_name}: {name}") from None
        return lease_of(reply["Credentials"], sent, wall, generation)
