"""The records wired into the real MainWindow: each record step changes the node's drawn
colour, undoing a sign-off is a recorded revocation, review mode locks the structure and
records the session, and the audit view turns red for a file altered outside the app."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from sopdesigner.model.enums import Status
from sopdesigner.model.status import STATUS_STYLES
from sopdesigner.ui.records.evidence_panel import EvidenceDetailsDialog
from sopdesigner.ui.records.review_mode import AttendeesDialog
from sopdesigner.ui.records.signoff_dialog import SignOffDialog
from tests.factories import make_document
from tests.ui.records.helpers import shown_window, write_png


def colour_of(status: Status) -> str:
    return QColor(STATUS_STYLES[status].colour).name()


@pytest.fixture
def window(qtbot, monkeypatch):
    w = shown_window(qtbot, monkeypatch, make_document())
    monkeypatch.setattr(
        EvidenceDetailsDialog,
        "ask",
        staticmethod(lambda f, c, p: ("Report", "Security and privacy review findings")),
    )
    return w


def drawn(w, node_id: str) -> str:
    return w.scene.node_item(node_id).status_colour().name()


def sign_with(monkeypatch, signer: str, role: str, decision: str = "approve") -> None:
    def run(self):
        self.signer.setText(signer)
        self.role.setCurrentIndex(self.role.findData(role))
        self.decision.setCurrentIndex(self.decision.findData(decision))
        self.confirm_warnings = lambda _w: True
        self.accept()
        return self.result()

    monkeypatch.setattr(SignOffDialog, "exec", run)


def test_records_change_the_drawn_colour_and_undo_revokes(window, qtbot, tmp_path, monkeypatch):
    w = window
    records = w.records
    w.scene.select_ids(["risk"])
    assert records.context.selection == ["risk"]
    assert drawn(w, "risk") == colour_of(Status.NOT_STARTED)

    # Attach by the file dialog → in progress.
    png = write_png(tmp_path / "pentest.png")
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileNames", lambda *a, **k: ([str(png)], ""))
    qtbot.mouseClick(records.evidence.attach_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(w.controller.document.node("risk").evidence) == 1, timeout=10_000)
    assert drawn(w, "risk") == colour_of(Status.IN_PROGRESS)

    # Tick the only required item → in review.
    records.checklist.tick(0)
    assert drawn(w, "risk") == colour_of(Status.IN_REVIEW)

    # Sign off each required role through Review → Sign off….
    sign_with(monkeypatch, "Sam Security", "security")
    records.actions["sign_off"].trigger()
    assert drawn(w, "risk") == colour_of(Status.IN_REVIEW)
    assert records.progress_label.text() == "0 of 2 checkpoints approved"
    sign_with(monkeypatch, "Lee Legal", "legal", "approve_with_conditions")
    monkeypatch.setattr(SignOffDialog, "op", _with_conditions(SignOffDialog.op))
    records.actions["sign_off"].trigger()
    assert drawn(w, "risk") == colour_of(Status.APPROVED_WITH_CONDITIONS)
    assert records.progress_label.text() == "1 of 2 checkpoints approved"

    # Edit → Undo takes the last sign-off back with a compensating event.
    w.controller.undo_stack.undo()
    last = w.controller.document.audit[-1]
    assert last.action == "signoff.revoked" and last.details["undo"] is True
    assert last.details["signer"] == "Lee Legal"
    assert drawn(w, "risk") == colour_of(Status.IN_REVIEW)
    assert records.progress_label.text() == "0 of 2 checkpoints approved"
    assert records.audit.model.rowCount() == len(w.controller.document.audit)


def _with_conditions(real_op):
    def op(self):
        self.conditions.setPlainText("Re-test after the next data refresh")
        return real_op(self)

    return op


def test_files_dropped_on_a_node_are_attached(window, qtbot, tmp_path):
    w = window
    assert drawn(w, "validate") == colour_of(Status.NOT_STARTED)
    report = tmp_path / "validation.pdf"
    report.write_bytes(b"%PDF-1.4 validation")
    w.scene.files_dropped_on_node.emit("validate", [str(report)])
    qtbot.waitUntil(lambda: len(w.controller.document.node("validate").evidence) == 1, timeout=10_000)
    assert w.controller.document.node("validate").evidence[0].filename == "validation.pdf"
    assert drawn(w, "validate") == colour_of(Status.IN_PROGRESS)


def test_review_mode_locks_moves_and_records_the_session(window, qtbot, monkeypatch):
    w = window
    records = w.records
    monkeypatch.setattr(
        AttendeesDialog, "ask", staticmethod(lambda default, parent: ["Ada Reviewer", "Bo Biz"])
    )
    records.actions["start_review"].trigger()
    assert records.review.active
    started = w.controller.document.audit[-1]
    assert started.action == "review.started" and started.details == {"attendees": ["Ada Reviewer", "Bo Biz"]}
    assert w.controller.session.structure_locked

    # Dragging a node does not move it.
    item = w.scene.node_item("validate")
    before = w.controller.document.node("validate").position.model_copy()
    start = w.view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mousePress(w.view.viewport(), Qt.LeftButton, pos=start)
    qtbot.mouseMove(w.view.viewport(), start + QPointF(120, 60).toPoint())
    qtbot.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=start + QPointF(120, 60).toPoint())
    assert w.controller.document.node("validate").position == before

    # Walk to the decision with the keyboard and sign it in the review panel.
    panel = records.review.panel
    assert panel.current_step() == "risk"
    qtbot.keyClick(w, Qt.Key_Right)
    assert panel.current_step() == "decide"
    assert w.scene.selected_node_ids() == ["decide"]
    sign_with(monkeypatch, "Bo Biz", "business")
    qtbot.mouseClick(panel.checklist.sign_button, Qt.LeftButton)
    assert drawn(w, "decide") == colour_of(Status.APPROVED)

    records.actions["end_review"].trigger()
    ended = w.controller.document.audit[-1]
    assert ended.action == "review.ended"
    assert ended.details["attendees"] == ["Ada Reviewer", "Bo Biz"]
    assert [(d["node"], d["signer"], d["decision"]) for d in ended.details["decisions"]] == [
        ("decide", "Bo Biz", "approve")
    ]
    assert isinstance(ended.details["duration"], int)
    assert not w.controller.session.structure_locked
    assert not records.review.active

    # Control: the same drag does move the node once the review has ended.
    w.scene.clearSelection()
    start = w.view.mapFromScene(w.scene.node_item("validate").sceneBoundingRect().center())
    qtbot.mousePress(w.view.viewport(), Qt.LeftButton, pos=start)
    qtbot.mouseMove(w.view.viewport(), start + QPointF(120, 60).toPoint())
    qtbot.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=start + QPointF(120, 60).toPoint())
    assert w.controller.document.node("validate").position != before


def test_audit_view_turns_red_for_a_file_altered_outside_the_app(window, qtbot, tmp_path):
    from sopdesigner.ops.checklist import SetItemDone
    from sopdesigner.storage.document_file import DocumentFile

    doc = make_document()
    w = window
    assert w.controller.execute(SetItemDone("validate", "metrics", True))
    assert w.controller.execute(SetItemDone("validate", "data", True))
    doc = w.controller.document
    path = tmp_path / "tampered.sop"
    DocumentFile.create(path, doc).close()
    con = sqlite3.connect(path)
    (raw,) = con.execute("SELECT event FROM audit WHERE seq = 1").fetchone()
    event = json.loads(raw)
    event["actor"] = "Someone Else"
    con.execute("UPDATE audit SET event = ? WHERE seq = 1", (json.dumps(event),))
    con.commit()
    con.close()

    assert w.records.audit.indicator.verified
    w.install_workspace(None)
    assert w.open_path(path)
    assert not w.records.audit.indicator.verified
    assert w.records.audit.indicator.text().startswith("✖ Chain broken at event 1")


def test_reuse_actions_save_a_template_and_start_a_new_deployment(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from sopdesigner.ops.checklist import SetItemDone
    from sopdesigner.templates import list_templates

    w = window
    titles = [a.text() for a in w.menus["File"].actions()]
    assert "Save as &template…" in titles and "New &deployment from this SOP" in titles
    assert w.controller.execute(SetItemDone("validate", "metrics", True))
    old_doc_id = w.controller.document.id

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Bank credit SOP", True)))
    w.records.actions["save_as_template"].trigger()
    assert "Bank credit SOP" in [t.title for t in list_templates() if not t.builtin]

    w.records.actions["new_deployment"].trigger()
    doc = w.controller.document
    assert doc.id != old_doc_id and w.workspace.path is None
    assert [n.id for n in doc.nodes] == [n.id for n in make_document().nodes]
    assert not doc.node("validate").checklist[0].done
    # The panels now show the new document.
    assert w.records.context.controller is w.controller
    assert w.records.audit.model.rowCount() == len(doc.audit)


def test_escape_ends_the_review_and_image_evidence_is_previewed(window, qtbot, tmp_path, monkeypatch):
    w = window
    records = w.records
    w.scene.select_ids(["risk"])
    png = write_png(tmp_path / "heatmap.png", "#009E73", 120)
    job = records.evidence.attach_path(png, "risk")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert records.evidence.has_thumbnail(0)

    monkeypatch.setattr(AttendeesDialog, "ask", staticmethod(lambda default, parent: ["Ada Reviewer"]))
    qtbot.keyClick(w, Qt.Key_F5)
    assert records.review.active
    review_evidence = records.review.panel.evidence
    assert records.review.panel.current_step() == "risk"
    assert review_evidence.list.count() == 1 and review_evidence.has_thumbnail(0)
    assert records.docks["audit"].isHidden()  # other panels make room for the projector

    qtbot.keyClick(w, Qt.Key_Escape)
    assert not records.review.active
    assert w.controller.document.audit[-1].action == "review.ended"
    assert not records.docks["audit"].isHidden()


def test_new_review_round_on_the_whole_diagram_resets_approved_nodes(window, monkeypatch):
    from sopdesigner.model.enums import Decision
    from sopdesigner.ops.records import SignNode

    w = window
    assert w.controller.execute(SignNode("decide", "Bo Biz", "business", Decision.APPROVE))
    assert drawn(w, "decide") == colour_of(Status.APPROVED)
    w.scene.select_ids([])
    w.records.actions["new_round"].trigger()
    rounds = {n.id: n.round for n in w.controller.document.nodes if n.required_roles}
    assert rounds == {"risk": 2, "decide": 2}
    assert drawn(w, "decide") == colour_of(Status.NOT_STARTED)
    w.scene.select_ids(["decide"])
    assert w.records.checklist.round_label.text() == "Review round 2"
    w.controller.undo_stack.undo()
    assert drawn(w, "decide") == colour_of(Status.APPROVED)
    assert w.controller.document.audit[-1].action == "review.round_restored"


def test_review_full_screen_is_undone_when_the_review_ends(window, qtbot):
    w = window
    records = w.records
    assert records.review.start(["Ada Reviewer"])
    qtbot.mouseClick(records.review.panel.full_screen, Qt.LeftButton)
    assert w.isFullScreen()
    assert records.review.end()
    assert not w.isFullScreen()
    assert not records.review.panel.full_screen.isChecked()
