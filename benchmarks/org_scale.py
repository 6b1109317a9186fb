"""How long `wellsec review` takes on an organization of N accounts x R regions.

Builds an emulated organization (moto over HTTP on 127.0.0.1, a seeded spread of
gaps), injects L ms of latency into every request, counts every request the
server receives, runs the real `wellsec review` in a subprocess against it, and
compares the wall time with the latency floor: what an ideal client would need
given the requests' dependency chains and the concurrency allowed.

    python benchmarks/org_scale.py --accounts 100 --regions 4 --latency-ms 40

With Prowler installed in its own virtualenv (`python3 -m venv /opt/prowler-venv &&
/opt/prowler-venv/bin/pip install prowler`), `--prowler /opt/prowler-venv` also runs
Prowler's SEC01-style checks against the same organization, one process per account,
three at a time (the way its documentation scans organizations), and prints the ratio.

The last line is `key=value` pairs: wall_s, floor_s, ratio, requests_per_account,
peak_rss_mb and more.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import run_measured
from synthetic_org import build

from wellsec.emulator import Emulator
from wellsec.emulator.faults import FaultKind, FaultSpec

ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def wellsec_run(emulator: Emulator, regions: list[str], workers: int, tmp: Path) -> dict[str, Any]:
    config = tmp / "wellsec.yaml"
    config.write_text(json.dumps({"name": "benchmark", "regions": regions}))
    report, snapshot = tmp / "review.json", tmp / "snapshot.json"
    env = {**os.environ, **ENV}
    env.pop("WELLSEC_STORE", None)
    emulator.reset_counters()
    argv = [
        sys.executable,
        "-m",
        "wellsec",
        "review",
        "--config",
        str(config),
        "--endpoint-url",
        emulator.endpoint_url,
        "--no-store",
        "--max-workers",
        str(workers),
        "-f",
        "json",
        "-o",
        str(report),
        "--snapshot",
        str(snapshot),
    ]
    server_cpu = time.process_time()
    measured = run_measured(argv, env)
    server_cpu = time.process_time() - server_cpu
    first = emulator.state.first_request()
    if not snapshot.exists():
        raise SystemExit(
            f"wellsec wrote no snapshot (exit {measured['exit']}): {measured['stderr_tail']}"
        )
    stats = json.loads(snapshot.read_text())["stats"]
    review = json.loads(report.read_text())
    evaluated = evaluate_run(config, snapshot, tmp, env)
    return {
        **measured,
        "evaluate_s": evaluated["wall_s"],
        "evaluate_rss_mb": evaluated["peak_rss_mb"],
        "snapshot_mb": snapshot.stat().st_size / 1e6,
        "startup_s": (first - measured["started"]) if first else float("nan"),
        "requests": emulator.request_count,
        "server_cpu_s": server_cpu,
        "critical_path": stats["critical_path_requests"],
        "risk": review["question"]["risk"],
        "complete": review["complete"],
    }


def evaluate_run(config: Path, snapshot: Path, tmp: Path, env: dict[str, str]) -> dict[str, Any]:
    """Review the saved snapshot offline (`wellsec evaluate`), the whole process timed."""
    argv = [sys.executable, "-m", "wellsec", "evaluate", str(snapshot), "--config", str(config)]
    argv += ["-f", "json", "-o", str(tmp / "offline.json")]
    return run_measured(argv, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--regions", type=int, default=2)
    parser.add_argument("--latency-ms", type=float, default=40.0)
    parser.add_argument("--workers", type=int, default=32, help="wellsec --max-workers")
    parser.add_argument("--prowler", type=Path, help="a virtualenv with prowler installed")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="time the first scan (default: scan once untimed, then time a second scan)",
    )
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    with Emulator() as emulator, tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        t0 = time.perf_counter()
        org = build(emulator, args.accounts, args.regions)
        took = time.perf_counter() - t0
        print(f"built {args.accounts} accounts x {args.regions} regions in {took:.1f}s")
        emulator.inject(FaultSpec(FaultKind.SLOW, delay=latency))
        # moto imports a service's code and builds its backends on the first request
        # for each service, account and region: seconds of emulator CPU that a real AWS
        # endpoint never spends. Unless --cold, a first untimed scan pays that, so the
        # timed scan (and Prowler's, which runs after it) meet a warm endpoint alike.
        cold = None if args.cold else wellsec_run(emulator, org.regions, args.workers, tmp)
        result = wellsec_run(emulator, org.regions, args.workers, tmp)
        requests = result["requests"]
        floor_chain = result["critical_path"] * latency
        floor_concurrency = requests * latency / args.workers
        # The emulator answers in one Python process (one core, the GIL): an ideal client
        # cannot go faster than the CPU time the emulator spent answering.
        floor_server = result["server_cpu_s"]
        floor = max(floor_chain, floor_concurrency, floor_server)
        line = {
            "accounts": args.accounts,
            "regions": args.regions,
            "latency_ms": args.latency_ms,
            "workers": args.workers,
            "wall_s": round(result["wall_s"], 2),
            "cold_wall_s": round(cold["wall_s"], 2) if cold else "timed",
            "cpu_s": round(result["cpu_s"], 2),
            "floor_s": round(floor, 2),
            "ratio": round(result["wall_s"] / floor, 2) if floor else float("nan"),
            "floor_chain_s": round(floor_chain, 2),
            "floor_concurrency_s": round(floor_concurrency, 2),
            "floor_server_s": round(floor_server, 2),
            "critical_path_requests": result["critical_path"],
            "requests": requests,
            "requests_per_account": round(requests / args.accounts, 1),
            "requests_per_account_region": round(requests / (args.accounts * args.regions), 1),
            "peak_rss_mb": round(result["peak_rss_mb"], 1),
            "startup_s": round(result["startup_s"], 3),
            "snapshot_mb": round(result["snapshot_mb"], 1),
            "evaluate_s": round(result["evaluate_s"], 2),
            "evaluate_rss_mb": round(result["evaluate_rss_mb"], 1),
            "risk": result["risk"],
        }
        if args.prowler:
            from prowler_run import run_prowler

            prowler = run_prowler(emulator, org, args.prowler, tmp)
            line.update(prowler)
            line["speedup_vs_prowler"] = round(prowler["prowler_wall_s"] / result["wall_s"], 1)
        print(" ".join(f"{k}={v}" for k, v in line.items()))


if __name__ == "__main__":
    main()
