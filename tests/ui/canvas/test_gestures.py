"""Gestures driven through the viewport with real mouse, key and drag-and-drop events; the
model is checked after each, then after undo and redo."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from sopdesigner.model import EdgeKind, NodeKind
from sopdesigner.ui.canvas.mime import NODE_KIND_MIME


def _drop(canvas, mime: QMimeData, x: float, y: float) -> None:
    vp = canvas.view.viewport()
    pos = canvas.vp(x, y)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, move)
    assert move.isAccepted()
    drop = QDropEvent(QPointF(pos), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, drop)


def test_drop_checkpoint_from_palette_places_it_in_the_lane_under_the_pointer(canvas):
    before = {n.id for n in canvas.doc.nodes}
    mime = QMimeData()
    mime.setData(NODE_KIND_MIME, b"checkpoint")
    _drop(canvas, mime, 343, 413)  # legal lane: y 320..480
    added = [n for n in canvas.doc.nodes if n.id not in before]
    assert len(added) == 1
    node = added[0]
    assert node.kind is NodeKind.CHECKPOINT
    assert (node.position.x, node.position.y) == (340, 420)  # snapped to the 20-unit grid
    assert node.lane == "lane-legal"
    assert canvas.scene.node_item(node.id) is not None
    assert canvas.scene.selected_node_ids() == [node.id]
    canvas.undo()
    assert {n.id for n in canvas.doc.nodes} == before
    assert canvas.scene.node_item(node.id) is None
    canvas.redo()
    assert canvas.doc.node(node.id).lane == "lane-legal"
    assert canvas.scene.node_item(node.id) is not None


def test_drop_near_lane_bottom_grows_the_lane_and_moves_lower_lanes(canvas):
    before = {n.id for n in canvas.doc.nodes}
    mime = QMimeData()
    mime.setData(NODE_KIND_MIME, b"step")
    _drop(canvas, mime, 300, 460)  # legal lane bottom is 480; a step is 84 high
    node = next(n for n in canvas.doc.nodes if n.id not in before)
    legal = canvas.doc.lane("lane-legal")
    # Needs 460 + 42 + 20 padding - 320 = 202 → rounded up to the grid: 220.
    assert legal.height == 220
    # Business lane moved down by 60, and its nodes with it.
    assert canvas.doc.node("decide").position.y == 620
    assert node.position.y == 460
    canvas.undo()
    assert canvas.doc.lane("lane-legal").height == 160
    assert canvas.doc.node("decide").position.y == 560


def test_unknown_kind_drop_is_refused(canvas):
    before = len(canvas.doc.nodes)
    mime = QMimeData()
    mime.setData(NODE_KIND_MIME, b"spaceship")
    enter = QDragEnterEvent(
        canvas.vp(300, 400),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas.view.viewport(), enter)
    assert not enter.isAccepted()
    assert len(canvas.doc.nodes) == before


def test_file_drop_on_node_emits_paths(canvas, tmp_path, qtbot):
    from PySide6.QtCore import QUrl

    f = tmp_path / "metrics.pdf"
    f.write_bytes(b"%PDF-1.4")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    with qtbot.waitSignal(canvas.scene.files_dropped_on_node) as blocker:
        _drop(canvas, mime, 340, 80)
    assert blocker.args == ["validate", [str(f)]]


def test_connect_by_dragging_from_a_port(canvas):
    # "iterate" (1060, 80) right port is at x=1135; drag it onto "deploy" (1060, 520).
    canvas.drag((1135, 80), (1060, 520))
    new = [e for e in canvas.doc.edges if e.source == "iterate"]
    assert len(new) == 1 and new[0].target == "deploy" and new[0].kind is EdgeKind.FLOW
    assert canvas.scene.edge_item(new[0].id) is not None
    canvas.undo()
    assert not [e for e in canvas.doc.edges if e.source == "iterate"]
    assert canvas.scene.edge_item(new[0].id) is None
    canvas.redo()
    assert [e.target for e in canvas.doc.edges if e.source == "iterate"] == ["deploy"]


def test_connecting_a_node_to_itself_is_refused(canvas):
    edges = len(canvas.doc.edges)
    canvas.drag((1135, 80), (1080, 80))
    assert len(canvas.doc.edges) == edges
    assert canvas.errors == ["A node cannot be connected to itself."]
    assert not canvas.controller.undo_stack.canUndo()


def test_duplicate_connection_is_refused(canvas):
    canvas.drag((435, 80), (580, 240))  # validate → risk exists as e2
    assert canvas.errors == ["These two nodes are already connected in this direction."]


def test_drag_a_node_into_another_lane_is_one_move(canvas):
    # Grab "iterate" by its title area and drop it in the security lane.
    canvas.press(1060, 80)
    for y in (100, 140, 180, 220, 250):
        canvas.move(1060, y)
    # Edges follow live during the drag.
    e5 = canvas.scene.edge_item("e5")
    assert e5.end_points()[1].y() > 150
    canvas.release(1060, 250)
    node = canvas.doc.node("iterate")
    assert (node.position.x, node.position.y) == (1060, 260)  # snapped
    assert node.lane == "lane-security"
    assert canvas.controller.undo_stack.count() == 1
    canvas.undo()
    node = canvas.doc.node("iterate")
    assert (node.position.x, node.position.y, node.lane) == (1060, 80, "lane-data-science")
    assert canvas.scene.node_item("iterate").pos() == QPointF(1060, 80)
    canvas.redo()
    assert canvas.doc.node("iterate").lane == "lane-security"


def test_escape_cancels_a_drag(canvas):
    canvas.press(1060, 80)
    canvas.move(1060, 150)
    canvas.move(1060, 250)
    canvas.key(Qt.Key.Key_Escape)
    canvas.release(1060, 250)
    assert canvas.scene.node_item("iterate").pos() == QPointF(1060, 80)
    assert canvas.doc.node("iterate").position.y == 80
    assert canvas.controller.undo_stack.count() == 0


def test_inline_rename_by_double_click_on_title(canvas):
    item = canvas.scene.node_item("validate")
    title_centre = item.mapToScene(item.title_rect().center())
    QTest.mouseDClick(
        canvas.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        canvas.vp(title_centre.x(), title_centre.y()),
    )
    editor = canvas.scene.inline_editor()
    assert editor is not None and editor.node_id == "validate"
    QTest.keyClicks(canvas.view.viewport(), "Model validation")
    canvas.key(Qt.Key.Key_Return)
    assert canvas.scene.inline_editor() is None
    assert canvas.doc.node("validate").title == "Model validation"
    assert item.snapshot.title == "Model validation"
    canvas.undo()
    assert canvas.doc.node("validate").title == "Technical validation"
    canvas.redo()
    assert canvas.doc.node("validate").title == "Model validation"


def test_f2_rename_escape_cancels_and_empty_is_refused(canvas):
    canvas.scene.select_ids(["risk"])
    canvas.key(Qt.Key.Key_F2)
    assert canvas.scene.inline_editor() is not None
    QTest.keyClicks(canvas.view.viewport(), "Something else")
    canvas.key(Qt.Key.Key_Escape)
    assert canvas.scene.inline_editor() is None
    assert canvas.doc.node("risk").title == "Risk and compliance review"
    canvas.key(Qt.Key.Key_F2)
    canvas.key(Qt.Key.Key_Delete)  # the whole title is selected when the editor opens
    canvas.key(Qt.Key.Key_Return)
    assert canvas.doc.node("risk").title == "Risk and compliance review"
    assert canvas.errors == ["A node's title cannot be empty."]
    assert canvas.controller.undo_stack.count() == 0


def test_double_click_on_node_body_activates_it(canvas, qtbot):
    item = canvas.scene.node_item("validate")
    chip = item._ensure_layout().chip_rect
    p = item.mapToScene(chip.center())
    with qtbot.waitSignal(canvas.scene.node_activated) as blocker:
        QTest.mouseDClick(
            canvas.view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            canvas.vp(p.x(), p.y()),
        )
    assert blocker.args == ["validate"]
    assert canvas.scene.inline_editor() is None


def test_delete_key_removes_node_with_its_edges(canvas):
    canvas.press(580, 240)
    canvas.release(580, 240)
    assert canvas.scene.selected_node_ids() == ["risk"]
    canvas.key(Qt.Key.Key_Delete)
    assert "risk" not in {n.id for n in canvas.doc.nodes}
    assert {"e2", "e3"}.isdisjoint({e.id for e in canvas.doc.edges})
    assert canvas.scene.node_item("risk") is None and canvas.scene.edge_item("e2") is None
    canvas.undo()
    assert canvas.doc.node("risk").title == "Risk and compliance review"
    assert {"e2", "e3"} <= {e.id for e in canvas.doc.edges}
    assert canvas.scene.edge_item("e3").source is canvas.scene.node_item("risk")
    canvas.redo()
    assert canvas.scene.node_item("risk") is None


def test_arrow_nudges_merge_into_one_undo_step(canvas):
    canvas.scene.select_ids(["validate"])
    for _ in range(3):
        canvas.key(Qt.Key.Key_Right)
    canvas.key(Qt.Key.Key_Down)
    node = canvas.doc.node("validate")
    assert (node.position.x, node.position.y) == (400, 100)  # 3 × 20 right, 1 × 20 down
    assert canvas.controller.undo_stack.count() == 1
    canvas.undo()
    node = canvas.doc.node("validate")
    assert (node.position.x, node.position.y) == (340, 80)
    canvas.redo()
    assert canvas.doc.node("validate").position.x == 400


def test_reconnect_edge_target_by_dragging_its_handle(canvas):
    canvas.scene.select_ids([], ["e4"])  # decide → deploy
    end = canvas.scene.edge_item("e4").end_points()[1]
    canvas.drag((end.x(), end.y()), (1060, 80))  # onto "iterate"… already connected by e5
    assert canvas.errors == ["These two nodes are already connected in this direction."]
    canvas.scene.select_ids([], ["e4"])
    canvas.drag((end.x(), end.y()), (580, 240))  # onto "risk"
    assert canvas.doc.edge("e4").target == "risk"
    assert canvas.scene.edge_item("e4").target is canvas.scene.node_item("risk")
    canvas.undo()
    assert canvas.doc.edge("e4").target == "deploy"
    assert canvas.scene.edge_item("e4").target is canvas.scene.node_item("deploy")


def test_drag_lane_border_resizes_and_moves_lower_lanes(canvas):
    # Security lane spans 160..320; drag its bottom border from 320 to 400 in the empty area.
    canvas.drag((200, 320), (200, 400))
    assert canvas.doc.lane("lane-security").height == 240
    assert canvas.doc.node("decide").position.y == 640
    assert canvas.scene.lane_item("lane-legal").snapshot.top == 400
    canvas.undo()
    assert canvas.doc.lane("lane-security").height == 160
    assert canvas.doc.node("decide").position.y == 560


def test_rubber_band_selects_nodes(canvas):
    canvas.drag((20, 20), (460, 140))
    assert sorted(canvas.scene.selected_node_ids()) == ["start", "validate"]


def test_review_mode_blocks_moves_ports_and_delete(canvas):
    canvas.scene.set_review_mode(True)
    canvas.drag((1060, 80), (1060, 250))
    assert canvas.doc.node("iterate").position.y == 80
    canvas.drag((1135, 80), (1060, 520))  # would be a port drag
    assert not [e for e in canvas.doc.edges if e.source == "iterate"]
    canvas.scene.select_ids(["iterate"])
    canvas.key(Qt.Key.Key_Delete)
    assert "iterate" in {n.id for n in canvas.doc.nodes}
    assert canvas.controller.undo_stack.count() == 0
