"""Push a review to the WA Tool: the workload, the custom lens, the answer, the milestone.

In a dry run only reads are sent (GetWorkload, ListWorkloads, ListLenses, ExportLens,
GetAnswer, ListMilestones); every write is recorded as a step that would be sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wellsec.errors import InputError, LensError
from wellsec.lens.model import Lens
from wellsec.lens.versions import lens_for_choices
from wellsec.saved_review import ReviewReport, clip
from wellsec.wa.client import AWS_LENS, WaTool, WaToolError, WorkloadInfo
from wellsec.wa.lens_sync import PENDING, Steps, ensure_associated, sync_lens, token
from wellsec.wa.push import PushPlan, Target, plan_push
from wellsec.workload import Workload

MILESTONE_LIMIT = 100  # milestones the WA Tool keeps per workload


@dataclass(frozen=True)
class PushOptions:
    workload_id: str | None  # push here, or create a workload from ``create``
    create: Workload | None
    pointer: str  # where the full report is
    custom_lens: bool = False
    na_reason: str = "OUT_OF_SCOPE"
    milestone: str | None = None  # None: no milestone
    config_source: str = "wellsec.yaml"
    # Push with the built-in lens version whose choices the workload's question shows,
    # rather than the review's (the workload decides which version it answers).
    follow_workload: bool = False


@dataclass(frozen=True)
class PushResult:
    plan: PushPlan
    steps: Steps
    workload_id: str | None
    risk_after: str | None = None  # the WA Tool's risk once the answer is updated
    milestone: str | None = None  # what happened to the milestone, in words
    milestone_failed: bool = False
    lens: Lens | None = None  # the lens the plan used (None: the one handed in)


def milestone_name(report: ReviewReport) -> str:
    """A milestone named after the review: its store id (if any) and its time."""
    when = report.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    ident = f" {report.review_id}" if report.review_id is not None else ""
    return clip(f"wellsec review{ident} of {when}", 100)


def create_params(
    workload: Workload, report: ReviewReport, custom_arn: str | None, source: str
) -> dict[str, Any]:
    """CreateWorkload's request from wellsec.yaml (regions and accounts from the scan if absent)."""
    if not workload.owner or len(workload.owner) < 3:
        raise InputError(source, "a review owner (3 characters or more) is needed", "owner")
    regions = list(workload.regions) or list(report.report.scan.regions)
    if not regions:
        raise InputError(source, "no regions, and the review scanned none", "regions")
    accounts = list(workload.accounts) or [a.id for a in report.report.scan.accounts if a.id]
    description = workload.description or f"{workload.name}: SEC 1 reviewed with wellsec"
    params: dict[str, Any] = {
        "WorkloadName": workload.name,
        "Description": clip(description, 250) if len(description) >= 3 else "wellsec",
        "Environment": workload.environment.upper(),
        "ReviewOwner": workload.owner,
        "AwsRegions": regions[:50],
        "Lenses": [AWS_LENS, *([custom_arn] if custom_arn else [])],
        "ClientRequestToken": token("workload", workload.name),
    }
    if accounts:
        params["AccountIds"] = accounts[:100]
    return params


def run_push(
    tool: WaTool,
    lens: Lens,
    report: ReviewReport,
    options: PushOptions,
    apply: bool,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """Plan the push and, with ``apply``, perform it."""
    steps = Steps()
    workload = _existing_workload(tool, options)
    lens_alias, question_id = AWS_LENS, lens.wa_question_id
    if options.custom_lens:
        lens_alias, question_id = sync_lens(tool, lens, apply, steps, sleep), lens.question_id
    if workload is None:
        assert options.create is not None
        custom = lens_alias if options.custom_lens else None
        params = create_params(options.create, report, custom, options.config_source)
        if apply:
            new_id = tool.create_workload(params)
            steps.add("CreateWorkload", params, True, new_id)
            workload = tool.get_workload(new_id)
        else:
            steps.add("CreateWorkload", params, False)
    attached = True
    if options.custom_lens:
        attached = ensure_associated(tool, workload, lens_alias, apply, steps)
    answer = None
    if workload is not None and attached and lens_alias != PENDING:
        answer = tool.get_answer(workload.id, lens_alias, question_id)
    if options.follow_workload and answer is not None and not options.custom_lens:
        lens = workload_lens(answer, lens)
    target = Target(workload.id if workload else None, lens_alias, question_id)
    plan = plan_push(lens, report, answer, target, options.pointer, options.na_reason)
    if not apply or workload is None:
        steps.add("UpdateAnswer", plan.update_params(), False)
        blocked = None
        if options.milestone and workload is not None:
            blocked = _milestone_blocked(tool, workload.id, options.milestone)
        if options.milestone and blocked is None:
            steps.add("CreateMilestone", {"MilestoneName": options.milestone}, False)
        note, failed = blocked if blocked else (None, False)
        return PushResult(
            plan, steps, target.workload_id, milestone=note, milestone_failed=failed, lens=lens
        )
    after = tool.update_answer(plan.update_params(workload.id))
    risk_after = str(after.get("Risk")) if after.get("Risk") else None
    steps.add("UpdateAnswer", plan.update_params(workload.id), True, f"risk {risk_after}")
    note, failed = _milestone(tool, workload.id, options.milestone, steps)
    return PushResult(plan, steps, workload.id, risk_after, note, failed, lens)


def workload_lens(answer: dict[str, Any], lens: Lens) -> Lens:
    """The built-in version of ``lens`` whose choices the workload's question shows
    (``GetAnswer``'s Choices, never their order); ``lens`` itself when none fits."""
    shown = [str(c.get("ChoiceId", "")) for c in answer.get("Choices", [])]
    try:
        return lens_for_choices(shown, lens.id)
    except LensError:
        return lens


def _existing_workload(tool: WaTool, options: PushOptions) -> WorkloadInfo | None:
    if options.workload_id:
        return tool.get_workload(options.workload_id)
    if options.create is None:
        raise ValueError("a workload id or a workload to create is needed")
    found = tool.workloads_named(options.create.name)
    if found:
        raise WaToolError(
            "CreateWorkload",
            "WorkloadExists",
            f"a workload named {options.create.name!r} exists already ({found[0].id}); "
            f"push to it with --workload-id {found[0].id}",
        )
    return None


def _milestone_blocked(tool: WaTool, workload_id: str, name: str) -> tuple[str, bool] | None:
    """Why the milestone cannot be created, and whether that is a failure (None: it can)."""
    existing = tool.milestones(workload_id)
    same = [m for m in existing if m.name == name]
    if same:
        return (
            f"milestone {name!r} exists already (number {same[0].number}); not created again",
            False,
        )
    if len(existing) >= MILESTONE_LIMIT:
        return (
            f"the workload has {len(existing)} milestones, the most the WA Tool keeps: "
            "no milestone created"
        ), True
    return None


def _milestone(
    tool: WaTool, workload_id: str, name: str | None, steps: Steps
) -> tuple[str | None, bool]:
    """Create the milestone; (what happened, whether it failed)."""
    if name is None:
        return None, False
    blocked = _milestone_blocked(tool, workload_id, name)
    if blocked is not None:
        return blocked
    params = {"WorkloadId": workload_id, "MilestoneName": name}
    try:
        number = tool.create_milestone(workload_id, name, token("milestone", workload_id, name))
    except WaToolError as exc:
        if exc.code in {"ConflictException", "ServiceQuotaExceededException"}:
            return f"no milestone created: {exc.code}: {exc.message}", True
        raise
    steps.add("CreateMilestone", params, True, f"milestone {number}")
    return f"milestone {number} {name!r} created", False
