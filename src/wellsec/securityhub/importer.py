"""Send ASFF findings to Security Hub with BatchImportFindings (at most 100 per request).

Findings go to the account and region they are about, entered with the scan role. This
is the only write wellsec makes to AWS, and only on request (``--to-securityhub``); its
actions are declared in ``IMPORT_ACTIONS``, outside the scan's read-only policy. Findings
of earlier imports that this review no longer has are archived (see ``stale``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from wellsec.aws.session import AccountEntryError, Connector
from wellsec.securityhub.asff_check import BATCH_LIMIT
from wellsec.securityhub.stale import stale_findings


@dataclass(frozen=True)
class Failure:
    id: str
    code: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    """What one account and region took."""

    account: str
    region: str
    sent: int
    imported: int
    failures: tuple[Failure, ...] = field(default=())
    archived: int = 0  # earlier findings the review no longer has
    warning: str | None = None


def batches(findings: list[dict[str, Any]], size: int = BATCH_LIMIT) -> list[list[dict[str, Any]]]:
    return [findings[i : i + size] for i in range(0, len(findings), size)]


def _all_failed(batch: Iterable[dict[str, Any]], code: str, message: str) -> list[Failure]:
    return [Failure(str(f.get("Id", "")), code, message) for f in batch]


def send(client: Any, findings: list[dict[str, Any]]) -> tuple[int, list[Failure]]:
    """Import ``findings`` through one client: (how many were taken, what failed)."""
    imported = 0
    failures: list[Failure] = []
    for batch in batches(findings):
        try:
            reply = client.batch_import_findings(Findings=batch)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code") or "error")
            failures += _all_failed(batch, code, str(error.get("Message") or code))
            continue
        except BotoCoreError as exc:
            failures += _all_failed(batch, type(exc).__name__, str(exc))
            continue
        imported += int(reply.get("SuccessCount", 0))
        failures += [
            Failure(
                str(f.get("Id", "")), str(f.get("ErrorCode", "")), str(f.get("ErrorMessage", ""))
            )
            for f in reply.get("FailedFindings", [])
        ]
    return imported, failures


def group(findings: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Findings by the account and region whose Security Hub takes them."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        region = str(finding["ProductArn"]).split(":")[3]
        groups[(str(finding["AwsAccountId"]), region)].append(finding)
    return dict(sorted(groups.items()))


def import_place(
    client: Any, account: str, region: str, items: list[dict[str, Any]], prefix: str
) -> ImportResult:
    """Import one account and region's findings, then archive its stale ones."""
    imported, failures = send(client, items)
    if not imported:
        return ImportResult(account, region, len(items), 0, tuple(failures))
    stale, warning = stale_findings(client, prefix, items)
    archived, archive_failures = send(client, stale) if stale else (0, [])
    if archive_failures:
        warning = f"{len(archive_failures)} stale findings not archived: {archive_failures[0].code}"
    return ImportResult(account, region, len(items), imported, tuple(failures), archived, warning)


def import_findings(
    connector: Connector, findings: list[dict[str, Any]], prefix: str, workers: int = 8
) -> list[ImportResult]:
    """Import every finding into its own account's Security Hub; one result per place.

    ``prefix`` starts the Ids of this workload's findings (``asff.id_prefix``)."""
    connector.caller_identity()  # no credentials: CollectionError before anything is sent

    def one(place: tuple[str, str], items: list[dict[str, Any]]) -> ImportResult:
        account, region = place
        with connector.acting(account):
            try:
                client = connector.client(account, "securityhub", region)
            except AccountEntryError as exc:
                failed = _all_failed(items, "AccountNotEntered", str(exc))
                return ImportResult(account, region, len(items), 0, tuple(failed))
            return import_place(client, account, region, items, prefix)

    groups = group(findings)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda kv: one(*kv), groups.items()))
