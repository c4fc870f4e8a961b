"""Hostile packages: ``verify`` and ``import`` exit 2 and write nothing outside a temp folder,
which is gone afterwards.

Each trial builds one hostile archive (``package_attacks.HOSTILE``: zip slip, absolute paths,
symlinks, duplicate and case-colliding names, zip bombs, truncated archives, non-bags) and runs
``sopdesigner verify`` and ``sopdesigner import`` on it (in-process through ``cli.main``, with
Python's temp folder pointed at a watched folder). A canary folder the archive aims at, the
watched temp folder and the package's own folder must be exactly as before.

    python benchmarks/trials/hostile_packages.py --trials 2000 [--jobs 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
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
from benchmarks.trials.package_attacks import HOSTILE, folder_state, make_package

#: Kinds where a refusal as "tampered" (exit 1) is also safe: the headers lie about sizes, so
#: the member reads short and fails its CRC and manifest checks instead of looking hostile.
TAMPERED_IS_SAFE = {"zip bomb (lying size)"}


def _cli(argv: list[str], temp: Path) -> tuple[int, str]:
    from sopdesigner.cli import main

    err, out = io.StringIO(), io.StringIO()
    tempfile.tempdir = str(temp)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(argv)
    finally:
        tempfile.tempdir = None
    return code, err.getvalue() + out.getvalue()


def one_trial(args: tuple[int, int, str, str]) -> tuple[int, str, str, list[str]]:
    """Returns (index, kind, description, problems)."""
    index, seed, work_name, clean_name = args
    work, clean = Path(work_name), Path(clean_name)
    rnd = random.Random(seed * 31_337 + index)
    kind, build = HOSTILE[index % len(HOSTILE)]
    trial = work / f"t{index}"
    pkg_dir, canary, temp = trial / "pkg", trial / "canary", trial / "tmp"
    for d in (pkg_dir, canary, temp):
        d.mkdir(parents=True)
    (canary / "keep.txt").write_text("canary")
    problems: list[str] = []
    try:
        package = pkg_dir / "package.zip"
        what = build(clean, package, canary, rnd)
        before = {"canary": folder_state(canary), "pkg": folder_state(pkg_dir), "tmp": folder_state(temp)}
        t0 = time.perf_counter()
        code, text = _cli(["verify", str(package)], temp)
        if code != 2 and not (code == 1 and kind in TAMPERED_IS_SAFE):
            problems.append(f"verify exited {code}: {text.strip()[:300]}")
        out = trial / "imported.sop"
        code, text = _cli(["import", str(package), str(out)], temp)
        if code != 2:
            problems.append(f"import exited {code}: {text.strip()[:300]}")
        if "Traceback" in text:
            problems.append("import printed a traceback")
        if out.exists():
            problems.append("import wrote its output")
        elapsed = time.perf_counter() - t0
        if elapsed > 30:
            problems.append(f"took {elapsed:.0f} s")
        after = {"canary": folder_state(canary), "pkg": folder_state(pkg_dir), "tmp": folder_state(temp)}
        for name in before:
            if before[name] != after[name]:
                problems.append(f"the {name} folder changed: {after[name][:5]}")
        # os.walk, not rglob: the other worker deletes its own trial folders meanwhile.
        if any("pwned" in f for _, _, files in os.walk(trial.parent) for f in files):
            problems.append("a file the archive aimed outside was written")
    except Exception as err:
        problems.append(f"{type(err).__name__}: {err}")
        what = locals().get("what", "?")
    finally:
        shutil.rmtree(trial, ignore_errors=True)
    return index, kind, what, problems


def run_hostile(trials: int, *, seed: int = 1, jobs: int = 2) -> Summary:
    summary = Summary("hostile packages")
    tried: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="hostile-pkg-") as work, ProcessPoolExecutor(jobs) as pool:
        clean = make_package(Path(work) / "clean", 4242)
        jobs_args = [(i, seed, work, str(clean)) for i in range(trials)]
        for index, kind, what, problems in pool.map(one_trial, jobs_args):
            summary.trials += 1
            summary.bad_inputs += 1
            tried[kind] += 1
            for p in problems:
                summary.fail(f"package {index} ({kind}: {what}): {p}")
            if any("changed" in p or "aimed outside" in p or "wrote" in p for p in problems):
                summary.files_broken += 1
    for kind in sorted(tried):
        summary.extra[f"tried {kind}"] = tried[kind]
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    t0 = time.perf_counter()
    summary = run_hostile(args.trials, seed=args.seed, jobs=args.jobs)
    summary.extra["seconds"] = round(time.perf_counter() - t0)
    return summary.report()


if __name__ == "__main__":
    sys.exit(main())
