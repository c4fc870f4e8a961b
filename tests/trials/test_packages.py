"""Hostile and tampered audit packages (fast subsets of ``benchmarks/trials/hostile_packages.py``
and ``tamper_packages.py``), plus the control: a clean package imports and leaves no temp files."""

from __future__ import annotations

import contextlib
import io
import tempfile

import pytest

from benchmarks.trials.hostile_packages import run_hostile
from benchmarks.trials.package_attacks import HOSTILE, TAMPERS, folder_state, make_package
from benchmarks.trials.tamper_packages import run_tamper
from sopdesigner.cli import main
from sopdesigner.storage.document_file import DocumentFile


@pytest.mark.slow
def test_hostile_packages_exit_2_and_write_nothing_outside_a_removed_temp_folder():
    summary = run_hostile(3 * len(HOSTILE), seed=20261126)
    assert summary.failures == []
    assert {k.removeprefix("tried ") for k in summary.extra} == {name for name, _ in HOSTILE}


@pytest.mark.slow
def test_verify_catches_every_forgery_and_passes_every_clean_package():
    summary = run_tamper(3 * len(TAMPERS), seed=20261126)
    assert summary.failures == []
    assert summary.extra["clean packages intact"] == summary.extra["clean packages verified"]
    assert summary.extra["forgeries caught"] == summary.trials


def test_control_a_clean_package_imports_and_its_temp_folder_is_removed(tmp_path):
    package = make_package(tmp_path / "src", 7)
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "imported.sop"
    tempfile.tempdir = str(temp)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["verify", str(package)]) == 0
            assert main(["import", str(package), str(out), "--actor", "auditor"]) == 0
    finally:
        tempfile.tempdir = None
    assert folder_state(temp) == []
    with DocumentFile.open(out, read_only=True) as f:
        doc = f.load()
        for node in doc.nodes:
            for ev in node.evidence:
                assert len(b"".join(f.iter_blob(ev.sha256))) == ev.size
    assert doc.audit[-1].action == "document.imported"
