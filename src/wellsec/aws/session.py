"""Sessions, role assumption and a client cache: the only place boto3 objects are made.

One ``Connector`` serves a whole scan. It keeps one boto3 client per
(account, region, service), created from a single shared botocore session so
service models load once; it assumes the scan role into member accounts once
per account; and it counts every HTTP request it sends.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from botocore.parsers import ResponseParserError

from wellsec.errors import CollectionError

USER_AGENT = "wellsec"


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
        max_pool: int = 32,
        credentials: Credentials | None = None,
    ) -> None:
        core = botocore.session.Session(profile=profile)
        core.user_agent_extra = USER_AGENT
        self._session = boto3.Session(botocore_session=core)
        self._endpoint_url = endpoint_url
        self.home_region = home_region
        self.role_name = role_name
        self._base_credentials = credentials
        self._config = Config(
            retries={"mode": "adaptive", "max_attempts": max_attempts},
            connect_timeout=5,
            read_timeout=read_timeout,
            max_pool_connections=max_pool,
            user_agent_extra=USER_AGENT,
        )
        self._create_lock = threading.RLock()
        self._meta_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._account_credentials: dict[str, Credentials | str] = {}
        self._account_locks: dict[str, threading.Lock] = {}
        self._calls = 0
        self._local = threading.local()
        self._caller: dict[str, str] | None = None

    # -- identity -----------------------------------------------------------------
    def caller_identity(self) -> dict[str, str]:
        """The scanning identity; raise :class:`CollectionError` when there are no credentials."""
        if self._caller is None:
            try:
                client = self._make_client("sts", self.home_region, self._base_credentials)
                reply = client.get_caller_identity()
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

    # -- clients ------------------------------------------------------------------
    def client(self, account_id: str, service: str, region: str) -> Any:
        """A cached client acting in ``account_id`` (assuming the scan role when needed)."""
        key = (account_id, region, service)
        cached = self._clients.get(key)
        if cached is not None:
            return cached
        credentials = self._credentials_for(account_id)
        with self._create_lock:
            cached = self._clients.get(key)
            if cached is None:
                cached = self._make_client(service, region, credentials)
                self._clients[key] = cached
        return cached

    def _make_client(self, service: str, region: str, credentials: Credentials | None) -> Any:
        kwargs: dict[str, Any] = {"region_name": region, "config": self._config}
        if self._endpoint_url:
            kwargs["endpoint_url"] = self._endpoint_url
        if credentials is not None:
            kwargs.update(
                aws_access_key_id=credentials.access_key_id,
                aws_secret_access_key=credentials.secret_access_key,
                aws_session_token=credentials.session_token,
            )
        with self._create_lock:  # boto3 sessions are not thread-safe
            make: Any = self._session.client
            client = make(service, **kwargs)
        client.meta.events.register("before-send", self._count_request)
        client.meta.events.register("before-parse", reject_garbled_json)
        return client

    def _count_request(self, **_: Any) -> None:
        with self._count_lock:
            self._calls += 1
        self._local.requests = getattr(self._local, "requests", 0) + 1

    def thread_requests(self) -> int:
        """Requests sent so far from the calling thread (one task's requests are sequential)."""
        return int(getattr(self._local, "requests", 0))

    @property
    def api_calls(self) -> int:
        return self._calls

    # -- accounts -----------------------------------------------------------------
    def _credentials_for(self, account_id: str) -> Credentials | None:
        if account_id == self.caller_identity()["account"]:
            return self._base_credentials
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
        return found

    def enter(self, account_id: str) -> None:
        """Assume the scan role into an account now; raise :class:`AccountEntryError`."""
        self._credentials_for(account_id)

    def _assume(self, account_id: str) -> Credentials:
        arn = f"arn:aws:iam::{account_id}:role/{self.role_name}"
        sts = self.client(self.caller_identity()["account"], "sts", self.home_region)
        try:
            reply = sts.assume_role(
                RoleArn=arn, RoleSessionName="wellsec-scan", DurationSeconds=3600
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            raise AccountEntryError(f"cannot assume role {self.role_name}: {code}") from None
        except BotoCoreError as exc:
            raise AccountEntryError(
                f"cannot assume role {self.role_name}: {type(exc).__name__}"
            ) from None
        creds = reply["Credentials"]
        return Credentials(
            creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("SessionToken")
        )
