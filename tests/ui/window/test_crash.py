"""The crash hook logs every unexpected exception to the log folder and shows one dialog."""

from __future__ import annotations

import sys

from sopdesigner.storage.paths import log_dir
from sopdesigner.ui.crash import CrashHandler, install_crash_hook


def _raise(exc: BaseException):
    try:
        raise exc
    except BaseException:
        return sys.exc_info()


def test_logs_each_error_and_shows_one_dialog():
    shown = []
    handler = CrashHandler(show=lambda summary, path: shown.append((summary, path)))
    handler(*_raise(RuntimeError("boom one")))
    handler(*_raise(ValueError("boom two")))
    log = (log_dir() / "crash.log").read_text(encoding="utf-8")
    assert "RuntimeError: boom one" in log and "ValueError: boom two" in log
    assert "Traceback" in log
    assert shown == [("boom one", log_dir() / "crash.log")]


def test_install_is_idempotent_and_uninstalls():
    before = sys.excepthook
    handler = install_crash_hook(show=lambda *_: None)
    try:
        assert sys.excepthook is handler
        assert install_crash_hook() is handler
    finally:
        handler.uninstall()
    assert sys.excepthook is before


def test_rescuers_run_before_the_dialog_and_never_raise():
    order = []
    handler = CrashHandler(show=lambda summary, path: order.append("dialog"))

    def broken():
        order.append("broken")
        raise RuntimeError("rescue failed too")

    handler.rescuers += [lambda: order.append("autosave"), broken]
    handler(*_raise(KeyError("x")))
    assert order == ["autosave", "broken", "dialog"]
