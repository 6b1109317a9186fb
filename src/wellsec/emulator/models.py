"""Lookups in the botocore service models installed with boto3.

Used to name the operation of REST requests (which carry it only in their
method and path) and to list a partition's regions.
"""

from __future__ import annotations

import re
import threading

import botocore.session
from botocore.exceptions import UnknownServiceError

# SigV4 signing names that are not botocore service names.
_SERVICE_BY_SIGNING_NAME = {
    "monitoring": "cloudwatch",
    "email": "ses",
    "eventbridge": "events",
    "execute-api": "apigateway",
}
_LABEL = re.compile(r"\\\{([^}]+?)(\\\+)?\\\}")

Route = tuple[str, re.Pattern[str], str, int]


def _route(method: str, request_uri: str, operation: str) -> Route:
    path = request_uri.split("?", 1)[0]
    literal = len(_LABEL.sub("", re.escape(path)))

    def label(match: re.Match[str]) -> str:
        return ".+" if match.group(2) else "[^/]+"

    pattern = re.compile("^" + _LABEL.sub(label, re.escape(path)) + "/?$")
    return method.upper(), pattern, operation, literal


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

    def rest_operation(self, signing_name: str, method: str, path: str) -> str | None:
        """The operation a REST request to ``path`` names, or None if unknown."""
        with self._lock:
            routes = self._routes.get(signing_name)
            if routes is None:
                routes = self._load_routes(signing_name)
                self._routes[signing_name] = routes
        candidates = [r for r in routes if r[0] == method.upper() and r[1].match(path)]
        if not candidates:
            return None
        return max(candidates, key=lambda r: r[3])[2]

    def _load_routes(self, signing_name: str) -> list[Route]:
        name = _SERVICE_BY_SIGNING_NAME.get(signing_name, signing_name)
        try:
            model = self._get_session().get_service_model(name)
        except UnknownServiceError:
            return []
        routes = []
        for op_name in model.operation_names:
            http = model.operation_model(op_name).http
            routes.append(_route(str(http.get("method", "POST")), str(http["requestUri"]), op_name))
        return routes

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
