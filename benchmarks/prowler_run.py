"""Prowler's SEC01-style checks against the same emulated organization, for comparison.

One Prowler process per account, three at a time, each entering its account through
the emulated STS with --role (the way Prowler's documentation scans an organization).
Install Prowler in a virtualenv of its own: it pins its own boto3.

    python3 -m venv /opt/prowler-venv && /opt/prowler-venv/bin/pip install prowler
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from measure import run_measured

from wellsec.emulator import Emulator

CHECKS = (
    "iam_root_mfa_enabled",
    "iam_root_hardware_mfa_enabled",
    "iam_no_root_access_key",
    "iam_avoid_root_usage",
    "organizations_account_part_of_organizations",
    "organizations_scp_check_deny_regions",
    "securityhub_enabled",
    "guardduty_is_enabled",
    "config_recorder_all_regions_enabled",
    "cloudtrail_multi_region_enabled",
    "account_security_contact_information_is_registered",
    "cloudwatch_log_metric_filter_root_usage",
)
PARALLEL = 3


def _one(venv: Path, url: str, account: str, regions: list[str], out: Path) -> dict[str, float]:
    # An empty file, not /dev/null: Prowler refuses a config file it cannot parse.
    empty = out / "empty-aws-config"
    empty.touch()
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '')}",
        "HOME": str(out),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": url,
        "AWS_CONFIG_FILE": str(empty),
        "AWS_SHARED_CREDENTIALS_FILE": str(empty),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    argv = [
        str(venv / "bin" / "prowler"),
        "aws",
        "--no-banner",
        "--ignore-exit-code-3",
        "--aws-retries-max-attempts",
        "0",
        "--output-formats",
        "csv",
        "--output-directory",
        str(out / account),
        "--role",
        f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
        "--region",
        *regions,
        "--checks",
        *CHECKS,
    ]
    measured = run_measured(argv, env, ok=(0,))
    rows = sum(len(f.read_text().splitlines()) - 1 for f in (out / account).glob("*.csv"))
    if rows < 1:  # a Prowler that found nothing did not scan: do not time it
        raise SystemExit(f"prowler wrote no findings for {account}: {measured['stderr_tail']}")
    return {"wall": measured["wall_s"], "rss": measured["peak_rss_mb"]}


def run_prowler(emulator: Emulator, org: Any, venv: Path, tmp: Path) -> dict[str, Any]:
    """Scan every account with Prowler; wall time, peak RSS and requests."""
    emulator.reset_counters()
    accounts = list(org.accounts.values())
    started = time.perf_counter()
    with ThreadPoolExecutor(PARALLEL) as pool:
        runs = list(
            pool.map(lambda a: _one(venv, emulator.endpoint_url, a, org.regions, tmp), accounts)
        )
    wall = time.perf_counter() - started
    return {
        "prowler_wall_s": round(wall, 1),
        "prowler_per_account_s": round(sum(r["wall"] for r in runs) / len(runs), 1),
        "prowler_peak_rss_mb": round(max(r["rss"] for r in runs), 1),
        "prowler_requests_per_account": round(emulator.request_count / len(accounts), 1),
    }
