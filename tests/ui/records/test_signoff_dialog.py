"""The sign-off dialog: defaults, required conditions, governance warnings, and the op it makes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from sopdesigner.model.enums import Decision
from sopdesigner.model.status import node_status
from sopdesigner.ui.records.signoff_dialog import SignOffDialog
from tests.ui.records.helpers import make_context


def test_defaults_and_meaning_follow_role_and_decision(qtbot):
    _ctx, ctrl, _ws = make_context()
    dlg = SignOffDialog(ctrl.document, "risk", "Sam Signer")
    qtbot.addWidget(dlg)
    assert dlg.signer.text() == "Sam Signer"
    assert [dlg.role.itemData(i) for i in range(dlg.role.count())] == ["security", "legal"]
    assert dlg.meaning.text() == "Approved as Security reviewer"
    dlg.role.setCurrentIndex(1)
    dlg.decision.setCurrentIndex(dlg.decision.findData("reject"))
    assert dlg.meaning.text() == "Rejected as Legal reviewer"
    dlg.meaning.setText("My own words")
    dlg.decision.setCurrentIndex(dlg.decision.findData("approve"))
    assert dlg.meaning.text() == "My own words"  # typed text is never overwritten
    assert dlg.time_label.text().endswith("(stamped when recorded)")


def test_conditions_required_for_conditional_approval(qtbot):
    _ctx, ctrl, _ws = make_context()
    dlg = SignOffDialog(ctrl.document, "risk", "Sam Signer")
    qtbot.addWidget(dlg)
    dlg.decision.setCurrentIndex(dlg.decision.findData("approve_with_conditions"))
    dlg.accept()
    assert dlg.result() != QDialog.Accepted
    assert "conditions" in dlg.error.text()
    dlg.conditions.setPlainText("Monitor drift weekly")
    dlg.accept()
    assert dlg.result() == QDialog.Accepted
    op = dlg.op()
    assert op.decision is Decision.APPROVE_WITH_CONDITIONS and op.conditions == "Monitor drift weekly"
    assert ctrl.execute(op)
    assert ctrl.document.node("risk").signoffs[0].conditions == "Monitor drift weekly"


def test_separation_of_duties_warning_can_cancel_or_record_anyway(qtbot):
    from sopdesigner.ops.document import SetDocumentFields

    _ctx, ctrl, _ws = make_context()
    # The requester may not sign a checkpoint of their own deployment (rules SOP203).
    assert ctrl.execute(SetDocumentFields("request", {"requester": "Dana Scientist"}))
    dlg = SignOffDialog(ctrl.document, "risk", "Dana Scientist")
    qtbot.addWidget(dlg)
    shown = []
    dlg.confirm_warnings = lambda w: shown.append(w) or False  # the user presses Cancel
    dlg.accept()
    assert dlg.result() != QDialog.Accepted
    assert len(shown) == 1 and "separation of duties" in shown[0][0]
    dlg.confirm_warnings = lambda w: True  # "Record anyway"
    dlg.accept()
    assert dlg.result() == QDialog.Accepted
    assert ctrl.execute(dlg.op())
    assert ctrl.document.node("risk").signoffs[0].signer == "Dana Scientist"


def test_sign_button_path_changes_status(qtbot, monkeypatch):
    from sopdesigner.ui.records.checklist_panel import ChecklistPanel

    ctx, ctrl, _ws = make_context("Bo Business")
    panel = ChecklistPanel(ctx)
    qtbot.addWidget(panel)
    ctx.set_selection(["decide"])
    monkeypatch.setattr(SignOffDialog, "exec", lambda self: (self.accept(), self.result())[1])
    qtbot.mouseClick(panel.sign_button, Qt.LeftButton)
    s = ctrl.document.node("decide").signoffs[0]
    assert (s.signer, s.role, s.decision) == ("Bo Business", "business", Decision.APPROVE)
    assert s.meaning == "Approved as Business reviewer"
    assert node_status(ctrl.document.node("decide")).value == "approved"
