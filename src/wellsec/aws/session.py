"""Sessions, role assumption and a client cache: the only place boto3 objects are made.

One ``Connector`` serves a whole scan. A botocore client is expensive (about
10 ms of CPU and half a megabyte each), so there is one client per
(service, region), shared by every account. Which account a call acts in is
chosen per thread: :meth:`Connector.acting` names the account, and the
clients' credentials object hands the signer that account's keys when the
request is signed (retries included, since they run on the same thread).
The Connector assumes the scan role into each member account once, and
counts every HTTP request it sends.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, ReadOnlyCredentials
from botocore.credentials import Credentials as BotocoreCredentials
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from botocore.parsers import ResponseParserError

from wellsec.errors import CollectionError

USER_AGENT = "wellsec"
CALLER = "<caller>"  # acting as the scanning identity itself


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def __repr__(self) -> str:  # never print secrets
        return "Credentials(<redacted>)"


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


class AccountEntryError(Exception):
    """The scan role could not be assumed into an account."""


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
    ) -> None:
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
        self._config = Config(
            retries={"mode": "adaptive", "max_attempts": max_attempts},
            connect_timeout=5,
            read_timeout=read_timeout,
            max_pool_connections=max_pool,
            user_agent_extra=USER_AGENT,
        )
        self._create_lock = threading.Lock()
        self._meta_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._account_credentials: dict[str, Credentials | str] = {}
        self._account_locks: dict[str, threading.Lock] = {}
        self._calls = 0
        self._local = threading.local()
        self._caller: dict[str, str] | None = None
        self._base: Any = None
        self._answers: dict[Any, Future[Any]] = {}
        self._owned: dict[str, list[Any]] = {}

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
        found = self._account_credentials.get(account)
        if not isinstance(found, Credentials):
            raise NoCredentialsError()
        return ReadOnlyCredentials(
            found.access_key_id, found.secret_access_key, found.session_token
        )

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
        """Drop the answers kept for ``owner``; memory then grows with the accounts
        still being scanned, not with the whole organization."""
        with self._meta_lock:
            for key in self._owned.pop(owner, []):
                self._answers.pop(key, None)

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
                    self._clients[key] = cached
        return cached

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
        found = self._account_credentials.get(account_id)
        if found is None:
            with self._meta_lock:
                lock = self._account_locks.setdefault(account_id, threading.Lock())
            with lock:
                found = self._account_credentials.get(account_id)
                if found is None:
                    try:
                        found = self._assume(account_id)
                    except AccountEntryError as exc:
                        found = str(exc)
                    self._account_credentials[account_id] = found
        if isinstance(found, str):
            raise AccountEntryError(found)

    def _assume(self, account_id: str) -> Credentials:
        arn = f"arn:aws:iam::{account_id}:role/{self.role_name}"
        try:
            with self.acting(CALLER):
                reply = self._client("sts", self.home_region).assume_role(
                    RoleArn=arn, RoleSessionName="wellsec-scan", DurationSeconds=3600
                )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            raise AccountEntryError(f"cannot assume role {self.role_name}: {code}") from None
        except BotoCoreError as exc:
            name = type(exc).__name__
            raise AccountEntryError(f"cannot assume role {self.role_name}: {name}") from None
        creds = reply["Credentials"]
        return Credentials(
            creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("SessionToken")
        )
