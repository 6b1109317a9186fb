"""Helpers several command modules share: the workload, regions, output files, keys, AWS."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from wellsec.aws.session import Connector
from wellsec.cli.exits import EXIT_INPUT, die
from wellsec.cli.options import DEFAULT_CONFIG
from wellsec.snapshot import write_atomic
from wellsec.workload import Workload, default_workload, load_workload

REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


def workload_of(config: Path | None) -> Workload:
    """The workload of ``--config``, else of ./wellsec.yaml, else the default one."""
    if config is not None:
        return load_workload(config)
    if Path(DEFAULT_CONFIG).exists():
        return load_workload(DEFAULT_CONFIG)
    return default_workload()


def has_workload_file(config: Path | None) -> bool:
    """Whether ``--config`` was given or ./wellsec.yaml exists."""
    return config is not None or Path(DEFAULT_CONFIG).exists()


def workload_name(config: Path | None) -> str | None:
    """The workload named by --config or ./wellsec.yaml, if there is one."""
    return workload_of(config).name if has_workload_file(config) else None


def parse_regions(value: str | None) -> list[str] | None:
    if not value:
        return None
    found = [r.strip() for r in value.split(",") if r.strip()]
    bad = [r for r in found if not REGION.match(r)]
    if bad:
        die(f"--regions: {bad[0]!r} is not a region name", EXIT_INPUT)
    return found


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        die(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT)
    sys.stderr.write(f"wrote {output}\n")


def write_signed(path: Path, text: str, key: bytes | None) -> None:
    """Write ``text`` to ``path``, and its signature to ``path.sig`` when there is a key."""
    from wellsec.signing import sign, signature_path

    write_atomic(path, text)
    if key is not None:
        write_atomic(signature_path(path), sign(text.encode("utf-8"), key))


def load_key_file(path: Path | None) -> bytes | None:
    from wellsec.signing import load_key

    return load_key(path) if path is not None else None


def make_connector(
    profile: str | None,
    role_name: str | None,
    home_region: str,
    endpoint_url: str | None,
    workload: Workload,
    max_attempts: int = 6,
    read_timeout: int = 20,
    call_timeout: int | None = None,
) -> Connector:
    return Connector(
        profile=profile,
        endpoint_url=endpoint_url,
        home_region=home_region,
        role_name=role_name or workload.role_name,
        max_attempts=max_attempts,
        read_timeout=read_timeout,
        call_seconds=call_timeout,
    )
