"""``run(path)``: start the editor. Reuses a running QApplication (tests drive the editor
in-process) or creates one; applies the theme, installs the crash hook, shows the window,
opens ``path`` or the start page, and offers to restore autosaves a crash left behind."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from sopdesigner import APP_NAME, __version__

if TYPE_CHECKING:
    from sopdesigner.ui.main_window import MainWindow

#: The windows ``run`` opened, newest last (tests and the crash hook reach them here).
windows: list = []


def _application() -> tuple[QApplication, bool]:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app, False
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication([APP_NAME])
    app.setApplicationName("SOP Designer")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("sopdesigner")
    app.setApplicationVersion(__version__)
    return app, True


def _show_window(app: QApplication, created: bool, *, opening: bool) -> MainWindow:
    # Imported here, under run()'s GC pause (pydantic and the window's modules among them).
    from sopdesigner.storage.settings import load_settings
    from sopdesigner.ui.crash import install_crash_hook
    from sopdesigner.ui.main_window import MainWindow
    from sopdesigner.ui.theme import apply_theme

    apply_theme(app, load_settings().theme)
    if created:
        # Snapshot every window's unsaved work at once, so the next start can restore it.
        install_crash_hook().rescuers.append(lambda: [w.files.autosave_now() for w in list(windows)])
    window = MainWindow(opening=opening)
    windows.append(window)
    window.show()
    return window


def run(path: str | None = None) -> int:
    app, created = _application()
    # Building the window imports its modules and makes tens of thousands of long-lived
    # objects (classes, widget wrappers, actions): the cyclic GC would run dozens of young
    # passes over them and free nothing (~15 ms of T1 and T2). It is paused meanwhile and
    # what survived is frozen out of later passes. Back on before a document is opened, whose
    # flows pause and restore it themselves.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        window = _show_window(app, created, opening=bool(path))
    finally:
        gc.freeze()
        if gc_was_enabled:
            gc.enable()
    if path:
        window.open_path(path)
    window.files.offer_recovery()
    if not created:
        return 0
    return app.exec()
