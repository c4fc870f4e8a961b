"""The window's own panels are built on first need, yet docks, toggles, shortcuts and saved
layouts behave as if they had always been there."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from sopdesigner.ui.window_panels import PANEL_DOCKS


def _docks(window) -> dict[str, QDockWidget]:
    return {d.objectName(): d for d in window.findChildren(QDockWidget)}


def test_start_page_has_empty_docks_and_every_toggle(window):
    assert not window.panels_built
    docks = _docks(window)
    for title, name, _area in PANEL_DOCKS:
        assert docks[name].widget() is None
        assert docks[name].isHidden()
        toggle = window.findChild(type(window.actions["save"]), f"action_panel_{name}")
        assert toggle is not None and toggle in window.panels_menu.actions()
        assert title.lower() in toggle.toolTip()


def test_opening_a_document_builds_the_panels_with_it(window, template_doc):
    window.new_from_document(template_doc)
    assert window.panels_built
    docks = _docks(window)
    assert docks["properties_dock"].widget() is window.properties_panel
    assert not docks["properties_dock"].isHidden() and docks["history_dock"].isHidden()
    assert window.properties_panel.controller is window.controller
    assert window.properties_panel.doc_title.text() == template_doc.title
    assert window.palette_panel.isEnabled()
    # Selecting a node shows it, through the connection made when the panel was built.
    node = template_doc.nodes[1]
    window.scene.select_ids([node.id])
    assert window.properties_panel.node_title.text() == node.title


def test_history_shortcut_from_the_start_page_builds_and_shows_its_panel(window):
    window.show()
    window.actions["history"].trigger()
    assert window.panels_built
    dock = _docks(window)["history_dock"]
    assert dock.widget() is window.history_panel and dock.isVisible()
    assert not window.palette_panel.isEnabled()  # no document yet
    assert window.problems_panel.summary.text() == "No document is open."


def test_a_dock_toggled_on_the_start_page_gets_its_panel(window):
    window.show()
    window.findChild(type(window.actions["save"]), "action_panel_palette_dock").trigger()
    assert _docks(window)["palette_dock"].widget() is window.palette_panel


def test_saved_layout_restores_onto_the_docks_before_their_panels_exist(qtbot, answers, template_doc):
    from sopdesigner.ui import app

    app.run(None)
    first = app.windows.pop()
    qtbot.addWidget(first)
    first.new_from_document(template_doc)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, _docks(first)["properties_dock"])
    first.close()  # discards the new document (answers) and saves the layout

    app.run(None)
    second = app.windows.pop()
    qtbot.addWidget(second)
    assert not second.panels_built
    second.new_from_document(template_doc)
    assert second.dockWidgetArea(_docks(second)["properties_dock"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert second.panels_built
    second.close()


def test_empty_window_does_not_import_or_build_what_it_does_not_show(window_factory_env):
    # A fresh process: this one has imported everything for other tests.
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from sopdesigner.ui import app as ui_app\n"
        "ui_app.run(None)\n"
        "from sopdesigner.model.document import Document, Identity, Policy, Request\n"
        "built = [m for m in (Document, Identity, Policy, Request) if m.__pydantic_complete__]\n"
        "print('validators-built' if built else '')\n"
        "print(' '.join(m for m in sys.modules if m.startswith('sopdesigner')))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SOPDESIGNER_HOME=str(window_factory_env))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    loaded = set(done.stdout.split())
    # No document is validated at start-up (the empty canvas's placeholder is constructed,
    # parts included), so the model's validators are not built yet.
    assert "validators-built" not in loaded
    assert "sopdesigner.ui.main_window" in loaded and "sopdesigner.ui.start_page" in loaded
    assert "sopdesigner.ui.records.record_docks" in loaded  # the docks and actions are there
    for module in (
        "sopdesigner.ui.panels.properties_panel",
        "sopdesigner.ui.panels.palette_panel",
        "sopdesigner.ui.panels.problems_panel",
        "sopdesigner.ui.panels.history_panel",
        "sopdesigner.ui.export_dialog",
        "sopdesigner.ui.find_dialog",
        "sopdesigner.ui.help_dialogs",
        # The record panels (records/record_docks.py), the review panel and the sign-off dialog.
        "sopdesigner.ui.records.checklist_panel",
        "sopdesigner.ui.records.evidence_panel",
        "sopdesigner.ui.records.request_panel",
        "sopdesigner.ui.records.audit_panel",
        "sopdesigner.ui.records.review_panel",
        "sopdesigner.ui.records.signoff_dialog",
        # No file is read or written: the storage layer and the open worker wait for one.
        "sopdesigner.storage.workspace",
        "sopdesigner.storage.document_file",
        "sopdesigner.ui.open_worker",
        # The dark theme's check-box style.
        "sopdesigner.ui.check_frame_style",
        # Op modules the empty canvas does not use.
        "sopdesigner.ops.checklist",
        "sopdesigner.ops.document",
        "sopdesigner.ops.records",
    ):
        assert module not in loaded, module
