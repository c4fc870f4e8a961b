"""Copying to the clipboard must not crash the process when it exits (a real process)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def test_process_that_copied_nodes_exits_cleanly(tmp_path):
    script = textwrap.dedent("""
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from sopdesigner.templates import load_template
        from sopdesigner.ui.main_window import MainWindow
        w = MainWindow()
        w.new_from_document(load_template("ai-model-deployment-approval"))
        w.scene.select_all()
        w.edit_copy()
        app.processEvents()
        print("copied")
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SOPDESIGNER_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert "copied" in proc.stdout, proc.stderr
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
