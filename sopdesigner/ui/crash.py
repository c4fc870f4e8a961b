"""Unexpected exceptions in the GUI: log the traceback to the user's log folder and show ONE
dialog that says where the log is. The autosave is left in place so the next start can offer
to restore the work."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sopdesigner.storage.paths import log_dir

_log = logging.getLogger(__name__)

#: Hook for tests: replaced to capture the dialog instead of showing it.
ShowDialog = Callable[[str, Path], None]


def write_crash_log(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path:
    """Append the traceback to ``crash.log`` in the log folder; returns the log's path."""
    path = log_dir() / "crash.log"
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    with path.open("a", encoding="utf-8") as f:
        f.write(f"--- {stamp}\n{text}\n")
    return path


def _show_dialog(summary: str, log_path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        return
    QMessageBox.critical(
        QApplication.activeWindow(),
        "Unexpected error",
        f"SOP Designer hit an unexpected error: {summary}\n\n"
        f"The details were written to {log_path}.\n"
        "Your unsaved work is kept in the autosave and will be offered for restore at the next start.",
    )


class CrashHandler:
    """``sys.excepthook`` replacement; shows the dialog once per session, logs every time."""

    def __init__(self, show: ShowDialog | None = None) -> None:
        self._show = show or _show_dialog
        self._shown = False
        self._previous = sys.excepthook
        self.last_log: Path | None = None
        #: Called after logging, before the dialog (the app snapshots unsaved work here).
        self.rescuers: list[Callable[[], None]] = []

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        try:
            self.last_log = write_crash_log(exc_type, exc, tb)
        except OSError:
            # The log folder is unwritable: still tell the user, via stderr.
            self._previous(exc_type, exc, tb)
            return
        _log.error("unexpected error, logged to %s", self.last_log)
        for rescue in self.rescuers:
            try:
                rescue()
            except Exception:  # the app is already in trouble; never raise from the hook
                _log.exception("could not snapshot unsaved work after an unexpected error")
        if self._shown:
            return
        self._shown = True
        summary = str(exc).strip().splitlines()[0] if str(exc).strip() else exc_type.__name__
        self._show(summary, self.last_log)

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous


def install_crash_hook(show: ShowDialog | None = None) -> CrashHandler:
    """Install (once) and return the handler."""
    if isinstance(sys.excepthook, CrashHandler):
        return sys.excepthook
    handler = CrashHandler(show)
    sys.excepthook = handler
    return handler
