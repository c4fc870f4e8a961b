"""Scene commands: copy/paste/duplicate with new ids and no records, align, distribute, and the
lane header commands (rename, move, add, remove) — each one undo step."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from sopdesigner.model import Decision
from sopdesigner.ops import SetItemDone, SignNode
from sopdesigner.ui.canvas.mime import FRAGMENT_MIME, Fragment


def test_copy_paste_gives_new_ids_and_drops_records(canvas):
    canvas.controller.execute(SignNode("risk", "Sam Sec", "security", Decision.APPROVE))
    canvas.controller.execute(SetItemDone("risk", "privacy", True))
    canvas.scene.select_ids(["validate", "risk"])
    mime = canvas.scene.copy_selection()
    assert mime.hasFormat(FRAGMENT_MIME)
    fragment = Fragment.from_bytes(bytes(mime.data(FRAGMENT_MIME).data()))
    assert sorted(n.id for n in fragment.nodes) == ["risk", "validate"]
    assert [e.id for e in fragment.edges] == ["e2"]  # only the edge between copied nodes
    before_nodes = {n.id for n in canvas.doc.nodes}
    before_edges = {e.id for e in canvas.doc.edges}
    canvas.scene.paste(mime, QPointF(700, 420))
    new_nodes = [n for n in canvas.doc.nodes if n.id not in before_nodes]
    new_edges = [e for e in canvas.doc.edges if e.id not in before_edges]
    assert sorted(n.title for n in new_nodes) == ["Risk and compliance review", "Technical validation"]
    assert len(new_edges) == 1
    ids = {n.id for n in new_nodes}
    assert new_edges[0].source in ids and new_edges[0].target in ids
    pasted_risk = next(n for n in new_nodes if n.title.startswith("Risk"))
    assert pasted_risk.signoffs == [] and not any(i.done for i in pasted_risk.checklist)
    assert pasted_risk.required_roles == ["security", "legal"]
    # The copy's bounding centre lands on the paste point: centres were (340, 80) and (580, 240).
    xs = sorted(n.position.x for n in new_nodes)
    assert xs == [580, 820]
    assert sorted(canvas.scene.selected_node_ids()) == sorted(ids)
    canvas.undo()
    assert {n.id for n in canvas.doc.nodes} == before_nodes
    canvas.redo()
    assert ids <= {n.id for n in canvas.doc.nodes}


def test_duplicate_offsets_by_two_grid_steps(canvas):
    canvas.scene.select_ids(["start"])
    canvas.scene.duplicate_selection()
    copies = [n for n in canvas.doc.nodes if n.title == "Deployment request"]
    assert len(copies) == 2
    copy = next(n for n in copies if n.id != "start")
    assert (copy.position.x, copy.position.y) == (140, 120)
    assert copy.lane == "lane-data-science"
    assert canvas.controller.undo_stack.count() == 1


def test_paste_garbage_is_refused_without_change(canvas):
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setData(FRAGMENT_MIME, b"{not json")
    before = canvas.doc.model_dump()
    canvas.scene.paste(mime, None)
    assert canvas.doc.model_dump() == before
    assert canvas.errors == ["The clipboard does not hold diagram nodes."]


def test_align_left_and_distribute(canvas):
    canvas.scene.select_ids(["start", "validate", "iterate"])  # all in the data science lane
    canvas.scene.align_selection("top")
    # Tops: start 80-32=48, validate 80-42=38, iterate 48 → top edge 38 for all.
    assert canvas.doc.node("start").position.y == 38 + 32
    assert canvas.doc.node("validate").position.y == 38 + 42
    canvas.undo()
    assert canvas.doc.node("start").position.y == 80
    canvas.scene.select_ids(["start", "validate", "iterate"])
    canvas.scene.distribute_selection("horizontal")
    # Left edge 25, right edge 1135, widths 150 + 190 + 150 → gaps of 310.
    assert canvas.doc.node("validate").position.x == 25 + 150 + 310 + 95
    assert canvas.doc.node("start").position.x == 100 and canvas.doc.node("iterate").position.x == 1060


def test_align_across_lanes_moves_nodes_into_one_lane(canvas):
    canvas.scene.select_ids(["validate", "risk"])
    canvas.scene.align_selection("vcenter")
    # Centre line between validate's top (38) and risk's bottom (288) is 163: the security lane.
    assert canvas.doc.node("validate").lane == "lane-security"
    assert canvas.controller.undo_stack.count() == 1


def test_lane_rename_move_add_remove(canvas):
    scene = canvas.scene
    assert scene.rename_lane("lane-legal", "Legal & Privacy")
    assert canvas.doc.role("legal").name == "Legal & Privacy"
    assert scene.lane_item("lane-legal").snapshot.role_name == "Legal & Privacy"

    assert scene.move_lane("lane-business", -1)  # business above legal
    assert [la.id for la in canvas.doc.lanes][2:] == ["lane-business", "lane-legal"]
    assert canvas.doc.node("decide").position.y == 400  # moved up one 160-high lane with its lane
    canvas.undo()
    assert canvas.doc.node("decide").position.y == 560

    lane_id = scene.add_lane("Compliance", after="lane-security")
    assert lane_id == "lane-compliance"
    assert [la.id for la in canvas.doc.lanes][2] == "lane-compliance"
    assert canvas.doc.role("compliance").name == "Compliance"
    assert canvas.doc.node("decide").position.y == 720
    assert canvas.controller.undo_stack.count() == 2  # rename, add (the move was undone)
    canvas.undo()
    assert all(la.id != "lane-compliance" for la in canvas.doc.lanes)
    assert all(r.id != "compliance" for r in canvas.doc.roles)

    assert scene.remove_lane("lane-data-science")
    assert canvas.doc.node("start").lane is None
    # The role is still required by nothing… data-science is not required → removed with its lane.
    assert all(r.id != "data-science" for r in canvas.doc.roles)
    assert canvas.doc.node("risk").position.y == 80  # security lane moved up to the top
    canvas.undo()
    assert canvas.doc.node("start").lane == "lane-data-science"
    assert canvas.doc.role("data-science").name == "Data Science"


def test_remove_lane_keeps_a_role_that_nodes_require(canvas):
    assert canvas.scene.remove_lane("lane-security")
    assert canvas.doc.role("security").name == "Security"


def test_lane_cannot_move_past_the_top(canvas):
    assert not canvas.scene.move_lane("lane-data-science", -1)
    assert canvas.errors == ["The lane cannot move any further that way."]


def test_add_lane_with_empty_name_is_refused(canvas):
    assert canvas.scene.add_lane("   ") is None
    assert canvas.errors == ["A lane needs a role name."]


def test_place_node_returns_id_and_selects(canvas):
    from sopdesigner.model import NodeKind

    nid = canvas.scene.place_node(NodeKind.NOTE, QPointF(700, 700))
    assert canvas.doc.node(nid).lane == "lane-business"
    assert canvas.scene.selected_node_ids() == [nid]
