"""The start page: template previews rendered after the page shows, cached on disk; choosing
a template or Blank asks for a new document."""

from __future__ import annotations

from PySide6.QtGui import QImage

from sopdesigner.storage.paths import data_dir
from sopdesigner.templates import list_templates
from sopdesigner.ui import start_page
from sopdesigner.ui.start_page import StartPage


def _is_blank(icon) -> bool:
    image: QImage = icon.pixmap(start_page.PREVIEW_SIZE).toImage()
    first = image.pixel(0, 0)
    step = 7
    return all(
        image.pixel(x, y) == first
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    )


def test_previews_render_after_show_and_come_from_disk_next_time(qtbot, monkeypatch):
    monkeypatch.setattr(start_page, "_preview_cache", {})
    page = StartPage()
    qtbot.addWidget(page)
    page.refresh()
    count = len(list_templates())
    assert page.templates.count() == count
    qtbot.wait(50)
    assert page.previews_pending() == count  # not shown yet: nothing is read or rendered
    page.show()
    qtbot.waitUntil(lambda: page.previews_pending() == 0, timeout=30_000)
    assert not any(_is_blank(page.templates.item(i).icon()) for i in range(count))
    assert len(list((data_dir() / "previews").glob("*.png"))) == count

    # A new session (empty memory cache) reads the pictures from disk instead of rendering.
    monkeypatch.setattr(start_page, "_preview_cache", {})
    rendered = []
    monkeypatch.setattr("sopdesigner.ui.canvas.image_export.render_png", lambda *a, **k: rendered.append(a))
    second = StartPage()
    qtbot.addWidget(second)
    second.refresh()
    second.show()
    qtbot.waitUntil(lambda: second.previews_pending() == 0, timeout=30_000)
    assert rendered == []
    assert not _is_blank(second.templates.item(0).icon())


def test_template_and_blank_request_documents(qtbot):
    page = StartPage()
    qtbot.addWidget(page)
    page.refresh()
    got = []
    page.document_requested.connect(got.append)
    page.templates.itemActivated.emit(page.templates.item(0))
    page.blank_button.click()
    assert got[0].title == list_templates()[0].title and len(got[0].nodes) > 3
    assert got[1].title == "Untitled SOP" and len(got[1].nodes) < len(got[0].nodes)
