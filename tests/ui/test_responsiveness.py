"""The window never freezes during a large export: a 50 ms heartbeat QTimer keeps firing while
the real File → Export → PDF report command writes a large document's report in its worker, and
pressing Cancel on the progress dialog stops the export and leaves no file (not even a temp file).

The bound on a heartbeat gap (1 s) is generous on purpose: it is 20 missed beats, far beyond
scheduling noise on a slow shared machine, yet any work done on the GUI thread for the whole
export (seconds at this size) would exceed it.
"""

from __future__ import annotations

import time

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from benchmarks.generate import generate_document
from tests.ui.window import conftest as window_fixtures

# The whole-window fixtures (patched dialogs, a real MainWindow) of the window tests.
answers = window_fixtures.answers
window = window_fixtures.window

NODES = 400
BEAT_MS = 50
MAX_GAP_S = 1.0


@pytest.fixture(scope="module")
def big_document():
    # Built through real ops: ~10 hash-chained audit events per node, so the report has a long
    # audit trail section too.
    return generate_document(NODES)


class Heartbeat:
    """Records the time between timeouts of a repeating QTimer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.beats: list[float] = []

    def _beat(self) -> None:
        self.beats.append(time.monotonic())

    def start(self) -> None:
        self.beats = [time.monotonic()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.beats.append(time.monotonic())

    @property
    def worst_gap(self) -> float:
        return max(b - a for a, b in zip(self.beats, self.beats[1:], strict=False))


def _open(window, doc) -> None:
    window.new_from_document(doc.model_copy(deep=True))
    assert len(window.controller.document.nodes) == NODES


def test_large_pdf_export_keeps_the_event_loop_turning(window, answers, big_document, qtbot, tmp_path):
    _open(window, big_document)
    target = tmp_path / "large-report.pdf"
    answers.save_path = str(target)
    progress_seen: list[tuple[int, int]] = []
    heart = Heartbeat()
    heart.start()
    window.actions["export_pdf"].trigger()
    worker = window.exports.worker
    assert worker is not None and worker.isRunning()
    worker.progressed.connect(lambda done, total: progress_seen.append((done, total)))
    qtbot.waitUntil(lambda: window.exports.last_result is not None, timeout=600_000)
    heart.stop()
    qtbot.waitUntil(lambda: window.exports.worker is None, timeout=10_000)

    assert window.exports.last_result == "done"
    # The heartbeat kept firing through the export (at least half the beats its duration
    # allows: the export is now under a second at this size), none late by more than the bound.
    expected = (heart.beats[-1] - heart.beats[0]) / (BEAT_MS / 1000)
    assert len(heart.beats) > 5 and len(heart.beats) >= expected / 2
    assert heart.worst_gap < MAX_GAP_S, f"the window froze for {heart.worst_gap:.2f} s"
    # Progress came from the worker, one step per node section (plus the summary).
    assert progress_seen[-1] == (NODES + 1, NODES + 1)
    reader = PdfReader(target)
    assert len(reader.pages) > NODES
    assert big_document.title in reader.pages[0].extract_text()


def test_cancel_stops_a_large_export_and_leaves_no_file(window, answers, big_document, qtbot, tmp_path):
    _open(window, big_document)
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "cancelled-report.pdf"
    answers.save_path = str(target)
    heart = Heartbeat()
    heart.start()
    window.actions["export_pdf"].trigger()
    worker = window.exports.worker
    assert worker is not None
    started: list[int] = []
    worker.progressed.connect(lambda done, total: started.append(done))
    # Press Cancel once the worker is laying out node sections: mid-export, temp file on disk.
    qtbot.waitUntil(lambda: len(started) >= 5, timeout=600_000)
    progress = window.exports.progress
    assert progress is not None and progress.objectName() == "export_progress"
    cancel = progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    qtbot.waitUntil(lambda: window.exports.last_result is not None, timeout=120_000)
    heart.stop()
    qtbot.waitUntil(lambda: window.exports.worker is None, timeout=10_000)

    assert window.exports.last_result == "cancelled"
    assert max(started) < NODES + 1, "the export ran to the end instead of stopping"
    assert heart.worst_gap < MAX_GAP_S, f"the window froze for {heart.worst_gap:.2f} s"
    assert not target.exists()
    assert list(out.iterdir()) == [], "a partial or temporary file was left behind"
    assert "cancelled" in window.statusBar().currentMessage().lower()
