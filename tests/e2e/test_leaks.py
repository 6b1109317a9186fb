"""Credentials never leak: marker values planted in the environment appear in no output."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.conftest import DONE, Demo

MARKERS = {
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/SECRETMARKER9f3b2c1d",
    "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEBYaDTOKENMARKER0c4e6a8b2d1f9e7c5a3",
}


def _all_text(paths: list[Path]) -> str:
    return "\n".join(p.read_text(errors="replace") for p in paths if p.exists())


def test_no_secret_in_any_output(demo: Demo) -> None:
    env: dict[str, str | None] = dict(MARKERS)
    outputs: list[Path] = []
    texts: list[str] = []
    for fmt in ("json", "markdown", "html", "sarif", "junit", "csv", "text"):
        out = demo.tmp / f"leak.{fmt}"
        snap = demo.tmp / f"leak-{fmt}.snapshot.json"
        run = demo.cli(
            "review",
            "--config",
            str(demo.config),
            "--endpoint-url",
            demo.emulator.endpoint_url,
            "-f",
            fmt,
            "-o",
            str(out),
            "--snapshot",
            str(snap),
            env=env,
            json_out=False,
        )
        assert run.exit_code in DONE, run.stderr
        outputs += [out, snap]
        texts += [run.stdout, run.stderr]
    # Error paths: an endpoint that refuses connections, and denied calls.
    refused = demo.cli(
        "review", "--endpoint-url", "http://127.0.0.1:9", "--max-attempts", "1", env=env
    )
    assert refused.exit_code == 3
    texts += [refused.stdout, refused.stderr]
    demo.emulator.deny("iam:GetAccountSummary")
    denied = demo.review(env=env)
    texts += [denied.stdout, denied.stderr, str(denied.report)]
    store = demo.tmp / "store.db"
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT report_json FROM reviews").fetchall()
    texts += [row[0] for row in rows]
    everything = _all_text(outputs) + "\n".join(texts)
    for name, value in MARKERS.items():
        assert value not in everything, name
        assert value[-12:] not in everything, name
