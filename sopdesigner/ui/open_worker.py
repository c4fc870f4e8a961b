"""Reading a large ``.sop`` off the GUI thread: ``OpenWorker`` runs ``Workspace.open`` in a
QThread and keeps its outcome (the workspace or the error) for the window to collect when the
thread's ``finished`` arrives on the GUI thread.

A result nobody collected (the open was cancelled, or the window went away) is closed by the
reaper, so an abandoned open never leaves a file handle or a work file behind. Workers have no
Qt parent and are kept alive here until they finish: closing the window while a file is still
being read must not destroy a running thread."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QThread, QTimer

from sopdesigner.errors import SopError
from sopdesigner.storage.workspace import Workspace
from sopdesigner.ui.canvas.prepared import PreparedItems, prepare_items

_log = logging.getLogger(__name__)

#: A result neither collected nor abandoned is closed after this many checks this far apart
#: (its window went away): 5 s, far longer than a queued slot waits even on a loaded machine.
REAP_RETRIES = 100
REAP_RETRY_MS = 50

#: Workers still reading, kept referenced until their thread has finished.
_running: set[OpenWorker] = set()


class OpenWorker(QThread):
    """``Workspace.open(path)`` on a worker thread. After ``finished``: ``workspace`` is the
    opened workspace (``take()`` it to own it) or ``error`` the SopError/OSError to show."""

    def __init__(self, path: Path) -> None:
        super().__init__(None)
        self.path = path
        self.workspace: Workspace | None = None
        #: The canvas's node snapshots and routes, made here too (off the GUI thread).
        self.prepared: PreparedItems | None = None
        self.error: SopError | OSError | None = None
        #: Set when the user cancelled: the result is closed instead of installed.
        self.abandoned = False
        #: How many more times the reaper waits for the window to collect the result.
        self._grace = REAP_RETRIES
        _running.add(self)
        # The reaper runs after ``finished`` and leaves a result the window has not collected
        # yet (its slot is connected later, queued at the same emit) until it is taken.
        self.finished.connect(self._schedule_reap)

    def run(self) -> None:
        try:
            self.workspace = Workspace.open(self.path)
            self.prepared = prepare_items(self.workspace.document)
        except (SopError, OSError) as err:
            self.error = err
        except Exception as err:  # a bug, not a user error: log it and say so in one sentence
            from sopdesigner.ui.crash import write_crash_log

            log = write_crash_log(type(err), err, err.__traceback__)
            self.error = SopError(
                f"Opening '{self.path.name}' failed unexpectedly; the details are in {log}."
            )

    def take(self) -> Workspace | None:
        """The opened workspace, now owned by the caller (the reaper will not close it)."""
        ws, self.workspace = self.workspace, None
        return ws

    def _schedule_reap(self) -> None:
        QTimer.singleShot(0, self._reap)

    def _reap(self) -> None:
        if not self.abandoned and self.workspace is not None and self._grace > 0:
            # The window's slot for ``finished`` has not collected the result yet. On a loaded
            # machine it can be delivered after this reaper: closing the result (or deleting
            # this thread object, which drops that pending call) would make the open fail or
            # never report back. Wait for it; only a result nobody takes is closed.
            self._grace -= 1
            QTimer.singleShot(REAP_RETRY_MS, self._reap)
            return
        ws = self.take()
        if ws is not None:
            _log.info("closing the abandoned open of %s", self.path)
            ws.close()
        _running.discard(self)
        self.deleteLater()
