"""Run a command; print its wall time, CPU time and peak RSS as JSON on the last line.

Why a wrapper: Linux carries a process's peak-RSS mark across fork and exec, so a
child started straight from the benchmark (which also hosts the emulator, hundreds
of MB) would report the benchmark's own size as its peak. Started from this small
process instead, the child's peak is its own (or this wrapper's ~10 MB, whichever
is larger).

    python benchmarks/measure.py -- COMMAND [ARG ...]

Other benchmarks call it through :func:`run_measured`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

MEASURE = Path(__file__).resolve()


def run_measured(
    argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0, 1, 4)
) -> dict[str, Any]:
    """Run a command through measure.py; its wall time, CPU time and its own peak RSS."""
    wrapped = [sys.executable, str(MEASURE), "--", *argv]
    out = subprocess.run(wrapped, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["exit"] not in ok:
        raise SystemExit(f"{argv[0]} exited {result['exit']}: {result['stderr_tail']}")
    return result


def main() -> None:
    argv = sys.argv[sys.argv.index("--") + 1 :]
    started = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    result = {
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "exit": os.waitstatus_to_exitcode(status),
        "started": started,
        "stderr_tail": stderr.decode(errors="replace")[-2000:],
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
