"""The Well-Architected Tool API as wellsec uses it: typed results, pagination, one error type.

Every botocore error is translated here, once, into :class:`WaToolError`; callers never see
``ClientError``. The botocore client is handed in (a real one, or one under ``Stubber``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from wellsec.errors import WellsecError

AWS_LENS = "wellarchitected"
# What pull reads, and what push adds (its writes happen only with --apply).
PULL_ACTIONS = (
    "wellarchitected:GetWorkload",
    "wellarchitected:GetAnswer",
    "wellarchitected:ListWorkloads",
    "wellarchitected:ListLenses",
)
PUSH_ACTIONS = (
    *PULL_ACTIONS,
    "wellarchitected:ListMilestones",
    "wellarchitected:ExportLens",
    "wellarchitected:UpdateAnswer",
    "wellarchitected:CreateMilestone",
    "wellarchitected:CreateWorkload",
    "wellarchitected:ImportLens",
    "wellarchitected:CreateLensVersion",
    "wellarchitected:AssociateLenses",
)
PAGE_SIZE = 50  # the API's largest page
# Errors that say the request named something wrong, rather than that AWS failed.
INPUT_CODES = frozenset({"ResourceNotFoundException", "ValidationException", "ConflictException"})


class WaToolError(WellsecError):
    """A Well-Architected Tool call failed: the operation, AWS's error code and message."""

    def __init__(self, operation: str, code: str, message: str) -> None:
        self.operation = operation
        self.code = code
        self.message = message
        super().__init__(f"Well-Architected Tool {operation}: {code}: {message}")

    @property
    def bad_input(self) -> bool:
        """True when the request named a missing or invalid thing (not an AWS failure)."""
        return self.code in INPUT_CODES


@dataclass(frozen=True)
class WorkloadInfo:
    """The parts of a WA Tool workload wellsec reads."""

    id: str
    arn: str
    name: str
    owner: str | None  # ReviewOwner
    updated_at: dt.datetime | None
    lenses: tuple[str, ...]


@dataclass(frozen=True)
class MilestoneInfo:
    number: int
    name: str


@dataclass(frozen=True)
class LensInfo:
    arn: str
    name: str
    version: str | None
    status: str | None


def _workload(raw: dict[str, Any]) -> WorkloadInfo:
    return WorkloadInfo(
        id=str(raw["WorkloadId"]),
        arn=str(raw.get("WorkloadArn", "")),
        name=str(raw.get("WorkloadName", "")),
        owner=raw.get("ReviewOwner"),
        updated_at=raw.get("UpdatedAt"),
        lenses=tuple(str(x) for x in raw.get("Lenses", [])),
    )


class WaTool:
    """The Well-Architected Tool calls of push and pull, over a botocore client."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def region(self) -> str:
        return str(self.client.meta.region_name)

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        method = getattr(self.client, _snake(operation))
        try:
            reply: dict[str, Any] = method(**params)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code") or "error")
            raise WaToolError(operation, code, str(error.get("Message") or code)) from None
        except BotoCoreError as exc:
            raise WaToolError(operation, type(exc).__name__, str(exc)) from None
        return reply

    def _pages(self, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        token: str | None = None
        while True:
            page = self._call(
                operation, MaxResults=PAGE_SIZE, **params, **({"NextToken": token} if token else {})
            )
            yield from page.get(key, [])
            token = page.get("NextToken")
            if not token:
                return

    # -- workloads ----------------------------------------------------------------
    def get_workload(self, workload_id: str) -> WorkloadInfo:
        return _workload(self._call("GetWorkload", WorkloadId=workload_id)["Workload"])

    def workloads_named(self, name: str) -> list[WorkloadInfo]:
        """Workloads whose name is exactly ``name`` (every page of ListWorkloads)."""
        return [
            _workload(w)
            for w in self._pages("ListWorkloads", "WorkloadSummaries", WorkloadNamePrefix=name)
            if w.get("WorkloadName") == name
        ]

    def create_workload(self, params: dict[str, Any]) -> str:
        return str(self._call("CreateWorkload", **params)["WorkloadId"])

    # -- answers ------------------------------------------------------------------
    def get_answer(self, workload_id: str, lens_alias: str, question_id: str) -> dict[str, Any]:
        reply = self._call(
            "GetAnswer", WorkloadId=workload_id, LensAlias=lens_alias, QuestionId=question_id
        )
        answer: dict[str, Any] = reply["Answer"]
        return answer

    def update_answer(self, params: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self._call("UpdateAnswer", **params)["Answer"]
        return answer

    # -- milestones ---------------------------------------------------------------
    def milestones(self, workload_id: str) -> list[MilestoneInfo]:
        return [
            MilestoneInfo(int(m["MilestoneNumber"]), str(m["MilestoneName"]))
            for m in self._pages("ListMilestones", "MilestoneSummaries", WorkloadId=workload_id)
        ]

    def create_milestone(self, workload_id: str, name: str, token: str) -> int:
        reply = self._call(
            "CreateMilestone", WorkloadId=workload_id, MilestoneName=name, ClientRequestToken=token
        )
        return int(reply["MilestoneNumber"])

    # -- custom lenses ------------------------------------------------------------
    def own_lenses_named(self, name: str) -> list[LensInfo]:
        """This account's custom lenses called ``name``."""
        return [
            LensInfo(
                str(x["LensArn"]),
                str(x.get("LensName", "")),
                x.get("LensVersion"),
                x.get("LensStatus"),
            )
            for x in self._pages(
                "ListLenses", "LensSummaries", LensType="CUSTOM_SELF", LensName=name
            )
            if x.get("LensName") == name and x.get("LensArn")
        ]

    def export_lens(self, arn: str, version: str | None = None) -> str:
        params = {"LensAlias": arn, **({"LensVersion": version} if version else {})}
        return str(self._call("ExportLens", **params)["LensJSON"])

    def import_lens(self, json_text: str, token: str, arn: str | None = None) -> tuple[str, str]:
        params = {"JSONString": json_text, "ClientRequestToken": token}
        if arn:
            params["LensAlias"] = arn
        reply = self._call("ImportLens", **params)
        return str(reply["LensArn"]), str(reply.get("Status", "COMPLETE"))

    def create_lens_version(self, arn: str, version: str, token: str) -> None:
        self._call(
            "CreateLensVersion",
            LensAlias=arn,
            LensVersion=version,
            IsMajorVersion=True,
            ClientRequestToken=token,
        )

    def associate_lens(self, workload_id: str, arn: str) -> None:
        self._call("AssociateLenses", WorkloadId=workload_id, LensAliases=[arn])


def _snake(operation: str) -> str:
    out = ""
    for i, ch in enumerate(operation):
        out += ("_" if i and ch.isupper() else "") + ch.lower()
    return out
