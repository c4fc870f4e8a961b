"""Shared helpers for the records UI tests: a controller over the test document, a real
workspace as evidence store, a shown main window, and a small real PNG on disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from sopdesigner.storage.workspace import Workspace
from sopdesigner.ui.controller import DocumentController
from sopdesigner.ui.records.context import RecordsContext
from tests.factories import make_document


def make_context(actor: str = "Ada Reviewer") -> tuple[RecordsContext, DocumentController, Workspace]:
    workspace = Workspace.new(make_document())
    controller = DocumentController(workspace.document, actor)
    ctx = RecordsContext(controller, store=lambda: workspace, user_name=lambda: actor)
    return ctx, controller, workspace


def shown_window(qtbot, monkeypatch, document=None):
    """A shown 1600×1000 main window for user "Ada Reviewer" (on the start page, or showing
    ``document``); closing it at teardown discards changes instead of asking."""
    from sopdesigner.storage.settings import Settings, save_settings
    from sopdesigner.ui.main_window import MainWindow

    save_settings(Settings(user_name="Ada Reviewer"))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
    )
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    if document is not None:
        w.new_from_document(document)
    w.show()
    qtbot.waitExposed(w)
    return w


def write_png(path: Path, colour: str = "#D55E00", size: int = 40) -> Path:
    image = QImage(size, size, QImage.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


def drop_files(widget, paths: list[Path], pos: QPointF | None = None) -> None:
    """Deliver a file-manager drop of ``paths`` onto ``widget``."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = pos or QPointF(widget.width() / 2, widget.height() / 2)
    for kind in ("enter", "drop"):
        if kind == "enter":
            from PySide6.QtGui import QDragEnterEvent

            ev = QDragEnterEvent(where.toPoint(), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
        else:
            ev = QDropEvent(where, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
        QApplication.sendEvent(widget, ev)
