"""Context menus of the canvas: lane header (rename, move, add, remove), edge (label, rework,
delete) and node (rename, duplicate, delete). Each entry calls one scene command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QInputDialog, QMenu

from sopdesigner.model.enums import EdgeKind
from sopdesigner.ui.canvas.edge_item import EdgeItem
from sopdesigner.ui.canvas.lane_item import LaneItem
from sopdesigner.ui.canvas.node_item import NodeItem

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.scene import DiagramScene


def _parent(scene: DiagramScene):
    views = scene.views()
    return views[0] if views else None


def context_menu(scene: DiagramScene, pos: QPointF) -> QMenu | None:
    node = scene.node_item_at(pos)
    if node is not None:
        return node_menu(scene, node)
    for it in scene.items(pos):
        if isinstance(it, EdgeItem):
            return edge_menu(scene, it)
        if isinstance(it, LaneItem) and it.in_header(pos):
            return lane_menu(scene, it.lane_id)
    return None


def lane_menu(scene: DiagramScene, lane_id: str) -> QMenu:
    doc = scene.document
    lane = doc.lane(lane_id)
    index = next(i for i, la in enumerate(doc.lanes) if la.id == lane_id)
    menu = QMenu(_parent(scene))
    locked = scene.review_mode()

    def rename() -> None:
        name, ok = QInputDialog.getText(
            _parent(scene), "Rename lane", "Role name:", text=doc.role_name(lane.role)
        )
        if ok:
            scene.rename_lane(lane_id, name)

    def add() -> None:
        name, ok = QInputDialog.getText(_parent(scene), "Add lane", "Role name for the new lane:")
        if ok:
            scene.add_lane(name, after=lane_id)

    menu.addAction("Rename…", rename)
    up = menu.addAction("Move up", lambda: scene.move_lane(lane_id, -1))
    up.setEnabled(index > 0 and not locked)
    down = menu.addAction("Move down", lambda: scene.move_lane(lane_id, 1))
    down.setEnabled(index < len(doc.lanes) - 1 and not locked)
    menu.addSeparator()
    menu.addAction("Add lane below…", add).setEnabled(not locked)
    menu.addAction("Remove lane", lambda: scene.remove_lane(lane_id)).setEnabled(not locked)
    return menu


def edge_menu(scene: DiagramScene, item: EdgeItem) -> QMenu:
    menu = QMenu(_parent(scene))
    edge_id = item.edge_id
    snap = item.snapshot
    locked = scene.review_mode()

    def label() -> None:
        text, ok = QInputDialog.getText(_parent(scene), "Connector label", "Label:", text=snap.label)
        if ok:
            scene.set_edge_label(edge_id, text)

    menu.addAction("Edit label…", label).setEnabled(not locked)
    rework = menu.addAction("Rework path (dashed)")
    rework.setCheckable(True)
    rework.setChecked(snap.kind is EdgeKind.REWORK)
    rework.setEnabled(not locked)
    rework.triggered.connect(
        lambda checked: scene.set_edge_kind(edge_id, EdgeKind.REWORK if checked else EdgeKind.FLOW)
    )
    menu.addSeparator()

    def delete() -> None:
        scene.select_ids([], [edge_id])
        scene.delete_selection()

    menu.addAction("Delete", delete).setEnabled(not locked)
    return menu


def node_menu(scene: DiagramScene, item: NodeItem) -> QMenu:
    menu = QMenu(_parent(scene))
    node_id = item.node_id
    locked = scene.review_mode()
    if not item.isSelected():
        scene.select_ids([node_id])
    menu.addAction("Rename", lambda: scene.start_inline_edit(node_id)).setEnabled(not locked)
    menu.addAction("Open details", lambda: scene.node_activated.emit(node_id))
    menu.addAction("Duplicate", scene.duplicate_selection).setEnabled(not locked)
    menu.addSeparator()
    menu.addAction("Delete", scene.delete_selection).setEnabled(not locked)
    return menu
