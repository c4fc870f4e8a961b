"""``AfterFrame``: work that waits until a widget has painted its next frame.

Opening a large document must show the diagram first; what only fills panels (validation,
the audit table, the progress tally) follows the first paint. Each queued task then runs in
its own event-loop turn, so the window stays responsive between them. If no paint comes
(a minimised window), a fallback timer runs the queue anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

#: Run the queue this long after the first task was queued even if nothing painted.
FALLBACK_MS = 1500
#: Delay before each task: the next event-loop turn, after input and paints waiting in it.
TURN_MS = 1


class AfterFrame(QObject):
    """A queue of callables run after ``widget`` next paints, one per event-loop turn."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._tasks: list[Callable[[], None]] = []
        self._scheduled = False
        widget.installEventFilter(self)
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.setInterval(FALLBACK_MS)
        self._fallback.timeout.connect(self._schedule)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def call(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` after the widget's next paint."""
        self._tasks.append(fn)
        if not self._fallback.isActive():
            self._fallback.start()

    def flush(self) -> None:
        """Run every queued task now (someone needs their results before the next frame)."""
        while self._tasks:
            self._run_one()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The filter sees the paint event before the widget paints, and a long paint would
        # use up a timer started now: the zero timer starts it once this paint is done.
        if event.type() == QEvent.Type.Paint and self._tasks and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self._arm)
        return False

    def _arm(self) -> None:
        self._scheduled = False
        self._schedule()

    def _schedule(self) -> None:
        if not self._scheduled and self._tasks:
            self._scheduled = True
            # A real (1 ms) timer, not a zero one: Qt delivers zero timers with the posted
            # events of the same pass, so a queue of them would run back to back without
            # letting input through.
            QTimer.singleShot(TURN_MS, self._next)

    def _next(self) -> None:
        self._scheduled = False
        try:
            self._run_one()
        finally:
            # One task per event-loop turn, so input and paints get in between; a task that
            # raised does not drop the ones queued after it.
            if self._tasks:
                self._schedule()
            else:
                self._fallback.stop()

    def _run_one(self) -> None:
        if self._tasks:
            self._tasks.pop(0)()
