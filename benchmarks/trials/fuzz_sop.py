"""Hostile ``.sop`` files: every mutated document is refused with one ``SopError`` sentence or
opens and loads, within 5 s, and is left byte-for-byte unchanged.

Workers (forked processes) mutate real documents and open each result the way the editor
(``DocumentFile.open`` for writing, then ``load``) and the scripting commands (read-only) do;
a watchdog kills a worker that takes longer than the limit and counts it as a failure.

    python benchmarks/trials/fuzz_sop.py --trials 100000 [--jobs 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import contextlib

from benchmarks.trials.common import Summary, big_document, write_random_file
from benchmarks.trials.sop_mutations import mutate
from sopdesigner.editing.session import EditSession
from sopdesigner.errors import SopError
from sopdesigner.model.document import Evidence
from sopdesigner.ops import AttachEvidence
from sopdesigner.storage.blobs import FileBlobs, hash_file
from sopdesigner.storage.document_file import DocumentFile
from tests.factories import make_document

LIMIT_SECONDS = 5.0


def make_seeds(folder: Path) -> list[Path]:
    """Real documents: a small one, one with evidence (two chunks) and a large audit trail."""
    small = folder / "small.sop"
    DocumentFile.create(small, make_document()).close()
    doc = big_document(120)
    evidence = write_random_file(folder / "ev.bin", (1 << 20) + 333, 3)
    sha, size = hash_file(evidence)
    EditSession(doc, "fuzz").apply(
        AttachEvidence("validate", Evidence(id="ev", sha256=sha, size=size, filename="ev.bin"))
    )
    rich = folder / "rich.sop"
    DocumentFile.create(rich, doc, blobs=FileBlobs({sha: evidence})).close()
    return [small, rich]


def check_file(path: Path) -> tuple[str, str]:
    """Open and load ``path`` as the editor and the CLI do. Returns (outcome, detail) where
    outcome is "loaded", "refused" or "FAIL"; the file must not change."""
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    outcome, detail = "loaded", ""
    try:
        for read_only in (False, True):
            with DocumentFile.open(path, read_only=read_only) as f:
                f.load()
                for sha in sorted(f.blob_hashes())[:2]:
                    for _ in f.iter_blob(sha):
                        pass
    except SopError as err:
        message = str(err)
        outcome, detail = "refused", message
        if not message.strip() or "\n" in message or "Traceback" in message or len(message) > 600:
            outcome, detail = "FAIL", f"not one sentence: {message[:300]!r}"
    except BaseException as err:
        outcome = "FAIL"
        detail = f"{type(err).__name__}: {str(err)[:200]}\n{traceback.format_exc()[-1500:]}"
    if hashlib.sha256(path.read_bytes()).hexdigest() != before:
        outcome, detail = "FAIL", f"the file was modified (after: {outcome} {detail[:200]})"
    for side in ("-journal", "-wal", "-shm"):
        if Path(str(path) + side).exists():
            outcome, detail = "FAIL", f"a {side} file was left beside it"
    return outcome, detail


def _worker(conn, seeds: list[Path], folder: Path, seed: int) -> None:
    out = folder / "mutant.sop"
    while True:
        index = conn.recv()
        if index is None:
            return
        rnd = random.Random(seed * 1_000_003 + index)
        for side in ("-journal", "-wal", "-shm"):
            Path(str(out) + side).unlink(missing_ok=True)
        try:
            what = mutate(rnd.choice(seeds), out, rnd)
        except Exception as err:  # a harness bug must not pass for a product crash
            conn.send((index, "mutation failed", "FAIL", f"the mutation itself failed: {err!r}"))
            continue
        # CPU time, not wall time: on a shared machine the wall clock measures the neighbours.
        # The watchdog still kills a worker that does not answer within 3x the limit.
        t0 = time.process_time()
        outcome, detail = check_file(out)
        elapsed = time.process_time() - t0
        if outcome != "FAIL" and elapsed > LIMIT_SECONDS:
            outcome, detail = "FAIL", f"took {elapsed:.1f} s of CPU"
        conn.send((index, what, outcome, detail))


class Pool:
    """Forked workers with a watchdog: a task that does not answer in time kills its worker."""

    def __init__(self, jobs: int, seeds: list[Path], folder: Path, seed: int):
        self.args = (seeds, folder, seed)
        self.ctx = mp.get_context("fork")
        self.slots = [self._start(i) for i in range(jobs)]

    def _start(self, i: int):
        parent, child = self.ctx.Pipe()
        seeds, folder, seed = self.args
        sub = folder / f"w{i}-{time.monotonic_ns()}"
        sub.mkdir()
        proc = self.ctx.Process(target=_worker, args=(child, seeds, sub, seed), daemon=True)
        proc.start()
        return [proc, parent, None, 0.0]

    def run(self, indices: range, on_result) -> None:
        todo = list(indices)[::-1]
        while todo or any(s[2] is not None for s in self.slots):
            for i, slot in enumerate(self.slots):
                proc, conn, task, started = slot
                if task is None and todo:
                    slot[2], slot[3] = todo.pop(), time.monotonic()
                    conn.send(slot[2])
                elif task is not None and conn.poll(0.001):
                    try:
                        on_result(*conn.recv())
                    except EOFError:
                        proc.join()
                        on_result(task, "?", "FAIL", f"the worker died (exit {proc.exitcode})")
                        self.slots[i] = self._start(i)
                        continue
                    slot[2] = None
                elif task is not None and time.monotonic() - started > LIMIT_SECONDS * 3:
                    proc.kill()
                    proc.join()
                    on_result(task, "?", "FAIL", "hung: killed by the watchdog")
                    self.slots[i] = self._start(i)
                elif task is not None and not proc.is_alive():
                    on_result(task, "?", "FAIL", f"the worker died (exit {proc.exitcode})")
                    self.slots[i] = self._start(i)

    def close(self) -> None:
        for proc, conn, _task, _ in self.slots:
            with contextlib.suppress(OSError):
                conn.send(None)
            proc.join(5)
            if proc.is_alive():
                proc.kill()


def run_fuzz(trials: int, *, seed: int = 1, jobs: int = 2, start: int = 0) -> Summary:
    summary = Summary("hostile .sop files")
    outcomes: Counter[str] = Counter()
    shm = Path("/dev/shm")
    scratch = str(shm) if shm.is_dir() else None  # RAM-backed when there is one: mutants are throwaway
    with tempfile.TemporaryDirectory(prefix="fuzz-sop-", dir=scratch) as tmp:
        folder = Path(tmp)
        seeds = make_seeds(folder)
        pool = Pool(jobs, seeds, folder, seed)

        def on_result(index: int, what: str, outcome: str, detail: str) -> None:
            summary.trials += 1
            summary.bad_inputs += 1
            outcomes[outcome] += 1
            if outcome == "FAIL":
                summary.fail(f"mutant {index} ({what}): {detail}")
                if "modified" in detail:
                    summary.files_broken += 1

        try:
            pool.run(range(start, start + trials), on_result)
        finally:
            pool.close()
    summary.extra["refused"] = outcomes["refused"]
    summary.extra["opened and loaded"] = outcomes["loaded"]
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    t0 = time.perf_counter()
    summary = run_fuzz(args.trials, seed=args.seed, jobs=args.jobs)
    summary.extra["seconds"] = round(time.perf_counter() - t0)
    return summary.report()


if __name__ == "__main__":
    sys.exit(main())
