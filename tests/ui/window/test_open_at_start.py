"""``sopdesigner FILE``: a window started to open a document shows the empty canvas until it
is open, never the start page, whose templates and previews would load meanwhile (issue 7,
PERFORMANCE.md T2). The start page comes as soon as there is no document: the open failed,
was cancelled, or the document was closed. The first-start panel sizes still apply."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDockWidget, QPushButton

from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.settings import load_settings
from sopdesigner.ui import files


@pytest.fixture
def started(qtbot, answers):
    """``run(path)`` → the window it made (closed at the end)."""
    from sopdesigner.ui import app

    made = []

    def start(path) -> object:
        assert app.run(str(path)) == 0
        win = app.windows.pop()
        qtbot.addWidget(win)
        made.append(win)
        return win

    yield start
    for win in made:
        win.close()


def _templates_loaded(win) -> bool:
    return win.start_page_built and win.start_page.templates.count() > 0


def test_opening_at_start_never_loads_the_start_page(started, template_doc, tmp_path, qtbot):
    path = tmp_path / "given.sop"
    DocumentFile.create(path, template_doc).close()
    win = started(path)
    assert win.workspace.path == path.resolve()
    assert win.central.currentWidget() is win.view
    assert not win.start_page_built
    # Closing the document brings the start page, complete: templates and the recent file.
    win.view.run_deferred()
    qtbot.waitUntil(lambda: bool(load_settings().recent_files))
    assert win.files.close_document()
    assert win.central.currentWidget() is win.start_page
    assert _templates_loaded(win)
    assert "given.sop" in win.start_page.recent.item(0).text()


def test_a_failed_open_at_start_shows_the_start_page(started, answers, tmp_path):
    bad = tmp_path / "broken.sop"
    bad.write_bytes(b"not a database at all" * 10)
    win = started(bad)
    assert win.workspace is None
    assert answers.warnings and "broken.sop" in answers.warnings[-1]
    assert win.central.currentWidget() is win.start_page
    assert _templates_loaded(win)


def test_a_background_open_at_start_shows_the_canvas_then_the_document(
    started, template_doc, tmp_path, qtbot, monkeypatch
):
    monkeypatch.setattr(files, "BACKGROUND_OPEN_BYTES", 1)
    path = tmp_path / "given.sop"
    DocumentFile.create(path, template_doc).close()
    win = started(path)
    assert win.files.open_in_progress
    assert win.central.currentWidget() is win.view and not _templates_loaded(win)
    qtbot.waitUntil(lambda: not win.files.open_in_progress, timeout=60_000)
    assert win.workspace.path == path.resolve()
    assert not _templates_loaded(win)
    docks = {d.objectName(): d for d in win.findChildren(QDockWidget)}
    assert docks["palette_dock"].isVisible() and docks["properties_dock"].isVisible()
    assert not docks["history_dock"].isVisible()


def test_a_cancelled_background_open_at_start_shows_the_start_page(
    started, template_doc, tmp_path, qtbot, monkeypatch
):
    monkeypatch.setattr(files, "BACKGROUND_OPEN_BYTES", 1)
    path = tmp_path / "given.sop"
    DocumentFile.create(path, template_doc).close()
    win = started(path)
    win.files.open_progress.findChild(QPushButton).click()  # Cancel, before the read is collected
    assert not win.files.open_in_progress and win.workspace is None
    assert win.central.currentWidget() is win.start_page and _templates_loaded(win)
    qtbot.waitUntil(lambda: not _running_workers(), timeout=60_000)


def _running_workers() -> bool:
    from sopdesigner.ui import open_worker

    return bool(open_worker._running)


def test_first_start_panel_sizes_apply_to_a_document_opened_at_start(
    started, template_doc, tmp_path, qtbot, monkeypatch
):
    """No saved layout: the palette gets its first-start width (150 px) and the properties
    theirs (400 px, or the least their content needs), applied once the document's docks are
    back, not to the docks hidden meanwhile."""
    path = tmp_path / "given.sop"
    DocumentFile.create(path, template_doc).close()
    monkeypatch.setattr(files, "BACKGROUND_OPEN_BYTES", 1)  # the docks stay hidden a while
    win = started(path)
    win.resize(1600, 1000)
    qtbot.waitUntil(lambda: not win.files.open_in_progress, timeout=60_000)
    qtbot.waitUntil(lambda: not win._needs_default_sizes)
    docks = {d.objectName(): d for d in win.findChildren(QDockWidget)}
    qtbot.waitUntil(lambda: abs(docks["palette_dock"].width() - 150) <= 12)
    assert 390 <= docks["properties_dock"].width() <= 460


def test_start_up_leaves_the_collector_on_and_its_objects_frozen(
    started, template_doc, tmp_path, qtbot, monkeypatch
):
    """``run`` pauses the cyclic GC while it builds the window (and freezes what it made):
    it is on again afterwards, whether the document is read at once or in the background."""
    import gc

    path = tmp_path / "given.sop"
    DocumentFile.create(path, template_doc).close()
    gc.unfreeze()
    started(path)
    assert gc.isenabled() and gc.get_freeze_count() > 0
    monkeypatch.setattr(files, "BACKGROUND_OPEN_BYTES", 1)
    win = started(path)  # the background read pauses it too, until the document is shown
    qtbot.waitUntil(lambda: not win.files.open_in_progress, timeout=60_000)
    assert gc.isenabled() and win.workspace.path == path.resolve()
