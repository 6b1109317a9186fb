"""Fixtures for the check tests; the builders themselves live in ``builders``."""

from __future__ import annotations

import pytest

from tests.checks.builders import OrgBuilder
from wellsec.snapshot import Snapshot


@pytest.fixture
def org() -> OrgBuilder:
    """The healthy organization; change it, then ``.build()``."""
    return OrgBuilder.standard()


@pytest.fixture
def snapshot() -> Snapshot:
    """The healthy organization's snapshot: the two member accounts scanned."""
    return OrgBuilder.standard().build()


@pytest.fixture
def snapshot_with_management() -> Snapshot:
    """As ``snapshot``, with the management account scanned too."""
    return OrgBuilder.standard(scan_management=True).build()
