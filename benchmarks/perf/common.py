"""Shared helpers of the benchmark suite: medians, process spawning, resident memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def median_ms(fn: Callable[[], object], rounds: int, *, warm: bool = True) -> float:
    """Median wall time of ``rounds`` calls in ms (one untimed warm-up call first)."""
    if warm:
        fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def rss_mib() -> float:
    """This process's resident set size now, in MiB (Linux /proc; NaN elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return float("nan")


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_env(home: str) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", SOPDESIGNER_HOME=home, PYTHONPATH=str(ROOT))


def spawn_until_line(code: str, home: str, *args: str, timeout: float = 600) -> tuple[float, dict]:
    """Spawn ``python -c code args``; return (seconds from spawn to its first stdout line, that
    line parsed as JSON). The child is killed once it has reported: what it does after the
    first frame is not part of the measure."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(home),
        cwd=ROOT,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.kill()
    _, err = proc.communicate(timeout=timeout)
    try:
        return elapsed, json.loads(line)
    except json.JSONDecodeError:
        raise RuntimeError(f"benchmark child failed: {line!r} {err[-2000:]}") from None


def run_module(module: str, home: str, *args: str, timeout: float = 3600) -> dict:
    """Run ``python -m module args`` to completion; its last stdout line is a JSON object."""
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        env=child_env(home),
        cwd=ROOT,
        text=True,
        timeout=timeout,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{module} {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-3000:]}")
    return json.loads(lines[-1])
