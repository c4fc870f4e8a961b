"""Hostile ``.sop`` files (fast subset): mutated real documents are refused with one sentence
or open and load, quickly, and are never modified. The full run is
``benchmarks/trials/fuzz_sop.py --trials 100000``."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.trials.fuzz_sop import check_file, make_seeds, run_fuzz


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> list[Path]:
    return make_seeds(tmp_path_factory.mktemp("fuzz-seeds"))


@pytest.mark.slow
def test_two_thousand_mutants_are_refused_or_load_and_stay_unchanged():
    summary = run_fuzz(2000, seed=20261126, jobs=2)
    assert summary.failures == []
    assert summary.trials == 2000
    # Both outcomes happen: the mutations are neither all fatal nor all harmless.
    assert summary.extra["refused"] > 500 and summary.extra["opened and loaded"] > 50


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.integers(0, 1),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.one_of(st.none(), st.floats(0, 1)),
    tail=st.binary(max_size=600),
)
def test_byte_edits(tmp_path, seeds, which, edits, cut, tail):
    data = bytearray(seeds[which].read_bytes())
    for where, value in edits:
        data[int(where * len(data))] = value
    if cut is not None:
        del data[int(cut * len(data)) :]
    data += tail
    path = tmp_path / f"m{len(data)}.sop"
    path.write_bytes(bytes(data))
    outcome, detail = check_file(path)
    assert outcome != "FAIL", detail


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def _replace_at(value, path, new):
    """``value`` with the element at index path (taken modulo each level's size) replaced."""
    if not path or not isinstance(value, dict | list) or not value:
        return new
    if isinstance(value, dict):
        key = sorted(value)[path[0] % len(value)]
        return {**value, key: _replace_at(value[key], path[1:], new)}
    i = path[0] % len(value)
    return [*value[:i], _replace_at(value[i], path[1:], new), *value[i + 1 :]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.integers(0, 1),
    path=st.lists(st.integers(0, 1000), max_size=6),
    new=JSON,
    table=st.sampled_from(["document", "audit"]),
)
def test_json_payloads_with_wrong_types_and_unknown_fields(tmp_path, seeds, which, path, new, table):
    target = tmp_path / f"j{abs(hash((tuple(path), table)))}.sop"
    shutil.copyfile(seeds[which], target)
    con = sqlite3.connect(target, isolation_level=None)
    try:
        if table == "document":
            body = json.loads(con.execute("SELECT body FROM document").fetchone()[0])
            con.execute("UPDATE document SET body = ?", (json.dumps(_replace_at(body, path, new)),))
        else:
            row = con.execute("SELECT seq, event FROM audit ORDER BY seq LIMIT 1").fetchone()
            seq, event = row or (1, "{}")
            con.execute("INSERT OR IGNORE INTO audit(seq, hash, event) VALUES (1, 'h', '{}')")
            con.execute(
                "UPDATE audit SET event = ? WHERE seq = ?",
                (json.dumps(_replace_at(json.loads(event), path, new)), seq),
            )
    finally:
        con.close()
    outcome, detail = check_file(target)
    assert outcome != "FAIL", detail
