"""Plain records of the review history (no database code: cheap to import)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from wellsec.errors import WellsecError

ENV_VAR = "WELLSEC_STORE"


class StoreError(WellsecError):
    """The store cannot be opened or does not hold what was asked for."""


class StoreUnavailable(StoreError):
    """The store cannot be used at all: unreachable, unreadable, not a wellsec store, or
    made by a newer wellsec (as opposed to a review or milestone it does not hold)."""


@dataclass(frozen=True)
class StoredReview:
    id: int
    workload: str
    lens_id: str
    lens_version: str
    created_at: dt.datetime
    risk: str
    complete: bool
    provenance: dict[str, Any] | None = None  # how it was made (wellsec.provenance)

    @property
    def lens_key(self) -> str:
        return f"{self.lens_id}@{self.lens_version}"


@dataclass(frozen=True)
class Milestone:
    workload: str
    name: str
    review_id: int
    created_at: dt.datetime


@dataclass(frozen=True)
class WorkloadInfo:
    name: str
    environment: str
    owner: str | None
    review_cadence_days: int
    last_review: dt.datetime | None

    def next_review(self) -> dt.datetime | None:
        if self.last_review is None:
            return None
        return self.last_review + dt.timedelta(days=self.review_cadence_days)


def default_url(env: Mapping[str, str] | None = None) -> str:
    """``WELLSEC_STORE``, else a SQLite file in the user's data directory."""
    env = os.environ if env is None else env
    if env.get(ENV_VAR):
        return env[ENV_VAR]
    folder = Path(user_data_dir("wellsec", appauthor=False))
    return f"sqlite:///{folder / 'wellsec.db'}"
