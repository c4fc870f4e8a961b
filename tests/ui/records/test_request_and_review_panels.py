"""Request form commits recorded, undoable edits; the review panel walks checkpoints in flow
order; the progress summary counts approved checkpoints."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sopdesigner.model.document import Edge, Node, Point
from sopdesigner.model.enums import Decision, EdgeKind, NodeKind
from sopdesigner.ops.records import SignNode
from sopdesigner.ui.records.progress import flow_order, progress_summary, review_steps
from sopdesigner.ui.records.request_panel import RequestPanel
from sopdesigner.ui.records.review_panel import ReviewPanel
from tests.factories import make_document
from tests.ui.records.helpers import make_context


def test_request_field_commits_on_enter_and_focus_out(qtbot):
    ctx, ctrl, _ws = make_context()
    panel = RequestPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)  # focus-out events need an active window
    name = panel.fields[("request", "model_name")]
    name.setFocus()
    qtbot.keyClicks(name, "credit-scorer")
    qtbot.keyClick(name, Qt.Key_Return)
    assert ctrl.document.request.model_name == "credit-scorer"
    event = ctrl.document.audit[-1]
    assert event.action == "request.changed"
    assert event.details == {"model_name": {"old": "", "new": "credit-scorer"}}

    purpose = panel.fields[("request", "purpose")]
    purpose.setFocus()
    qtbot.keyClicks(purpose, "Score retail credit applications")
    owner = panel.fields[("identity", "owner")]
    owner.setFocus()  # focus-out commits the multi-line field
    assert ctrl.document.request.purpose == "Score retail credit applications"
    qtbot.keyClicks(owner, "Model Risk Office")
    qtbot.keyClick(owner, Qt.Key_Enter)
    assert ctrl.document.identity.owner == "Model Risk Office"
    assert ctrl.document.audit[-1].action == "identity.changed"

    ctrl.undo_stack.undo()
    assert ctrl.document.identity.owner == ""
    assert owner.text() == ""
    assert ctrl.document.audit[-1].details.get("undo") is True


def test_flow_order_is_topological_with_ties_by_position():
    doc = make_document()
    assert [n.id for n in flow_order(doc)] == ["start", "validate", "risk", "decide", "iterate", "deploy"]
    assert [n.id for n in review_steps(doc)] == ["risk", "decide"]
    # A second branch after validation: the left-most checkpoint comes first.
    doc.nodes.append(
        Node(id="fair", kind=NodeKind.CHECKPOINT, title="Fairness", position=Point(x=500, y=400))
    )
    doc.edges.append(Edge(id="e7", source="validate", target="fair"))
    doc.edges.append(Edge(id="e8", source="fair", target="decide"))
    doc.edges.append(Edge(id="e9", source="decide", target="fair", kind=EdgeKind.REWORK))
    assert [n.id for n in review_steps(doc)] == ["fair", "risk", "decide"]


def test_review_panel_navigates_and_filters_pending(qtbot):
    ctx, ctrl, _ws = make_context()
    panel = ReviewPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.step_ids() == ["risk", "decide"]
    assert panel.current_step() == "risk"
    assert panel.step_context.selection == ["risk"]
    assert panel.checklist.list.count() == 1  # the risk checkpoint's checklist, tickable
    assert not panel.checklist.add_button.isVisible()
    with qtbot.waitSignal(panel.step_selected) as blocker:
        qtbot.mouseClick(panel.next_button, Qt.LeftButton)
    assert blocker.args == ["decide"] and panel.title.text() == "Step 2 of 2"
    assert not panel.next_button.isEnabled()
    panel.previous()
    assert panel.current_step() == "risk"

    assert ctrl.execute(SignNode("decide", "Bo Business", "business", Decision.APPROVE))
    panel.pending_only.setChecked(True)
    assert panel.step_ids() == ["risk"]


def test_progress_summary_counts_approved_checkpoints():
    doc = make_document()
    assert progress_summary(doc) == "0 of 2 checkpoints approved"
    from sopdesigner.model.document import SignOff

    doc.node("decide").signoffs.append(
        SignOff(id="s1", signer="Bo", role="business", decision=Decision.APPROVE, at="2026-01-01T00:00:00Z")
    )
    assert progress_summary(doc) == "1 of 2 checkpoints approved"
