"""Child of the crash trial: the real editor (``ui.app.run``) opens a document, takes an
unsaved edit, then two exceptions escape from Qt slots; afterwards the process dies hard.

``python crash_child.py DOC.sop DIALOGS.json``: every QMessageBox.critical call is recorded
in DIALOGS.json instead of being shown."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from sopdesigner.ops import SetItemDone
from sopdesigner.ui import app as app_module

doc_path, dialogs_path = sys.argv[1], Path(sys.argv[2])
dialogs: list[dict[str, str]] = []


def critical(parent, title, text, *args, **kwargs):
    dialogs.append({"title": title, "text": text})
    dialogs_path.write_text(json.dumps(dialogs))
    return QMessageBox.StandardButton.Ok


def boom(n: int) -> None:
    raise RuntimeError(f"trial failure {n} in a slot")


def drive(_app: QApplication) -> int:
    window = app_module.windows[-1]
    assert window.controller is not None, "the document did not open"
    assert window.controller.execute(SetItemDone("validate", "metrics", True))
    for n in (1, 2):
        QTimer.singleShot(0, lambda n=n: boom(n))
        for _ in range(5):
            QApplication.processEvents()
    dialogs_path.write_text(json.dumps(dialogs))
    os._exit(3)  # the editor dies without closing: no clean shutdown deletes the autosave


QMessageBox.critical = staticmethod(critical)  # type: ignore[method-assign]
QApplication.exec = drive  # type: ignore[method-assign]
app_module.run(doc_path)
