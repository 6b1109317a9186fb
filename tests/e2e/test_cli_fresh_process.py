"""Commands run in a fresh process, as users run them.

In-process CLI tests share one interpreter, where an earlier test may already have
imported (and so registered) every check. Here each command starts from nothing, so a
command that forgets to load what it consults fails."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _wellsec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wellsec", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ("lens", "diff", "2022", "2025"),
        ("lens", "show", "--lens", "sec01@2025"),
        ("lens", "export", "--lens", "sec01@2025"),
        ("checks",),
        ("iam-policy",),
    ],
)
def test_command_works_in_a_fresh_process(args: tuple[str, ...]) -> None:
    done = _wellsec(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_lens_diff_json_in_a_fresh_process_names_the_reshaped_practices() -> None:
    done = _wellsec("lens", "diff", "2022", "2025", "--json")
    assert done.returncode == 0, done.stderr
    text = json.dumps(json.loads(done.stdout))
    for choice in (
        "sec_securely_operate_reduce_management_scope",
        "sec_securely_operate_automate_security_controls",
    ):
        assert choice in text
