"""Where a service has an endpoint, from botocore's endpoint data (``endpoints.json``).

A service that AWS does not offer in a region has no endpoint there: a call fails to
connect, which says nothing about the account. Collectors ask here first, so such a
region is recorded as "not offered" (a fact) instead of as unreadable evidence.
"""

from __future__ import annotations

import functools

import botocore.session


@functools.cache
def offered_regions(service: str, partition: str = "aws") -> frozenset[str] | None:
    """The regions of ``partition`` where botocore lists an endpoint for ``service`` (a
    client name such as ``controltower``); None when it lists none (a global service, or
    one botocore describes by rules alone), so no region can be ruled out."""
    found = botocore.session.get_session().get_available_regions(service, partition)
    return frozenset(found) if found else None


def offered_in(service: str, region: str) -> bool:
    """Is ``service`` offered in ``region``, as far as botocore's endpoint data knows?"""
    regions = offered_regions(service)
    return regions is None or region in regions
