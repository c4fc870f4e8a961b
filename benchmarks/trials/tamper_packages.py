"""Tampering: ``verify`` never passes a tampered package, and never fails a clean one.

Each trial writes a fresh real package (random records and evidence), checks it verifies as
intact, then forges it (see ``package_attacks.TAMPERS``: byte flips in member data, raw flips
in the zip, added/removed/renamed files, reordered or truncated audit lines, a sign-off moved
between nodes, edited timestamps; half with the manifests recomputed) and checks the forgery
is not reported intact.

    python benchmarks/trials/tamper_packages.py --trials 1000 [--jobs 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.trials.common import Summary
from benchmarks.trials.package_attacks import make_package, tamper
from sopdesigner.export.verify import verify_package


def one_trial(args: tuple[int, int, str]) -> tuple[int, str, str, str, str]:
    """Returns (index, clean status, tamper class, description, tampered status)."""
    index, seed, work = args
    folder = Path(work) / f"t{index}"
    try:
        clean = make_package(folder, seed * 100_003 + index)
        clean_status = verify_package(clean).status
        rnd = random.Random(seed * 7_919 + index)
        forged = folder / "forged.zip"
        kind, what = tamper(clean, forged, rnd)
        return index, clean_status, kind, what, verify_package(forged).status
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_tamper(trials: int, *, seed: int = 1, jobs: int = 2) -> Summary:
    summary = Summary("tampered packages")
    caught: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="tamper-") as work, ProcessPoolExecutor(jobs) as pool:
        for index, clean_status, kind, what, status in pool.map(
            one_trial, [(i, seed, work) for i in range(trials)], chunksize=4
        ):
            summary.trials += 1
            summary.bad_inputs += 1
            tried[kind] += 1
            if clean_status != "intact":
                summary.fail(f"clean package {index} verified as {clean_status}")
            if kind.endswith("no effect"):
                summary.trials -= 1  # the bytes in the package did not change: nothing to catch
                summary.bad_inputs -= 1
                summary.extra["raw flips with no effect on content (not counted)"] = (
                    summary.extra.get("raw flips with no effect on content (not counted)", 0) + 1
                )
                continue
            if status == "intact":
                summary.fail(f"forgery {index} passed verify: {kind}: {what}")
            else:
                caught[kind] += 1
    summary.extra["clean packages intact"] = trials - sum("clean package" in f for f in summary.failures)
    summary.extra["clean packages verified"] = trials
    summary.extra["forgeries caught"] = sum(caught.values())
    for kind in sorted(tried):
        summary.extra[f"caught {kind}"] = caught[kind]
        summary.extra[f"tried {kind}"] = tried[kind]
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    t0 = time.perf_counter()
    summary = run_tamper(args.trials, seed=args.seed, jobs=args.jobs)
    summary.extra["seconds"] = round(time.perf_counter() - t0)
    return summary.report()


if __name__ == "__main__":
    sys.exit(main())
