"""Kill during write: SIGKILL real writes at random moments; every file must be before or after.

Scenarios (each a fresh child process): the ``sign``, ``tick`` and ``attach`` commands run as
``python -m sopdesigner``; ``DocumentFile.save`` of a large edited document with new evidence;
``Workspace.save`` (with staged evidence and an autosave), Save As to a new path, and a first
save of a never-saved document. After each kill the file must open with ``DocumentFile.open``,
pass ``PRAGMA integrity_check``, and load to exactly the state before the write or exactly the
state the child was writing; an autosave left behind must open too.

    python benchmarks/trials/kill_during_write.py --trials 1000 [--jobs 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.trials.common import (
    Summary,
    big_document,
    child_env,
    doc_json,
    integrity_ok,
    sha_file,
    write_random_file,
)
from sopdesigner.errors import SopError
from sopdesigner.storage.document_file import DocumentFile

CHILD = Path(__file__).with_name("kill_child.py")
SCENARIOS = ("cli-sign", "cli-tick", "cli-attach", "file-save", "ws-save", "ws-saveas", "ws-create")
EVIDENCE_BYTES = 3 * 1024 * 1024 + 17


def _argv(scenario: str, path: Path, evidence: Path) -> list[str]:
    common = ["--actor", "kill-trial"]
    if scenario == "cli-sign":
        return [
            "sign",
            str(path),
            "--node",
            "risk",
            "--role",
            "security",
            "--signer",
            "Sam Sec",
            "--decision",
            "approve",
            *common,
        ]
    if scenario == "cli-tick":
        return ["tick", str(path), "--node", "validate", "--item", "1", *common]
    if scenario == "cli-attach":
        return ["attach", str(path), "--node", "validate", str(evidence), "--title", "Report", *common]
    return []


class Fixture:
    """One pristine copy of the large document (and its evidence) that every trial copies."""

    def __init__(self, folder: Path, n_nodes: int):
        self.folder = folder
        self.pristine = folder / "pristine.sop"
        self.evidence = write_random_file(folder / "evidence.bin", EVIDENCE_BYTES, 7)
        DocumentFile.create(self.pristine, big_document(n_nodes)).close()
        with DocumentFile.open(self.pristine, read_only=True) as f:
            self.before = doc_json(f.load())
        self.pristine_sha = sha_file(self.pristine)
        self.calibration: dict[str, tuple[float, int]] = {}


def _spawn(spec: dict, folder: Path, timeout: float = 120.0) -> subprocess.CompletedProcess:
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec))
    return subprocess.run(
        [sys.executable, str(CHILD), str(spec_path)],
        env=child_env(folder / "home"),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _prepare(fx: Fixture, scenario: str, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "doc.sop"
    shutil.copyfile(fx.pristine, path)
    spec = {
        "scenario": scenario,
        "path": str(path),
        "target": str(folder / "copy ünïcode.sop"),
        "expected": str(folder / "expected.json"),
        "evidence": str(fx.evidence),
        "argv": _argv(scenario, path, fx.evidence),
    }
    return spec


def calibrate(fx: Fixture, work: Path) -> None:
    for scenario in SCENARIOS:
        folder = work / f"calibrate-{scenario}"
        spec = _prepare(fx, scenario, folder)
        timed = _spawn({**spec, "kill": "none"}, folder)
        if timed.returncode != 0:
            raise RuntimeError(f"{scenario} fails without a kill: {timed.stderr.strip()[-2000:]}")
        seconds = json.loads(timed.stdout.strip().splitlines()[-1])["seconds"]
        shutil.rmtree(folder)
        spec = _prepare(fx, scenario, folder)
        traced = _spawn({**spec, "kill": "calibrate"}, folder)
        lines = json.loads(traced.stdout.strip().splitlines()[-1])["lines"]
        shutil.rmtree(folder)
        fx.calibration[scenario] = (seconds, lines)


def _load_state(path: Path) -> str:
    """Open like the editor does (rolling back a hot journal), check integrity, dump the model."""
    with DocumentFile.open(path) as f:
        state = doc_json(f.load())
    if not integrity_ok(path):
        raise SopError(f"'{path.name}' fails PRAGMA integrity_check")
    return state


def one_trial(fx: Fixture, work: Path, index: int, seed: int) -> tuple[str, bool, bool, list[str]]:
    """Returns (scenario, killed, killed inside a commit, problems)."""
    rnd = random.Random(seed * 1_000_003 + index)
    scenario = SCENARIOS[index % len(SCENARIOS)]
    folder = work / f"t{index}"
    spec = _prepare(fx, scenario, folder)
    seconds, lines = fx.calibration[scenario]
    if rnd.random() < 0.5:
        spec.update(kill="timer", delay=rnd.uniform(0.0, seconds * 1.15))
    else:
        spec.update(kill="trace", step=rnd.randint(1, max(1, int(lines * 1.05))))
    problems: list[str] = []
    result = _spawn(spec, folder)
    killed = result.returncode == -9
    if not killed and result.returncode != 0:
        problems.append(f"{scenario} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    expected = Path(spec["expected"])
    after = expected.read_text() if expected.exists() else None
    where = f"trial {index} ({scenario}, {spec['kill']} {spec.get('delay', spec.get('step'))})"
    path, target = Path(spec["path"]), Path(spec["target"])
    # A -journal left beside the file means the kill landed inside SQLite's commit.
    hot = any(Path(f"{p}-journal").exists() for p in (path, target))
    try:
        if scenario in ("ws-saveas", "ws-create"):
            if sha_file(path) != fx.pristine_sha and _load_state(path) != fx.before:
                problems.append(f"{where}: the source document changed")
            if target.exists():
                state = _load_state(target)
                if state != after:
                    problems.append(f"{where}: the new file is neither absent nor the saved state")
            elif not killed:
                problems.append(f"{where}: the save finished but wrote no file")
        else:
            state = _load_state(path)
            if state != fx.before and state != after:
                problems.append(f"{where}: the document is neither the before nor the after state")
            if not killed and state != after:
                problems.append(f"{where}: the write finished but the file holds the old state")
        for work_file in (folder / "home").rglob("*.sopwork"):
            _load_state(work_file)
    except SopError as err:
        problems.append(f"{where}: {err}")
    if not problems:
        shutil.rmtree(folder, ignore_errors=True)
    return scenario, killed, hot, problems


def run_trials(
    trials: int, *, seed: int = 1, jobs: int = 2, n_nodes: int = 400, work: Path | None = None
) -> Summary:
    summary = Summary("kill during write")
    own = work is None
    work = Path(tempfile.mkdtemp(prefix="kill-trials-")) if work is None else work
    try:
        fx = Fixture(work, n_nodes)
        calibrate(fx, work)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(lambda i: one_trial(fx, work, i, seed), range(trials)))
        summary.extra["killed inside a commit (hot journal rolled back)"] = 0
        for scenario, killed, hot, problems in results:
            summary.extra["killed inside a commit (hot journal rolled back)"] += hot
            summary.trials += 1
            summary.faults_injected += killed
            summary.extra[f"killed {scenario}"] = summary.extra.get(f"killed {scenario}", 0) + killed
            if any("old state" in p or "wrote no file" in p for p in problems):
                summary.data_lost += 1  # the write finished, yet its result is not on disk
            elif problems:
                summary.files_broken += 1
                for p in problems:
                    summary.fail(p)
        summary.extra["completed before the kill"] = summary.trials - summary.faults_injected
    finally:
        if own and summary.ok:
            shutil.rmtree(work, ignore_errors=True)
        elif own:
            print(f"kept the failing trials in {work}", file=sys.stderr)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nodes", type=int, default=400)
    args = parser.parse_args()
    return run_trials(args.trials, seed=args.seed, jobs=args.jobs, n_nodes=args.nodes).report()


if __name__ == "__main__":
    sys.exit(main())
