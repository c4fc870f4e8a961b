"""The main window's start page (templates, recent files), made on first need. A mixin:
``self`` is the ``MainWindow``.

A window started to open a document (``sopdesigner FILE``) shows the empty canvas while the
file is read and may never show the start page: it is then not built (≈ 4 ms), nor its
module imported, nor its templates and their preview pictures loaded, which would otherwise
share the GUI thread with the open (issue 7, PERFORMANCE.md T2). While hidden it is not
refreshed either; ``show_start_page`` brings it up to date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

if TYPE_CHECKING:
    from sopdesigner.ui.start_page import StartPage


class WindowStartPage:
    """Mixed into ``MainWindow``; relies on its central stack, docks, file flows and theme."""

    _start_page: StartPage | None

    @property
    def start_page(self: Any) -> StartPage:
        if self._start_page is None:
            from sopdesigner.ui.start_page import StartPage

            page = StartPage(self)
            page.open_requested.connect(self.open_path)
            page.open_dialog_requested.connect(self.files.open_dialog)
            page.document_requested.connect(self.new_from_document)
            page.recent_missing.connect(self.files.forget_recent)
            self.central.insertWidget(0, page)
            self._start_page = page
        return self._start_page

    @property
    def start_page_built(self) -> bool:
        return self._start_page is not None

    def show_start_page(self: Any) -> None:
        """The start page gets the whole window: the panels are hidden, and come back with
        their sizes and tabs (saveState/restoreState) when a document opens."""
        self._hide_docks()
        self.central.setCurrentWidget(self.start_page)
        # No document, no zoom or problems to report (they come back with the canvas).
        self.problems_button.hide()
        self.zoom_label.hide()
        # Theme and recent files reach the start page only while it is shown: catch up now.
        self.start_page.set_theme(self.effective_theme)

    def _start_page_shown(self: Any) -> bool:
        return self._start_page is not None and self.central.currentWidget() is self._start_page

    def _hide_docks(self: Any) -> None:
        if self._dock_state is None:
            self._dock_state = self.saveState()
            # Docks are the window's direct children: a recursive search walked every widget
            # of every panel (~1 ms of each close).
            for dock in self.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
                dock.hide()
