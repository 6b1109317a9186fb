"""Review history: stored reviews, milestones, the review calendar."""

from wellsec.store.store import (
    ENV_VAR,
    Milestone,
    Store,
    StoredReview,
    StoreError,
    WorkloadInfo,
    default_url,
)

__all__ = [
    "ENV_VAR",
    "Milestone",
    "Store",
    "StoreError",
    "StoredReview",
    "WorkloadInfo",
    "default_url",
]
