"""Evidence: attach by dialog and by drop through a real workspace (hashed in a worker
thread), thumbnails, save a copy, remove, and one-sentence errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from sopdesigner.ui.records.evidence_panel import EvidenceDetailsDialog, EvidencePanel
from tests.ui.records.helpers import drop_files, make_context, write_png


def _answer(monkeypatch, title="Validation report", category="Performance metrics and validation results"):
    asked = []

    def ask(filename, hint, parent):
        asked.append((filename, hint))
        return title, category

    monkeypatch.setattr(EvidenceDetailsDialog, "ask", staticmethod(ask))
    return asked


def test_attach_with_file_dialog_hashes_in_background_and_attaches(qtbot, tmp_path, monkeypatch):
    ctx, ctrl, ws = make_context("Ada Reviewer")
    panel = EvidencePanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["validate"])
    report = tmp_path / "metrics.csv"
    payload = b"auc,0.91\n" * 50_000
    report.write_bytes(payload)
    asked = _answer(monkeypatch)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(report)], ""))

    qtbot.mouseClick(panel.attach_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(ctrl.document.node("validate").evidence) == 1, timeout=10_000)

    # The checklist item's evidence category is offered as the default.
    assert asked == [("metrics.csv", "Performance metrics and validation results")]
    ev = ctrl.document.node("validate").evidence[0]
    assert ev.sha256 == hashlib.sha256(payload).hexdigest()
    assert ev.size == len(payload) and ev.filename == "metrics.csv"
    assert ev.title == "Validation report" and ev.added_by == "Ada Reviewer"
    assert ws.has_blob(ev.sha256)
    assert b"".join(ws.iter_blob(ev.sha256)) == payload
    text = panel.list.item(0).text()
    assert "metrics.csv" in text and ev.sha256[:12] in text and "Ada Reviewer" in text
    assert "439.5 KiB" in text
    assert ctrl.document.audit[-1].action == "evidence.attached"


def test_drop_png_attaches_with_thumbnail_then_remove_is_recorded(qtbot, tmp_path, monkeypatch):
    ctx, ctrl, _ws = make_context()
    panel = EvidencePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(420, 400)
    panel.show()
    ctx.set_selection(["risk"])
    _answer(monkeypatch, "Confusion matrix", "Risk, bias, and impact assessment reports")
    png = write_png(tmp_path / "matrix.png")

    drop_files(panel, [png])
    qtbot.waitUntil(lambda: len(ctrl.document.node("risk").evidence) == 1, timeout=10_000)
    ev = ctrl.document.node("risk").evidence[0]
    assert ev.media_type == "image/png"
    assert ev.sha256 == hashlib.sha256(png.read_bytes()).hexdigest()
    assert panel.has_thumbnail(0)

    copy = tmp_path / "copy.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.save_button, Qt.LeftButton)
    assert copy.read_bytes() == png.read_bytes()

    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert ctrl.document.node("risk").evidence == []
    assert ctrl.document.audit[-1].action == "evidence.removed"
    assert panel.list.count() == 0
    ctrl.undo_stack.undo()
    assert ctrl.document.node("risk").evidence[0].id == ev.id
    assert ctrl.document.audit[-1].action == "evidence.restored"


def test_missing_file_is_one_sentence_and_nothing_attached(qtbot, tmp_path, monkeypatch):
    ctx, ctrl, _ws = make_context()
    panel = EvidencePanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["validate"])
    _answer(monkeypatch)
    messages = []
    ctx.message.connect(messages.append)
    assert panel.attach_path(tmp_path / "gone.pdf") is None
    assert messages == ["'gone.pdf' is not a file that can be attached."]
    assert ctrl.document.node("validate").evidence == []


def test_file_vanishing_while_stored_reports_error(qtbot, tmp_path, monkeypatch):
    """The file exists when chosen but cannot be read by the worker (removed meanwhile)."""
    ctx, ctrl, _ws = make_context()
    panel = EvidencePanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["validate"])
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 test")

    def ask(filename, hint, parent):
        path.unlink()  # gone before the worker opens it
        return "Report", ""

    monkeypatch.setattr(EvidenceDetailsDialog, "ask", staticmethod(ask))
    messages = []
    ctx.message.connect(messages.append)
    job = panel.attach_path(path)
    with qtbot.waitSignal(job.finished, timeout=10_000) as blocker:
        pass
    assert blocker.args == [False]
    assert len(messages) == 1 and "report.pdf" in messages[0] and "Traceback" not in messages[0]
    assert messages[0].endswith(".") and "\n" not in messages[0]
    assert ctrl.document.node("validate").evidence == []


def test_cancel_stores_nothing(qtbot, tmp_path, monkeypatch):
    ctx, ctrl, ws = make_context()
    panel = EvidencePanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["validate"])
    _answer(monkeypatch)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 1024)
    from sopdesigner.ui.records import evidence_import

    # Press Cancel as soon as the progress dialog is wired, before the worker reads a byte:
    # the storage layer raises CancelledError and rolls back.
    real_start = evidence_import._StoreWorker.start

    def start_then_cancel(self):
        self.cancel.set()
        real_start(self)

    monkeypatch.setattr(evidence_import._StoreWorker, "start", start_then_cancel)
    messages = []
    ctx.message.connect(messages.append)
    job = panel.attach_path(big)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert ctrl.document.node("validate").evidence == []
    assert messages == ["Attaching big.bin was cancelled; nothing was stored."]
    assert not ws.has_blob(hashlib.sha256(big.read_bytes()).hexdigest())


def test_open_extracts_the_stored_bytes_to_a_temp_file(qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    ctx, _ctrl, _ws = make_context()
    panel = EvidencePanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["validate"])
    _answer(monkeypatch)
    src = tmp_path / "model-card.md"
    src.write_text("# Model card\nintended use: retail credit\n", encoding="utf-8")
    job = panel.attach_path(src)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    src.unlink()  # the bytes now live in the document, not next to it
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.open_button, Qt.LeftButton)
    assert len(opened) == 1
    extracted = Path(opened[0].toLocalFile())
    assert extracted.name == "model-card.md" and extracted != src
    assert extracted.read_text(encoding="utf-8") == "# Model card\nintended use: retail credit\n"


def test_os_errors_become_one_sentence():
    from sopdesigner.ui.records.evidence_import import describe_os_error

    p = Path("/data/report.pdf")
    assert describe_os_error(p, PermissionError(13, "Permission denied")) == (
        "You do not have permission to read 'report.pdf'."
    )
    assert (
        describe_os_error(p, FileNotFoundError(2, "No such file"))
        == "The file 'report.pdf' does not exist any more."
    )
