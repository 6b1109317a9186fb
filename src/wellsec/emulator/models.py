"""Lookups in the botocore service models installed with boto3.

Used to name the operation of REST requests (which carry it only in their
method and path), to list a partition's regions and to find operations' page tokens.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.exceptions import DataNotFoundError, UnknownServiceError
from botocore.model import OperationModel

# SigV4 signing names that are not botocore service names.
_SERVICE_BY_SIGNING_NAME = {
    "monitoring": "cloudwatch",
    "email": "ses",
    "eventbridge": "events",
    "execute-api": "apigateway",
}
_LABEL = re.compile(r"\\\{([^}]+?)(\\\+)?\\\}")


@dataclass(frozen=True)
class Route:
    """How one REST operation is addressed: method, path pattern, required extras."""

    method: str
    pattern: re.Pattern[str]
    operation: str
    literal: int  # characters of the path that are not labels: more is more specific
    query: frozenset[str]  # query keys the operation always sends
    headers: frozenset[str]  # header names (lower case) the operation always sends

    def score(self, method: str, path: str, query: set[str], headers: set[str]) -> int | None:
        """How specifically this route matches a request (None: it does not)."""
        if method != self.method or not self.pattern.match(path):
            return None
        if not self.query <= query or not self.headers <= headers:
            return None
        return self.literal + 100 * (len(self.query) + len(self.headers))


def _route(model: OperationModel) -> Route:
    http = model.http
    path, _, literal_query = str(http["requestUri"]).partition("?")
    query = {part.split("=", 1)[0] for part in literal_query.split("&") if part}
    headers: set[str] = set()
    shape = model.input_shape
    if shape is not None:
        required = set(shape.metadata.get("required", []))
        for name, member in shape.members.items():
            where = member.serialization.get("location")
            if name in required and where == "querystring":
                query.add(str(member.serialization.get("name", name)))
            elif name in required and where == "header":
                headers.add(str(member.serialization.get("name", name)).lower())

    def label(match: re.Match[str]) -> str:
        return ".+" if match.group(2) else "[^/]+"

    return Route(
        method=str(http.get("method", "POST")).upper(),
        pattern=re.compile("^" + _LABEL.sub(label, re.escape(path)) + "/?$"),
        operation=model.name,
        literal=len(_LABEL.sub("", re.escape(path))),
        query=frozenset(query),
        headers=frozenset(headers),
    )


class ServiceModels:
    """Lazily loaded, cached views of botocore's service models (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session: botocore.session.Session | None = None
        self._routes: dict[str, list[Route]] = {}
        self._regions: dict[str, tuple[str, ...]] = {}

    def _get_session(self) -> botocore.session.Session:
        if self._session is None:
            self._session = botocore.session.get_session()
        return self._session

    def rest_operation(
        self,
        signing_name: str,
        method: str,
        path: str,
        query: Iterable[str] = (),
        headers: Iterable[str] = (),
    ) -> str | None:
        """The operation a REST request names, or None if unknown.

        ``query`` holds the request's query keys, ``headers`` its header names
        (lower case); they tell apart operations sharing a path (PutObject and
        CopyObject, ListObjects and GetBucketTagging).
        """
        with self._lock:
            routes = self._routes.get(signing_name)
            if routes is None:
                routes = self._load_routes(signing_name)
                self._routes[signing_name] = routes
        keys, names = set(query), {h.lower() for h in headers}
        best: tuple[int, str] | None = None
        for route in routes:
            score = route.score(method.upper(), path, keys, names)
            if score is not None and (best is None or score > best[0]):
                best = (score, route.operation)
        return best[1] if best else None

    def _load_routes(self, signing_name: str) -> list[Route]:
        name = _SERVICE_BY_SIGNING_NAME.get(signing_name, signing_name)
        try:
            model = self._get_session().get_service_model(name)
        except UnknownServiceError:
            return []
        return [_route(model.operation_model(name)) for name in model.operation_names]

    def paginator(self, signing_name: str, operation: str) -> dict[str, Any] | None:
        """botocore's paginator model entry for an operation, or None."""
        name = _SERVICE_BY_SIGNING_NAME.get(signing_name, signing_name)
        with self._lock:
            try:
                model = self._get_session().get_paginator_model(name)
                found: dict[str, Any] = model.get_paginator(operation)
            except (UnknownServiceError, DataNotFoundError, ValueError):
                return None
        return found

    def partition_regions(self, partition: str = "aws") -> tuple[str, ...]:
        """The regions of ``partition``, as botocore's endpoint data lists them."""
        with self._lock:
            regions = self._regions.get(partition)
            if regions is None:
                found = self._get_session().get_available_regions(
                    "ec2", partition_name=partition, allow_non_regional=False
                )
                regions = tuple(sorted(found))
                self._regions[partition] = regions
        return regions
