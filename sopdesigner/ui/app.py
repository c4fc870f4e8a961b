"""``run(path)``: start the editor. Reuses a running QApplication (tests drive the editor
in-process) or creates one; applies the theme, installs the crash hook, shows the window,
opens ``path`` or the start page, and offers to restore autosaves a crash left behind."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from sopdesigner import APP_NAME, __version__
from sopdesigner.storage.settings import load_settings
from sopdesigner.ui.crash import install_crash_hook
from sopdesigner.ui.theme import apply_theme

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


def run(path: str | None = None) -> int:
    app, created = _application()
    apply_theme(app, load_settings().theme)
    if created:
        # Snapshot every window's unsaved work at once, so the next start can restore it.
        install_crash_hook().rescuers.append(lambda: [w.files.autosave_now() for w in list(windows)])
    from sopdesigner.ui.main_window import MainWindow

    window = MainWindow(opening=bool(path))
    windows.append(window)
    window.show()
    if path:
        window.open_path(path)
    window.files.offer_recovery()
    if not created:
        return 0
    return app.exec()
