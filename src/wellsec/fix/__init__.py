"""``wellsec fix``: the code that closes the gaps a review found.

From a review (and, when there is one, its snapshot) build a :class:`FixPlan` of
artifacts — SCPs, StackSet-ready CloudFormation templates, a reviewed commands script,
starters for people — and write them with :func:`write_plan`. Nothing here calls AWS.
"""

from __future__ import annotations

from wellsec.fix.model import (
    Artifact,
    ArtifactKind,
    AwsCommand,
    Effect,
    FixError,
    FixOptions,
    FixPlan,
    Outcome,
    Unremedied,
)
from wellsec.fix.plan import build_plan
from wellsec.fix.source import ReviewFacts, facts, load_report
from wellsec.fix.writer import plan_files, write_plan

__all__ = [
    "Artifact",
    "ArtifactKind",
    "AwsCommand",
    "Effect",
    "FixError",
    "FixOptions",
    "FixPlan",
    "Outcome",
    "ReviewFacts",
    "Unremedied",
    "build_plan",
    "facts",
    "load_report",
    "plan_files",
    "write_plan",
]
