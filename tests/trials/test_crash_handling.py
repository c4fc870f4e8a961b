"""Crash handling end to end: an exception escaping a Qt slot in the real editor is logged to
the platform log folder, shown once in a dialog naming the log, and the unsaved work is kept
in an autosave that the next start offers and restores."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.workspace import Workspace
from tests.factories import make_document

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


def test_slot_exception_is_logged_shown_once_and_work_is_recoverable(tmp_path, monkeypatch):
    home = tmp_path / "home"
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, make_document()).close()
    saved = hashlib.sha256(path.read_bytes()).hexdigest()
    dialogs = tmp_path / "dialogs.json"
    env = {
        **os.environ,
        "SOPDESIGNER_HOME": str(home),
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, str(CHILD), str(path), str(dialogs)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr

    log = home / "log" / "crash.log"
    text = log.read_text(encoding="utf-8")
    assert text.count("Traceback (most recent call last)") == 2
    assert (
        "RuntimeError: trial failure 1 in a slot" in text
        and "RuntimeError: trial failure 2 in a slot" in text
    )

    shown = json.loads(dialogs.read_text())
    assert len(shown) == 1
    assert "trial failure 1 in a slot" in shown[0]["text"] and str(log) in shown[0]["text"]

    # The document on disk still holds only what was saved; the edit lives in the autosave.
    assert hashlib.sha256(path.read_bytes()).hexdigest() == saved
    monkeypatch.setenv("SOPDESIGNER_HOME", str(home))
    found = Workspace.recoverable()
    assert [Path(info.origin_path) for info in found] == [path.resolve()]
    ws = Workspace.recover(found[0])
    try:
        assert ws.document.node("validate").checklist[0].done is True
        assert [e.action for e in ws.document.audit][-1:] == ["checklist.ticked"]
    finally:
        ws.close()
