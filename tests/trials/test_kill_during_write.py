"""Kill during write (fast subset): real child processes SIGKILLed mid-write; every file is
exactly the before or the after state. The full run is ``benchmarks/trials/kill_during_write.py``."""

from __future__ import annotations

import pytest

from benchmarks.trials.kill_during_write import SCENARIOS, run_trials


@pytest.mark.slow
def test_killed_writes_leave_before_or_after(tmp_path):
    summary = run_trials(21, seed=20261126, jobs=2, n_nodes=200, work=tmp_path)
    assert summary.failures == []
    assert summary.trials == 21
    assert summary.files_broken == 0
    # Every scenario was actually killed at least once (not all finished before the kill).
    killed = {name for name in SCENARIOS if summary.extra.get(f"killed {name}", 0) > 0}
    assert len(killed) >= len(SCENARIOS) - 1
