"""``FitAtFrame``: fit a freshly shown diagram to the viewport its first frame paints.

Showing a document changes the window's layout in the event-loop turns that follow: its docks
come back, first-start dock sizes apply, the status bar's texts change. A fit queued on a timer
could run after the first paint (a frame at the wrong zoom, then a second full repaint at fit)
or before the layout settled (a fit to the wrong size). Instead the fit waits for the window's
next frame: just before the window paints, pending layout requests are applied and the diagram
is fitted to the viewport as it is then, so that frame is the fitted one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget


class FitAtFrame(QObject):
    """Runs ``fit`` once, right before the next paint of ``view``'s window (on a zero timer
    when the view is not visible: no frame comes then)."""

    def __init__(self, view: QAbstractScrollArea, fit: Callable[[], None]) -> None:
        super().__init__(view)
        self._view = view
        self._fit = fit
        self._window: QWidget | None = None

    def request(self, *, frame: bool = True) -> None:
        """``frame``: make sure a frame comes; False: act only before a frame that comes
        anyway (nothing to do in a hidden view then)."""
        if not self._view.isVisible():
            if frame:
                QTimer.singleShot(0, self._fit)
            return
        if self._window is None:
            self._window = self._view.window()
            self._window.installEventFilter(self)
        if frame:
            self._view.viewport().update()  # make sure a frame comes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.UpdateRequest:
            self._window.removeEventFilter(self)
            self._window = None
            # The window paints its dirty widgets on this event: lay it out first (docks,
            # status bar), then fit; the viewport is dirty already, so this frame is fitted.
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            viewport = self._view.viewport()
            for _ in range(3):
                size = viewport.size()
                self._fit()
                # The new zoom may show or hide the scroll bars (a queued call to the view),
                # resizing the viewport: fit again.
                QApplication.sendPostedEvents(self._view, QEvent.Type.MetaCall)
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
                if viewport.size() == size:
                    break
        return False
