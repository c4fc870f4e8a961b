"""The checklist panel drives real ops through the controller: design edits, ticks, undo."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView

from sopdesigner.model.status import node_status
from sopdesigner.templates import EVIDENCE_CATEGORIES as SEED_CATEGORIES
from sopdesigner.ui.records.checklist_panel import ChecklistPanel
from tests.ui.records.helpers import make_context


def _texts(node):
    return [i.text for i in node.checklist]


def test_tick_records_who_and_when_and_undo_compensates(qtbot):
    ctx, ctrl, _ws = make_context("Ada Reviewer")
    panel = ChecklistPanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["validate"])
    assert panel.list.count() == 3

    panel.tick(0)
    item = ctrl.document.node("validate").checklist[0]
    assert item.done and item.done_by == "Ada Reviewer" and item.done_at.endswith("Z")
    assert "ticked by Ada Reviewer" in panel.list.item(0).text()
    assert ctrl.document.audit[-1].action == "checklist.ticked"
    assert node_status(ctrl.document.node("validate")).value == "in_progress"

    ctrl.undo_stack.undo()
    assert not ctrl.document.node("validate").checklist[0].done
    last = ctrl.document.audit[-1]
    assert last.action == "checklist.unticked" and last.details["undo"] is True
    assert panel.list.item(0).checkState() == Qt.Unchecked


def test_design_edits_add_edit_reorder_remove_are_undoable(qtbot):
    ctx, ctrl, _ws = make_context()
    panel = ChecklistPanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["risk"])
    node = lambda: ctrl.document.node("risk")  # noqa: E731

    assert panel.add_item_with("Bias audit attached", required=False, evidence_category=SEED_CATEGORIES[3])
    assert _texts(node()) == ["Privacy review done", "Bias audit attached"]
    added = node().checklist[1]
    assert added.required is False and added.evidence_category == SEED_CATEGORIES[3]

    assert panel.set_fields(1, {"text": "Bias and fairness audit", "required": True})
    assert node().checklist[1].text == "Bias and fairness audit" and node().checklist[1].required

    panel.list.setCurrentRow(1)
    qtbot.mouseClick(panel.up_button, Qt.LeftButton)
    assert _texts(node()) == ["Bias and fairness audit", "Privacy review done"]
    assert panel.list.currentRow() == 0

    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert _texts(node()) == ["Privacy review done"]

    for _ in range(4):  # remove, move, edit, add
        ctrl.undo_stack.undo()
    assert _texts(node()) == ["Privacy review done"]
    assert panel.list.count() == 1


def test_drag_reorder_moves_the_item_through_one_op(qtbot):
    ctx, ctrl, _ws = make_context()
    panel = ChecklistPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(400, 500)
    panel.show()
    ctx.set_selection(["validate"])
    assert panel.list.dragDropMode() == QAbstractItemView.InternalMove
    panel.list.setCurrentRow(0)
    target = panel.list.visualItemRect(panel.list.item(2)).center()
    mime = QMimeData()
    mime.setData("application/x-qabstractitemmodeldatalist", b"")
    drop = QDropEvent(QPointF(target), Qt.MoveAction, mime, Qt.LeftButton, Qt.NoModifier)
    # Synthetic drops are not routed to item views without a platform drag; call the handler.
    panel.list.dropEvent(drop)
    assert _texts(ctrl.document.node("validate")) == [
        "Data quality checked",
        "Optional robustness probe",
        "Performance metrics reviewed",
    ]
    assert panel.list.item(2).text().startswith("Performance metrics reviewed")
    ctrl.undo_stack.undo()
    assert _texts(ctrl.document.node("validate"))[0] == "Performance metrics reviewed"


def test_new_review_round_shows_round_and_supersedes(qtbot):
    from sopdesigner.model.enums import Decision
    from sopdesigner.ops.records import SignNode

    ctx, ctrl, _ws = make_context()
    panel = ChecklistPanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["decide"])
    assert ctrl.execute(SignNode("decide", "Bo Business", "business", Decision.APPROVE))
    assert node_status(ctrl.document.node("decide")).value == "approved"
    assert "Bo Business" in panel.signoffs.text()
    assert panel.round_label.text() == "Review round 1"

    qtbot.mouseClick(panel.round_button, Qt.LeftButton)
    assert panel.round_label.text() == "Review round 2"
    assert "earlier round" in panel.signoffs.text()
    assert node_status(ctrl.document.node("decide")).value == "not_started"
    assert ctrl.document.audit[-1].action == "review.round_started"


def test_no_selection_disables_edits(qtbot):
    ctx, _ctrl, _ws = make_context()
    panel = ChecklistPanel(ctx)
    qtbot.addWidget(panel)
    assert not panel.add_button.isEnabled() and not panel.sign_button.isEnabled()
    assert "Select a node" in panel.heading.text()


def test_context_menu_toggles_required_and_sets_the_evidence_category(qtbot):
    ctx, ctrl, _ws = make_context()
    panel = ChecklistPanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["validate"])
    menu = panel.item_menu(1)
    required = next(a for a in menu.actions() if a.text() == "Required")
    assert required.isChecked()
    required.trigger()
    assert ctrl.document.node("validate").checklist[1].required is False
    assert ctrl.document.audit[-1].details["required"] == {"old": True, "new": False}

    menu = panel.item_menu(1)
    cats = next(a.menu() for a in menu.actions() if a.menu() is not None)
    next(a for a in cats.actions() if a.text() == SEED_CATEGORIES[2]).trigger()
    assert ctrl.document.node("validate").checklist[1].evidence_category == SEED_CATEGORIES[2]
    ctrl.undo_stack.undo()
    assert ctrl.document.node("validate").checklist[1].evidence_category is None
