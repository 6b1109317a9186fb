"""A wellsec lens as a WA Tool custom lens: ImportLens, CreateLensVersion, AssociateLenses.

The lens is found by name among the account's own custom lenses. When the published lens
already asks the same question (same ids, titles and risk rules) it is reused; otherwise
the lens is imported (a new lens, or a new draft of the found one) and published as the
lens's version. A version number already taken by different content is an error: give
the lens file a new version.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wellsec.lens.model import Lens
from wellsec.wa.client import WaTool, WaToolError, WorkloadInfo

PENDING = "(custom lens ARN once imported)"
PUBLISH_ATTEMPTS = 10


@dataclass(frozen=True)
class Step:
    """One WA Tool write: what is (or would be) sent, and what came of it."""

    operation: str
    params: dict[str, Any]
    done: bool
    result: str = ""


@dataclass
class Steps:
    items: list[Step] = field(default_factory=list)

    def add(self, operation: str, params: dict[str, Any], done: bool, result: str = "") -> None:
        self.items.append(Step(operation, params, done, result))


def token(*parts: str) -> str:
    """An idempotency token: the same request made twice is made once."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:48]


def lens_json(lens: Lens) -> str:
    return json.dumps(lens.to_wa_json(), ensure_ascii=False)


def _question_shape(data: Any) -> Any:
    """What a lens asks, for comparison: ids, titles, choices and risk rules."""
    if not isinstance(data, dict):
        return None
    return [
        (
            p.get("id"),
            [
                (
                    q.get("id"),
                    q.get("title"),
                    [(c.get("id"), c.get("title")) for c in q.get("choices", [])],
                    [(r.get("condition"), r.get("risk")) for r in q.get("riskRules", [])],
                )
                for q in p.get("questions", [])
            ],
        )
        for p in data.get("pillars", [])
    ]


def same_question(exported: str, lens: Lens) -> bool:
    try:
        theirs = json.loads(exported)
    except ValueError:
        return False
    return bool(_question_shape(theirs) == _question_shape(lens.to_wa_json()))


def sync_lens(
    tool: WaTool,
    lens: Lens,
    apply: bool,
    steps: Steps,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """The custom lens's ARN (``PENDING`` in a dry run that would import a new lens)."""
    text = lens_json(lens)
    found = tool.own_lenses_named(lens.name)
    arn = found[0].arn if found else None
    if arn is not None:
        published = found[0].version
        if same_question(tool.export_lens(arn), lens):
            steps.add("ImportLens", {}, False, f"custom lens {arn} already asks this; reused")
            return arn
        if published == lens.version:
            raise WaToolError(
                "CreateLensVersion",
                "VersionTaken",
                f"custom lens {arn} already has version {lens.version} with other content; "
                "give the lens file a new version",
            )
    params: dict[str, Any] = {"JSONString": text, "ClientRequestToken": token("import", text)}
    if arn:
        params["LensAlias"] = arn
    shown = {**params, "JSONString": f"<{len(text)} bytes: wellsec lens export {lens.key}>"}
    if not apply:
        steps.add("ImportLens", shown, False)
        steps.add(
            "CreateLensVersion", {"LensAlias": arn or PENDING, "LensVersion": lens.version}, False
        )
        return arn or PENDING
    arn, status = tool.import_lens(text, params["ClientRequestToken"], arn)
    steps.add("ImportLens", shown, True, f"{arn} ({status})")
    if status == "ERROR":
        raise WaToolError("ImportLens", "ImportFailed", f"the WA Tool could not import {arn}")
    _publish(tool, arn, lens.version, status, sleep)
    steps.add("CreateLensVersion", {"LensAlias": arn, "LensVersion": lens.version}, True)
    return arn


def _publish(
    tool: WaTool, arn: str, version: str, status: str, sleep: Callable[[float], None]
) -> None:
    """Publish the draft; while the import is still running the service answers Conflict."""
    for attempt in range(PUBLISH_ATTEMPTS):
        try:
            tool.create_lens_version(arn, version, token("publish", arn, version))
            return
        except WaToolError as exc:
            waiting = status == "IN_PROGRESS" and exc.code == "ConflictException"
            if not waiting or attempt == PUBLISH_ATTEMPTS - 1:
                raise
            sleep(min(2.0 * (attempt + 1), 10.0))


def ensure_associated(
    tool: WaTool, workload: WorkloadInfo | None, arn: str, apply: bool, steps: Steps
) -> bool:
    """Attach the custom lens to the workload unless it already is; True once attached."""
    if workload is not None and arn in workload.lenses:
        return True
    params = {"WorkloadId": workload.id if workload else "(new workload)", "LensAliases": [arn]}
    if not apply or workload is None:
        steps.add("AssociateLenses", params, False)
        return False
    tool.associate_lens(workload.id, arn)
    steps.add("AssociateLenses", params, True)
    return True
