"""Crash recovery end to end: a child process edits a document in the real window, waits for
the autosave and dies without saving (os._exit); the next start offers the restore."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sopdesigner.storage.settings import Settings, save_settings
from sopdesigner.storage.workspace import Workspace

CHILD = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtWidgets import QApplication
    from sopdesigner.ops.nodes import SetNodeFields
    app = QApplication([])
    from sopdesigner.ui import app as ui_app
    ui_app.run(sys.argv[1])
    win = ui_app.windows[-1]
    node = win.controller.document.nodes[0]
    win.properties_panel.show_selection([node.id], [])
    win.properties_panel.node_title.setText("Edited before the crash")
    win.properties_panel.node_title.editingFinished.emit()
    win.insert_node("note")
    deadline = 200
    while deadline and not (win.files.autosave_timer.isActive() is False and win.workspace.work_path
                            and win.workspace.work_path.exists()):
        app.processEvents()
        import time; time.sleep(0.05)
        deadline -= 1
    print("AUTOSAVED" if deadline else "TIMEOUT", flush=True)
    os._exit(9)
    """
)


def test_autosave_survives_a_crash_and_is_restored(
    tmp_path, window_factory_env, qtbot, monkeypatch, template_doc
):
    home = window_factory_env
    save_settings(Settings(autosave_seconds=1))
    path = tmp_path / "crashing.sop"
    from sopdesigner.storage.document_file import DocumentFile

    DocumentFile.create(path, template_doc).close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SOPDESIGNER_HOME=str(home))
    root = Path(__file__).resolve().parents[3]
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 9, proc.stderr
    assert "AUTOSAVED" in proc.stdout, proc.stdout + proc.stderr
    found = Workspace.recoverable()
    assert len(found) == 1 and found[0].origin_path == str(path.resolve())

    from sopdesigner.ui import app
    from sopdesigner.ui.files import RecoveryDialog

    offered = []

    def choose_restore(self):
        offered.append([self.list.item(i).text() for i in range(self.list.count())])
        self.restore()
        return 1

    monkeypatch.setattr(RecoveryDialog, "exec", choose_restore)
    assert app.run(None) == 0
    win = app.windows.pop()
    qtbot.addWidget(win)
    assert len(offered) == 1 and template_doc.title in offered[0][0]
    titles = [n.title for n in win.controller.document.nodes]
    assert "Edited before the crash" in titles
    assert win.controller.document.nodes[-1].kind.value == "note"
    assert win.workspace.path == path.resolve()
    assert win.isWindowModified()
    # Saving puts the edits into the document and removes the snapshot.
    win.files.save()
    assert Workspace.recoverable() == []
    ws = Workspace.open(path)
    try:
        assert "Edited before the crash" in [n.title for n in ws.document.nodes]
    finally:
        ws.close()
    win.close()
