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

from tests.tiers import SHARED_ORG_MODULES, tier_path
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


# moto's state is process-wide: every Emulator reset (any test's emulator starting
# fresh) empties the shared organization. Count resets to know when it must be rebuilt.
_resets = [0]
_reset = Emulator.reset


def _counted_reset(self: Emulator) -> None:
    _resets[0] += 1
    _reset(self)


Emulator.reset = _counted_reset  # type: ignore[method-assign]


@dataclass
class _Built:
    emulator: Emulator
    org: DemoOrg
    now: dt.datetime
    resets: int  # the reset count right after it was built


def _build(emulator: Emulator) -> _Built:
    now = dt.datetime.now(dt.UTC)
    emulator.reset()  # moto's state is process-wide
    org = build_demo_org(emulator, now=now)
    return _Built(emulator, org, now, _resets[0])


@pytest.fixture(scope="session")
def _shared_org() -> Iterator[list[_Built]]:
    """One emulator for the session, its organization built when first needed and
    rebuilt after anything else reset moto."""
    with Emulator(fresh=False) as emulator:
        yield [_build(emulator)]


def _config(tmp: Path, now: dt.datetime) -> Path:
    config = tmp / "wellsec.yaml"
    config.write_text(yaml.safe_dump(demo_workload(now.date()).model_dump(mode="json")))
    return config


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Demo]:
    """The demo organization, with a fresh directory (config, review store) per module."""
    tmp = tmp_path_factory.mktemp("e2e")
    if tier_path(request.path) in SHARED_ORG_MODULES:
        shared: list[_Built] = request.getfixturevalue("_shared_org")
        built = shared[0]
        if built.resets != _resets[0] or built.now.date() != dt.datetime.now(dt.UTC).date():
            built = shared[0] = _build(built.emulator)
        built.emulator.clear_faults()
        built.emulator.reset_counters()
        yield Demo(built.emulator, built.org, _config(tmp, built.now), tmp)
        built.emulator.clear_faults()
        return
    with Emulator() as emulator:
        built = _build(emulator)
        yield Demo(emulator, built.org, _config(tmp, built.now), tmp)


@pytest.fixture(autouse=True)
def _clear_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo").emulator.clear_faults()
