"""The record panels are built on first need: the start page has their docks, toggles and
actions but no panels; opening a document builds them showing that document; and every records
action works whether it is the first thing done on the start page or right after an open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from sopdesigner.ui.main_window import MainWindow
from sopdesigner.ui.records.record_docks import RECORD_DOCKS
from sopdesigner.ui.records.review_mode import AttendeesDialog
from sopdesigner.ui.records.signoff_dialog import SignOffDialog
from tests.factories import make_document
from tests.ui.records.helpers import shown_window


@pytest.fixture
def start_page(qtbot, monkeypatch):
    """A shown window on its start page, as after a plain start."""
    return shown_window(qtbot, monkeypatch)


def _docks(window) -> dict[str, QDockWidget]:
    return {d.objectName(): d for d in window.findChildren(QDockWidget)}


def test_start_page_has_record_docks_and_actions_but_no_panels(start_page):
    records = start_page.records
    assert not records.panels_built
    assert records.review._panel is None
    docks = _docks(start_page)
    for key, title, name, _area in RECORD_DOCKS:
        assert docks[name] is records.docks[key]
        assert docks[name].widget() is None and docks[name].isHidden()
        toggle = start_page.findChild(QAction, f"action_panel_{name}")
        assert toggle in start_page.panels_menu.actions() and title.lower() in toggle.toolTip()
    review_menu = start_page.menus["Review"].actions()
    for key, shortcut in (("start_review", "F5"), ("end_review", "Esc"), ("sign_off", "Ctrl+Alt+S")):
        assert records.actions[key] in review_menu
        assert records.actions[key].shortcut().toString() == shortcut
        assert not records.actions[key].isEnabled()  # nothing to review or sign yet
    assert records.actions["new_deployment"] in start_page.menus["File"].actions()
    assert not records.actions["new_deployment"].isEnabled()


def test_opening_a_document_builds_the_panels_showing_it(start_page, qtbot):
    w, records = start_page, start_page.records
    doc = make_document()
    w.new_from_document(doc)
    assert records.panels_built
    docks = records.docks
    assert docks["checklist"].widget() is records.checklist and docks["checklist"].isVisible()
    assert docks["audit"].widget() is records.audit and docks["evidence"].widget() is records.evidence
    assert docks["request"].widget() is records.request
    # The checklist, evidence and request docks still share one tab group, checklist in front.
    assert set(w.tabifiedDockWidgets(docks["checklist"])) == {docks["evidence"], docks["request"]}
    assert not docks["checklist"].visibleRegion().isEmpty()
    request = w.controller.document.request
    assert records.request.fields[("request", "model_name")].text() == request.model_name
    qtbot.waitUntil(lambda: records.audit.model.rowCount() == len(w.controller.document.audit))
    # Panels built late still follow the canvas selection and the audit table's clicks.
    w.scene.select_ids(["risk"])
    assert "Risk and compliance review" in records.checklist.heading.text()
    assert records.checklist.list.count() == 1
    w.controller.execute(_tick("risk", "privacy"))
    qtbot.waitUntil(lambda: records.audit.model.rowCount() == len(w.controller.document.audit))
    records.audit.node_clicked.emit("validate")
    assert w.scene.selected_node_ids() == ["validate"]
    assert records.checklist.list.count() == 3  # validate's checklist, shown by the click


def _tick(node_id: str, item_id: str):
    from sopdesigner.ops.checklist import SetItemDone

    return SetItemDone(node_id=node_id, item_id=item_id, done=True)


def test_a_record_dock_shown_on_the_start_page_gets_its_panel(start_page):
    start_page.findChild(QAction, "action_panel_AuditDock").trigger()
    records = start_page.records
    assert records.panels_built
    assert records.docks["audit"].widget() is records.audit and records.docks["audit"].isVisible()
    assert records.audit.model.rowCount() == 0
    # Opening a document afterwards fills the already built panels.
    start_page.new_from_document(make_document())
    assert records.request.fields[("request", "model_name")].isEnabled()


def test_records_actions_on_the_start_page_do_nothing_and_say_nothing_wrong(start_page):
    records = start_page.records
    for key in ("start_review", "sign_off", "new_round", "end_review"):
        records.actions[key].trigger()  # disabled: a shortcut cannot reach them either
    assert not records.review.active
    assert records.start_new_round() is False
    assert records.review.start(["Ada Reviewer"]) is False
    assert not records.panels_built and start_page.controller is None


def test_review_right_after_open_builds_the_review_panel(start_page, qtbot, monkeypatch):
    w, records = start_page, start_page.records
    w.new_from_document(make_document())
    monkeypatch.setattr(AttendeesDialog, "ask", staticmethod(lambda default, parent: ["Ada Reviewer"]))
    records.actions["start_review"].trigger()
    assert records.review.active
    panel = records.review.panel
    assert records.review.dock.widget() is panel and records.review.dock.isVisible()
    assert panel.current_step() == "risk"
    qtbot.keyClick(w, Qt.Key_Right)  # the review's keys reach the panel built just now
    assert panel.current_step() == "decide"
    records.actions["end_review"].trigger()
    assert not records.review.active and records.docks["checklist"].isVisible()
    assert w.controller.document.audit[-1].action == "review.ended"


def test_sign_off_right_after_open_records_it(start_page, monkeypatch):
    w, records = start_page, start_page.records
    w.new_from_document(make_document())
    w.scene.select_ids(["decide"])

    def run(self):
        self.signer.setText("Bo Biz")
        self.role.setCurrentIndex(self.role.findData("business"))
        self.decision.setCurrentIndex(self.decision.findData("approve"))
        self.confirm_warnings = lambda _w: True
        self.accept()
        return self.result()

    monkeypatch.setattr(SignOffDialog, "exec", run)
    records.actions["sign_off"].trigger()
    node = w.controller.document.node("decide")
    assert [s.signer for s in node.signoffs] == ["Bo Biz"]
    assert "Bo Biz" in records.checklist.signoffs.text()


def test_saved_layout_restores_onto_the_record_docks_before_their_panels_exist(start_page, qtbot):
    first = start_page
    first.new_from_document(make_document())
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.records.docks["audit"])
    first.close()  # discards the new document (QMessageBox.question answers Discard) and saves the layout

    second = MainWindow()
    qtbot.addWidget(second)
    assert not second.records.panels_built
    second.new_from_document(make_document())
    audit = second.records.docks["audit"]
    assert second.dockWidgetArea(audit) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert audit.widget() is second.records.audit
    second.close()
