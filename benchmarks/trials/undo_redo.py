"""Undo/redo state machine, long run: the suite's ``UndoRedoMachine`` with more examples.

python benchmarks/trials/undo_redo.py --trials 500 [--steps 50]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from benchmarks.trials.common import Summary
from tests.trials.test_undo_redo_properties import UndoRedoMachine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    summary = Summary("undo/redo state machine")
    counts = {"steps": 0, "refused edits": 0}

    class Counted(UndoRedoMachine):
        def teardown(self) -> None:
            counts["refused edits"] += self.refused
            counts["steps"] += len(self.audit_hashes)
            super().teardown()

    t0 = time.perf_counter()
    try:
        run_state_machine_as_test(
            Counted,
            settings=settings(max_examples=args.trials, stateful_step_count=args.steps, deadline=None),
        )
    except Exception as err:  # the falsifying example is the report
        import traceback

        traceback.print_exc()
        summary.fail(f"{type(err).__name__}: {str(err)[:3000]}")
    summary.trials = args.trials
    summary.bad_inputs = counts["refused edits"]
    summary.extra["audit events checked"] = counts["steps"]
    summary.extra["seconds"] = round(time.perf_counter() - t0)
    return summary.report()


if __name__ == "__main__":
    sys.exit(main())
