"""The least-privilege IAM policy a scan needs, generated from what checks declare."""

from __future__ import annotations

from typing import Any

from wellsec.checks.runner import all_checks

# Calls the scan itself makes, whatever the checks: identity, entering accounts, regions.
SCAN_ACTIONS = ("sts:GetCallerIdentity", "sts:AssumeRole", "ec2:DescribeRegions")


def required_actions() -> list[str]:
    actions = set(SCAN_ACTIONS)
    for spec in all_checks():
        actions.update(spec.iam_actions)
    return sorted(actions)


def scan_policy() -> dict[str, Any]:
    """An IAM policy document allowing exactly the read actions wellsec calls."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WellsecReadOnlyScan",
                "Effect": "Allow",
                "Action": required_actions(),
                "Resource": "*",
            }
        ],
    }
