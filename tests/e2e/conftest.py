"""One emulated demo organization per test module, reached over HTTP like AWS."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from wellsec.cli import app
from wellsec.demo import demo_workload
from wellsec.emulator import DemoOrg, Emulator, build_demo_org
from wellsec.render.json_report import render_report_json
from wellsec.report import SCHEMA, from_json_dict

# Exit codes of a finished review: 0 complete, 4 incomplete (some evidence unavailable).
DONE = (0, 4)

CLEAN_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": None,
    "AWS_PROFILE": None,
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ENDPOINT_URL": None,
}


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    report: dict[str, Any] | None

    def findings(self, check: str, account: str | None = None) -> list[dict[str, Any]]:
        assert self.report is not None
        return [
            f
            for f in self.report["findings"]
            if f["check"] == check and (account is None or f["account"] == account)
        ]

    def status(self, check: str, account: str) -> str:
        found = self.findings(check, account)
        assert len(found) == 1, (check, account, found)
        return str(found[0]["status"])

    def practice(self, bp: str) -> dict[str, Any]:
        assert self.report is not None
        return next(p for p in self.report["best_practices"] if p["id"] == bp)


@dataclass
class Demo:
    emulator: Emulator
    org: DemoOrg
    config: Path
    tmp: Path

    def account(self, name: str) -> str:
        return self.org.accounts[name]

    def cli(
        self, *args: str, env: dict[str, str | None] | None = None, json_out: bool = True
    ) -> Run:
        """Run the real CLI in-process against the emulator; parse the JSON report."""
        out = self.tmp / "report.json"
        out.unlink(missing_ok=True)
        argv = list(args)
        if json_out:
            argv += ["-f", "json", "-o", str(out)]
        store = {"WELLSEC_STORE": f"sqlite:///{self.tmp / 'store.db'}"}
        result = CliRunner().invoke(app, argv, env={**CLEAN_ENV, **store, **(env or {})})
        report = json.loads(out.read_text()) if json_out and out.exists() else None
        if report is not None and report.get("schema") == SCHEMA:
            _reads_back_to_the_same_bytes(out.read_text(encoding="utf-8"))
        return Run(result.exit_code, result.stdout, result.stderr, report)

    def review(self, *extra: str, env: dict[str, str | None] | None = None) -> Run:
        return self.cli(
            "review",
            "--config",
            str(self.config),
            "--endpoint-url",
            self.emulator.endpoint_url,
            *extra,
            env=env,
        )


def _reads_back_to_the_same_bytes(text: str) -> None:
    """Every report an end-to-end test produces goes through the report codec and back
    unchanged: the JSON contract and the typed model say the same."""
    assert render_report_json(from_json_dict(json.loads(text))) == text


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    now = dt.datetime.now(dt.UTC)
    tmp = tmp_path_factory.mktemp("e2e")
    with Emulator() as emulator:
        emulator.reset()  # moto's state is process-wide
        org = build_demo_org(emulator, now=now)
        workload = demo_workload(now.date()).model_dump(mode="json")
        config = tmp / "wellsec.yaml"
        config.write_text(yaml.safe_dump(workload))
        yield Demo(emulator, org, config, tmp)


@pytest.fixture(autouse=True)
def _clear_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo").emulator.clear_faults()
