"""The first frame of a document shown in a visible window is painted at fit (PERFORMANCE.md
T2): the window's layout settles (docks back, first-start sizes, status bar, scroll bars)
and the diagram is fitted to the resulting viewport before that frame, not after a first
paint at the old zoom."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.workspace import Workspace


class PaintLog(QObject):
    """(zoom, viewport width, height) at each paint of the viewport it filters."""

    def __init__(self, view) -> None:
        super().__init__()
        self.view = view
        self.paints: list[tuple[float, int, int]] = []
        view.viewport().installEventFilter(self)

    def eventFilter(self, _obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            vp = self.view.viewport()
            self.paints.append((round(self.view.zoom(), 6), vp.width(), vp.height()))
        return False


def _fitted_zoom(view) -> float:
    before = view.transform()
    view.fit_to_window()
    zoom = view.zoom()
    view.setTransform(before)
    return round(zoom, 6)


def test_a_shown_document_paints_its_first_frame_at_fit(window, template_doc, tmp_path, qtbot):
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, template_doc).close()
    window.show()
    qtbot.waitExposed(window)
    window.view.set_zoom(1.0)
    log = PaintLog(window.view)
    assert window.files._install_opened(Workspace.open(path))
    window.resize(1500, 950)  # and the window changes size before its next frame
    qtbot.waitUntil(lambda: bool(log.paints))
    qtbot.wait(50)  # anything the settling layout would repaint
    zoom, width, height = log.paints[0]
    assert zoom == _fitted_zoom(window.view) and zoom != 1.0
    # Fitted to the viewport as it finally is, so nothing needed a second paint.
    assert (width, height) == (window.view.viewport().width(), window.view.viewport().height())
    assert all(p == log.paints[0] for p in log.paints)


def test_fit_at_next_frame_in_a_hidden_window_still_fits(window, template_doc, qtbot):
    window.new_from_document(template_doc)
    window.hide()
    window.view.set_zoom(1.0)
    window.view.fit_at_next_frame()
    qtbot.waitUntil(lambda: window.view.zoom() != 1.0)


def test_a_document_opened_at_start_paints_its_first_frame_at_fit(
    qtbot, answers, template_doc, tmp_path, monkeypatch
):
    """``sopdesigner FILE`` with a file read in the background, the window resized as the
    document arrives: the first frame with the document is already fitted."""
    import time

    from PySide6.QtWidgets import QApplication

    from sopdesigner.ui import app, files

    monkeypatch.setattr(files, "BACKGROUND_OPEN_BYTES", 1)
    path = tmp_path / "doc.sop"
    DocumentFile.create(path, template_doc).close()
    assert app.run(str(path)) == 0
    win = app.windows.pop()
    qtbot.addWidget(win)
    log = PaintLog(win.view)
    while win.files.open_in_progress:
        QApplication.processEvents()
        time.sleep(0.001)
    log.paints.clear()  # the empty canvas painted while the file was read
    win.resize(1600, 1000)
    QApplication.processEvents()
    qtbot.wait(50)
    assert log.paints
    zoom, width, height = log.paints[0]
    assert zoom == _fitted_zoom(win.view)
    assert (width, height) == (win.view.viewport().width(), win.view.viewport().height())
    win.close()


def _cache_modes(window) -> set:
    return {window.scene.node_item(n.id).cacheMode() for n in window.controller.document.nodes}


def test_node_caching_follows_the_fitted_zoom_of_a_shown_document(window, template_doc, qtbot):
    """Items are built uncached and the fit decides: cached at a reading zoom, not below."""
    from PySide6.QtWidgets import QGraphicsItem

    from sopdesigner.model.document import Document
    from sopdesigner.ui.canvas.node_item import LOD_TEXT

    window.show()
    qtbot.waitExposed(window)
    window.new_from_document(template_doc)
    qtbot.wait(50)  # its fit at the next frame
    expected = (
        QGraphicsItem.CacheMode.DeviceCoordinateCache
        if window.view.zoom() >= LOD_TEXT
        else QGraphicsItem.CacheMode.NoCache
    )
    assert _cache_modes(window) == {expected}
    # A tiny window: the same document fits below the reading zoom, so nothing is cached.
    window.resize(500, 400)
    window.view.fit_to_window()
    assert window.view.zoom() < LOD_TEXT and _cache_modes(window) == {QGraphicsItem.CacheMode.NoCache}
    # An empty document: caching still follows the zoom its fit leaves.
    window.files.close_document()
    window.new_from_document(Document(id="empty", title="Empty"))
    qtbot.wait(50)
    assert window.scene._cache_nodes == (window.view.zoom() >= LOD_TEXT)
