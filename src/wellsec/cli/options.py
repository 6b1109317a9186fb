"""Every option more than one command takes, defined once (``Annotated`` types)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from wellsec.render import Format
from wellsec.store.records import ENV_VAR

DEFAULT_CONFIG = "wellsec.yaml"


class FailOn(StrEnum):
    high = "high"
    medium = "medium"


# -- inputs -----------------------------------------------------------------------
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Workload file (default: ./wellsec.yaml if present)."),
]
LensOpt = Annotated[
    str,
    typer.Option("--lens", help="Built-in lens (sec01@2022, sec01@2025, or 2025) or a lens file."),
]
ReviewOpt = Annotated[
    str | None,
    typer.Option(
        "--review", help="A JSON report file, or a stored review id, milestone or 'latest'."
    ),
]
WorkloadOpt = Annotated[
    str | None, typer.Option("--workload", "-w", help="Workload name (default: wellsec.yaml's).")
]

# -- AWS: the scan, the WA Tool, Security Hub -------------------------------------
ProfileOpt = Annotated[str | None, typer.Option("--profile", help="AWS profile to use.")]
RoleNameOpt = Annotated[
    str | None, typer.Option("--role-name", help="Role to assume in each account.")
]
EndpointOpt = Annotated[str | None, typer.Option("--endpoint-url", hidden=True)]
HomeRegionOpt = Annotated[str, typer.Option("--home-region", help="Region for global APIs.")]
RegionsOpt = Annotated[
    str | None, typer.Option("--regions", help="Comma-separated regions to scan.")
]
WorkersOpt = Annotated[int, typer.Option("--max-workers", min=1, max=128)]
AttemptsOpt = Annotated[
    int, typer.Option("--max-attempts", min=1, max=20, help="Attempts per API call (retries + 1).")
]
TimeoutOpt = Annotated[
    int, typer.Option("--read-timeout", min=1, max=300, help="Seconds to wait for an API answer.")
]
CallTimeoutOpt = Annotated[
    int | None,
    typer.Option(
        "--call-timeout",
        min=1,
        max=3600,
        help="Seconds one API call may take, retries included (a listing: between pages); "
        "what runs longer is UNKNOWN. Default: every attempt's connect and read timeouts "
        "plus the retry backoff.",
    ),
]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="WA Tool region (default: the AWS config's).")
]
WorkloadIdOpt = Annotated[
    str | None, typer.Option("--workload-id", help="The WA Tool workload's id.")
]

# -- the store --------------------------------------------------------------------
StoreOpt = Annotated[
    str | None,
    typer.Option("--store", envvar=ENV_VAR, help="Store URL (default: a SQLite file)."),
]
# The same option; ``wellsec fix --help`` has always said it in fewer words.
FixStoreOpt = Annotated[
    str | None, typer.Option("--store", envvar=ENV_VAR, help="Store URL (default: SQLite).")
]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Do not record this review.")]

# -- outputs ----------------------------------------------------------------------
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Report format.")]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report to a file.")
]
SnapshotOutOpt = Annotated[
    Path | None, typer.Option("--snapshot", help="Also save the evidence snapshot here.")
]
FailOnOpt = Annotated[
    FailOn | None,
    typer.Option("--fail-on", help="Exit 1 when the question's risk reaches this level."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]

# -- signatures -------------------------------------------------------------------
SignKeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--sign-key", help="Secret key file: write FILE.sig next to each snapshot and report."
    ),
]
VerifyKeyOpt = Annotated[
    Path | None,
    typer.Option("--verify-key", help="Secret key file: check the input's FILE.sig with it."),
]
RequireSignedOpt = Annotated[
    bool,
    typer.Option("--require-signed", help="Refuse an input without a valid signature."),
]
# A review report (push, export) rather than a snapshot: the same flags, said for reports.
ReportVerifyKeyOpt = Annotated[
    Path | None,
    typer.Option("--verify-key", help="Secret key file that signed the report (REPORT.sig)."),
]
ReportRequireSignedOpt = Annotated[
    bool,
    typer.Option(
        "--require-signed",
        help="Refuse a review whose evidence is not verified: a report file needs a valid "
        "signature, and its evidence must come from a live scan or a verified snapshot.",
    ),
]
