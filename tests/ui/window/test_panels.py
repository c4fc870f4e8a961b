"""Panels of the editor window driven as real widgets against a real controller."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication

from sopdesigner.model.enums import EdgeKind, NodeKind
from sopdesigner.ui.canvas.mime import NODE_KIND_MIME
from sopdesigner.ui.controller import DocumentController
from sopdesigner.ui.panels.palette_panel import PalettePanel
from sopdesigner.ui.panels.problems_panel import ProblemsPanel, summary_text
from sopdesigner.ui.panels.properties_panel import PropertiesPanel


@pytest.fixture
def controller(qtbot, doc):
    return DocumentController(doc, "Tester")


@pytest.fixture
def panel(qtbot, controller):
    p = PropertiesPanel()
    qtbot.addWidget(p)
    p.set_controller(controller)
    p.show()
    return p


def test_node_title_edit_is_one_undoable_op(qtbot, panel, controller):
    panel.show_selection(["validate"], [])
    assert panel.stack.currentWidget() is panel.node_page
    assert panel.node_title.text() == "Technical validation"
    panel.node_title.setFocus()
    panel.node_title.selectAll()
    qtbot.keyClicks(panel.node_title, "Model validation")
    qtbot.keyClick(panel.node_title, Qt.Key.Key_Return)
    assert controller.document.node("validate").title == "Model validation"
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    assert controller.document.node("validate").title == "Technical validation"
    assert panel.node_title.text() == "Technical validation"


def test_required_roles_checkbox_and_kind_and_lane(panel, controller):
    panel.show_selection(["validate"], [])
    legal_row = next(
        i
        for i in range(panel.node_roles.count())
        if panel.node_roles.item(i).data(Qt.ItemDataRole.UserRole) == "legal"
    )
    panel.node_roles.item(legal_row).setCheckState(Qt.CheckState.Checked)
    assert controller.document.node("validate").required_roles == ["legal"]
    panel.node_kind.setCurrentIndex(panel.node_kind.findData("checkpoint"))
    panel.node_kind.activated.emit(panel.node_kind.currentIndex())
    assert controller.document.node("validate").kind == NodeKind.CHECKPOINT
    panel.node_lane.setCurrentIndex(panel.node_lane.findData("lane-security"))
    panel.node_lane.activated.emit(panel.node_lane.currentIndex())
    assert controller.document.node("validate").lane == "lane-security"
    assert controller.undo_stack.count() == 3
    for _ in range(3):
        controller.undo_stack.undo()
    node = controller.document.node("validate")
    assert (node.required_roles, node.kind, node.lane) == ([], NodeKind.STEP, "lane-data-science")


def test_edge_label_and_kind(qtbot, panel, controller):
    edge = controller.document.edges[0]
    panel.show_selection([], [edge.id])
    assert panel.stack.currentWidget() is panel.edge_page
    panel.edge_label.setText("approved")
    panel.edge_label.editingFinished.emit()
    panel.edge_kind.setCurrentIndex(panel.edge_kind.findData("rework"))
    panel.edge_kind.activated.emit(panel.edge_kind.currentIndex())
    assert controller.document.edge(edge.id).label == "approved"
    assert controller.document.edge(edge.id).kind == EdgeKind.REWORK


def test_lane_role_name_and_height(panel, controller):
    panel.show_lane("lane-legal")
    assert panel.stack.currentWidget() is panel.lane_page
    assert panel.lane_role.text() == "Legal"
    panel.lane_role.setText("Legal and Privacy")
    panel.lane_role.editingFinished.emit()
    panel.lane_height.setValue(240)
    assert controller.document.role("legal").name == "Legal and Privacy"
    assert controller.document.lane("lane-legal").height == 240.0


def test_document_title_and_separation_of_duties(panel, controller):
    panel.show_selection([], [])
    assert panel.stack.currentWidget() is panel.doc_page
    assert panel.doc_sod.isChecked()
    panel.doc_sod.setChecked(False)
    assert controller.document.policy.separation_of_duties is False
    panel.doc_title.setText("Credit model SOP")
    panel.doc_title.editingFinished.emit()
    assert controller.document.title == "Credit model SOP"
    # Finishing the edit again without a change adds no undo step.
    panel.doc_title.editingFinished.emit()
    assert controller.undo_stack.count() == 2


def test_refused_edit_shows_model_value_again(qtbot, panel, controller):
    panel.show_selection(["validate"], [])
    errors = []
    controller.error_raised.connect(errors.append)
    panel.node_title.setText("   ")
    panel.node_title.editingFinished.emit()
    assert errors == ["A node's title cannot be empty."]
    assert panel.node_title.text() == "Technical validation"
    assert controller.undo_stack.count() == 0


def test_palette_drag_carries_kind_and_enter_inserts(qtbot):
    palette = PalettePanel()
    qtbot.addWidget(palette)
    labels = [palette.list.item(i).text() for i in range(palette.list.count())]
    assert labels == ["Start", "Step", "Checkpoint", "Decision", "End", "Note"]
    assert all(not palette.list.item(i).icon().isNull() for i in range(palette.list.count()))
    mime: QMimeData = palette.list.mimeData([palette.list.item(3)])
    assert bytes(mime.data(NODE_KIND_MIME)).decode() == "decision"
    requested = []
    palette.insert_requested.connect(requested.append)
    palette.list.setCurrentRow(2)
    qtbot.keyClick(palette.list, Qt.Key.Key_Return)
    assert requested == ["checkpoint"]


class _P:
    def __init__(self, severity, message, node_ids=(), edge_ids=()):
        self.severity, self.message, self.node_ids, self.edge_ids = severity, message, node_ids, edge_ids


def test_problems_panel_lists_errors_first_and_click_emits_targets(qtbot):
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_problems(
        [_P("warning", "No evidence", ("risk",)), _P("error", "Unreachable", ("decide",), ("e1",))]
    )
    assert panel.list.item(0).text() == "Error: Unreachable"
    assert panel.summary.text() == "1 error, 1 warning"
    with qtbot.waitSignal(panel.problem_activated) as sig:
        panel.list.itemClicked.emit(panel.list.item(0))
    assert sig.args == [["decide"], ["e1"]]
    assert summary_text([_P("error", "a"), _P("error", "b"), _P("warning", "c")]) == "2 errors, 1 warning"
    assert summary_text([]) == "No problems"


def test_properties_panel_empty_without_controller(qtbot):
    p = PropertiesPanel()
    qtbot.addWidget(p)
    assert p.stack.currentWidget() is p.empty_page
    assert QApplication.instance() is not None
