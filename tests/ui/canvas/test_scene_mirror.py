"""The scene mirrors the document: one item per node/edge/lane, updated only from the
controller's change lists, through edits, undo and redo."""

from __future__ import annotations

from sopdesigner.model import Decision, NodeKind
from sopdesigner.model.status import STATUS_STYLES
from sopdesigner.ops import SetItemDone, SetNodeFields, SignNode
from sopdesigner.ui.canvas.edge_item import EdgeItem
from sopdesigner.ui.canvas.lane_item import LaneItem
from sopdesigner.ui.canvas.node_item import NodeItem


def test_one_item_per_node_edge_and_lane_at_model_positions(canvas):
    items = canvas.scene.items()
    assert sorted(i.node_id for i in items if isinstance(i, NodeItem)) == sorted(
        ["start", "validate", "risk", "decide", "deploy", "iterate"]
    )
    assert sorted(i.edge_id for i in items if isinstance(i, EdgeItem)) == ["e1", "e2", "e3", "e4", "e5", "e6"]
    assert sorted(i.lane_id for i in items if isinstance(i, LaneItem)) == sorted(
        ["lane-data-science", "lane-security", "lane-legal", "lane-business"]
    )
    risk = canvas.scene.node_item("risk")
    assert (risk.pos().x(), risk.pos().y()) == (580, 240)
    # Lanes stack from y=0 at 160 units each (the factory's default height).
    assert canvas.scene.lane_item("lane-legal").snapshot.top == 320


def test_rename_through_controller_updates_item_and_undo_restores(canvas):
    item = canvas.scene.node_item("validate")
    canvas.controller.execute(SetNodeFields("validate", {"title": "Model validation"}))
    assert item.snapshot.title == "Model validation"
    canvas.undo()
    assert item.snapshot.title == "Technical validation"
    canvas.redo()
    assert item.snapshot.title == "Model validation"


def test_status_colour_follows_signoffs(canvas):
    item = canvas.scene.node_item("decide")
    grey = STATUS_STYLES[item.status()].colour
    assert item.status_colour().name().upper() == grey.upper() == "#9E9E9E"
    canvas.controller.execute(SignNode("decide", "Bea Business", "business", Decision.APPROVE))
    # Business is the decision's only required role: approved, bluish green.
    assert item.status_colour().name().upper() == "#009E73"
    canvas.undo()
    assert item.status_colour().name().upper() == "#9E9E9E"
    canvas.redo()
    assert item.status_colour().name().upper() == "#009E73"


def test_partial_signoff_then_reject_colours(canvas):
    item = canvas.scene.node_item("risk")
    canvas.controller.execute(SignNode("risk", "Sam Sec", "security", Decision.APPROVE))
    assert item.status_colour().name().upper() == "#E69F00"  # in review: legal still pending
    badges = {b.role_id: b.decision for b in item.snapshot.roles}
    assert badges == {"security": Decision.APPROVE, "legal": None}
    canvas.controller.execute(SignNode("risk", "Lee Legal", "legal", Decision.REJECT))
    assert item.status_colour().name().upper() == "#CC79A7"


def test_checklist_badge_counts_ticks(canvas):
    item = canvas.scene.node_item("validate")
    assert (item.snapshot.checklist_done, item.snapshot.checklist_total) == (0, 3)
    canvas.controller.execute(SetItemDone("validate", "metrics", True))
    assert (item.snapshot.checklist_done, item.snapshot.checklist_total) == (1, 3)
    canvas.undo()
    assert item.snapshot.checklist_done == 0


def test_kind_change_rebuilds_shape(canvas):
    item = canvas.scene.node_item("validate")
    before = item.boundingRect()
    canvas.controller.execute(SetNodeFields("validate", {"kind": NodeKind.DECISION}))
    assert item.kind is NodeKind.DECISION
    assert item.boundingRect().height() > before.height()  # 110 tall diamond vs an 84 tall step


def test_set_controller_switches_document(canvas, qtbot):
    from sopdesigner.model import Document
    from sopdesigner.ui.controller import DocumentController

    other = DocumentController(Document(id="empty"), actor="t")
    canvas.scene.set_controller(other)
    assert canvas.scene.node_items() == []
    assert canvas.scene.node_item("start") is None
    # The old controller's changes no longer reach the scene.
    canvas.controller.execute(SetNodeFields("start", {"title": "ignored"}))
    assert canvas.scene.node_items() == []


def test_selection_signal_carries_ids(canvas, qtbot):
    seen = []
    canvas.scene.selection_changed_ids.connect(lambda n, e: seen.append((n, e)))
    canvas.scene.select_ids(["risk"], ["e2"])
    assert seen[-1] == (["risk"], ["e2"])
    canvas.scene.select_all()
    nodes, edges = seen[-1]
    assert sorted(nodes) == sorted(n.id for n in canvas.doc.nodes)
    assert sorted(edges) == sorted(e.id for e in canvas.doc.edges)
