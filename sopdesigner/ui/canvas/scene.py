"""``DiagramScene``: mirrors one document as items and turns gestures into ops.

The scene keeps ``node_id → NodeItem`` / ``edge_id → EdgeItem`` / ``lane_id → LaneItem`` maps,
builds items from model snapshots, and updates them only from ``controller.changes_applied``.
Every edit goes through ``controller.execute(op)``; gestures are ``interactions`` objects.
Editing commands (place, delete, copy/paste, align…) live in ``scene_commands``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from sopdesigner.errors import SopError
from sopdesigner.model.document import Document
from sopdesigner.model.geometry import GRID
from sopdesigner.ops.base import Change, Op
from sopdesigner.ui.canvas import scene_commands
from sopdesigner.ui.canvas.edge_item import EdgeItem
from sopdesigner.ui.canvas.header_item import HeaderItem, HeaderSnapshot
from sopdesigner.ui.canvas.inline_editor import InlineTitleEditor
from sopdesigner.ui.canvas.interactions import (
    DragNodesInteraction,
    Interaction,
    LaneResizeInteraction,
    NewLinkInteraction,
    ReconnectInteraction,
)
from sopdesigner.ui.canvas.lane_item import LaneItem
from sopdesigner.ui.canvas.legend_item import LegendItem
from sopdesigner.ui.canvas.node_item import NodeItem
from sopdesigner.ui.canvas.overview_layer import OverviewLayer, SceneOverview
from sopdesigner.ui.canvas.retired_items import RetiredItems
from sopdesigner.ui.canvas.scene_display import SceneDisplay
from sopdesigner.ui.canvas.scene_input import SceneInput, draw_grid
from sopdesigner.ui.canvas.scene_layout import MIN_LANE_WIDTH, SceneLayout
from sopdesigner.ui.canvas.snapshot import edge_snapshot, node_snapshot
from sopdesigner.ui.canvas.style import Z_EDGE, Z_SELECTED_EDGE, Theme
from sopdesigner.ui.controller import DocumentController
from sopdesigner.ui.release import release_later


class DiagramScene(
    scene_commands.SceneCommands, SceneInput, SceneLayout, SceneDisplay, SceneOverview, QGraphicsScene
):
    #: (node_ids, edge_ids) after every selection change.
    selection_changed_ids = Signal(list, list)
    #: lane id: a lane header was clicked.
    lane_selected = Signal(str)
    #: node id, list of local file paths dropped onto that node.
    files_dropped_on_node = Signal(str, list)
    #: node id: a node body (not its title) was double-clicked.
    node_activated = Signal(str)

    def __init__(self, controller: DocumentController, theme: Theme, parent=None):
        super().__init__(parent)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.theme = theme
        self.controller: DocumentController | None = None
        self._grid = True
        self._snap = True
        self._legend_visible = True
        self._review = False
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[str, EdgeItem] = {}
        self._lanes: dict[str, LaneItem] = {}
        self._header: HeaderItem | None = None
        self._retired = RetiredItems(self)
        self._legend: LegendItem | None = None
        self._interaction: Interaction | None = None
        self._editor: InlineTitleEditor | None = None
        self._lane_width = MIN_LANE_WIDTH
        self._lanes_rect: QRectF | None = None  # what the lanes' opaque fills cover
        self._raised_edges: set[str] = set()
        self._cache_nodes = False
        self._overview = False  # zoomed far out: the overview layer draws the nodes and connectors
        self._layer: OverviewLayer | None = None
        self._lifted: set[NodeItem | EdgeItem] = set()  # selected in the overview: drawn by themselves
        self._rect_fresh = True
        self._quiet = False  # True while a bulk change should emit one selection signal at the end
        self.selectionChanged.connect(self._emit_selection)
        self.set_controller(controller)

    # -- document ---------------------------------------------------------------------------
    @property
    def document(self) -> Document:
        assert self.controller is not None
        return self.controller.document

    def set_controller(self, controller: DocumentController, *, hidden: bool = False) -> None:
        """Show another document: drop every item and rebuild from the new controller's model.
        ``hidden``: the view is hidden from now on (the start page shows), so the old items may
        leave the scene in slices on later turns (``RetiredItems``)."""
        self.cancel_interaction()
        self._close_editor()
        if self.controller is not None:
            self.controller.changes_applied.disconnect(self.apply_changes)
        self.controller = controller
        controller.changes_applied.connect(self.apply_changes)
        self.rebuild(retire=hidden)

    def rebuild(self, *, retire: bool = False) -> None:
        # Not blockSignals(): the BSP index learns the scene rect through sceneRectChanged, and
        # without it every edge became a candidate for every hit test and paint (10× slower drags).
        self._quiet = True
        try:
            if retire:
                self._retire_items()
            else:
                self.clear()
                # Qt deleted the items in one pass; their Python side (snapshots, layouts,
                # routes: a few ms per thousand nodes) is freed in slices after the new state
                # is painted. Node and edge items point at each other: each node's list is
                # emptied as it goes, so reference counting frees them, not a full GC pass.
                if self._edges:
                    release_later(self._edges)
                if self._nodes:
                    release_later(self._nodes, _unlink_node)
            self._nodes, self._edges = {}, {}
            self._lanes.clear()
            self._lifted = set()
            self._layer = OverviewLayer()
            self._layer.setVisible(self._overview)
            self.addItem(self._layer)
            # The whole scene repaints anyway: marked so up front, Qt skips working out a
            # dirty region (a boundingRect() call into Python) for each item added below.
            self.update()
            doc = self.document
            self._header = HeaderItem(HeaderSnapshot.of(doc), self.theme)
            self.addItem(self._header)
            self._legend = LegendItem(self.theme)
            self._legend.setVisible(self._legend_visible)
            self.addItem(self._legend)
            names = {r.id: r.name for r in doc.roles}
            lane_roles = {la.id: la.role for la in doc.lanes}
            # Snapshots and routes the open worker made off the GUI thread, if still current.
            prepared = self.controller.prepared_items() if self.controller is not None else None
            snaps = prepared.nodes if prepared is not None else {}
            edge_snaps = prepared.edges if prepared is not None else {}
            routes = prepared.routes if prepared is not None else {}
            for node in doc.nodes:
                snap = snaps.get(node.id)
                self._add_node_item(snap if snap is not None else node_snapshot(doc, node, names, lane_roles))
            for edge in doc.edges:
                self._add_edge_item(edge.id, edge, routes.get(edge.id), edge_snaps.get(edge.id))
            # A new document may be smaller: the rect may shrink once. Not while retired items
            # are still indexed: a new rect or tree depth would re-index every one of them.
            self._rect_fresh = not retire
            self._sync_lanes()
            if not retire:
                # Qt sizes the BSP tree once, for the first (placeholder) document, and keeps
                # it: at 5,000 nodes a 100 % repaint then tested thousands of items (7.5 → 1.2 ms).
                self.setBspTreeDepth(max(5, min(18, (len(self._nodes) + len(self._edges)).bit_length())))
        finally:
            self._quiet = False
        # Every item is new, so nothing is selected: no need to ask 20,000 items.
        self._raised_edges = set()
        self.selection_changed_ids.emit([], [])

    def _retire_items(self) -> None:
        """Leave the node and connector items in the scene for ``RetiredItems`` to remove
        later; the few others (header, legend, lanes) go now."""
        if self.selectedItems():
            self.clearSelection()
        for item in (self._header, self._legend, self._layer, *self._lanes.values()):
            if item is not None:
                self.removeItem(item)
        self._retired.retire([*self._edges.values(), *self._nodes.values()])

    def apply_changes(self, changes: list[Change]) -> None:
        """Reflect model changes (the only way the model reaches the items)."""
        doc = self.document
        assert self.controller is not None
        node_of = self.controller.node
        names = {r.id: r.name for r in doc.roles}
        lane_roles = {la.id: la.role for la in doc.lanes}
        lanes_dirty = False
        refresh_all = False
        edges_dirty: set[str] = set()
        for ch in changes:
            if ch.what == "node":
                node = node_of(ch.id or "")
                if ch.action == "removed" or node is None:
                    self._remove_node_item(ch.id or "")
                    lanes_dirty = True
                elif node.id not in self._nodes:
                    self._add_node_item(node_snapshot(doc, node, names, lane_roles))
                    lanes_dirty = True
                else:
                    item = self._nodes[node.id]
                    box = item.scene_box()
                    item.set_snapshot(node_snapshot(doc, node, names, lane_roles))
                    # Lanes and scene rect follow node geometry only; re-syncing them walks
                    # every node, which a title or status edit must not pay for.
                    lanes_dirty = lanes_dirty or item.scene_box() != box
            elif ch.what == "edge":
                edges_dirty.add(ch.id or "")
            elif ch.what in ("lane", "role"):
                lanes_dirty = refresh_all = True
            elif ch.what == "document" and self._header is not None:
                self._header.set_snapshot(HeaderSnapshot.of(doc))
        if edges_dirty:
            edge_index = {e.id: e for e in doc.edges}
            for eid in edges_dirty:
                if eid in edge_index:
                    self._add_edge_item(eid, edge_index[eid])
                else:
                    self._remove_edge_item(eid)
        if refresh_all:
            for node in doc.nodes:
                self._nodes[node.id].set_snapshot(node_snapshot(doc, node, names, lane_roles))
        if lanes_dirty:
            self._sync_lanes()
        # Items added or removed in the overview layer cannot repaint themselves.
        self.overview_changed()

    def _add_node_item(self, snap) -> NodeItem:
        item = NodeItem(snap, self.theme, in_layer=self._overview)
        if self._review:
            item.set_review_mode(True)
        if self._cache_nodes:
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(item)
        self._nodes[snap.id] = item
        return item

    def _remove_node_item(self, node_id: str) -> None:
        item = self._nodes.pop(node_id, None)
        if item is None:
            return
        if self._editor is not None and self._editor.node_id == node_id:
            self._close_editor()
        for edge in list(item.edges):
            self._remove_edge_item(edge.edge_id)
        self._lifted.discard(item)
        self.removeItem(item)

    def _add_edge_item(self, edge_id: str, edge=None, points=None, snap=None) -> None:
        """``points`` and ``snap``: its route and snapshot made ahead (a rebuild's prepared
        items), for a new item."""
        edge = edge or self.document.edge(edge_id)
        src, dst = self._nodes.get(edge.source), self._nodes.get(edge.target)
        if src is None or dst is None:
            return
        item = self._edges.get(edge_id)
        if item is None:
            snap = snap if snap is not None else edge_snapshot(edge)
            item = EdgeItem(snap, src, dst, self.theme, in_layer=self._overview, points=points)
            self.addItem(item)
            self._edges[edge_id] = item
        else:
            item.set_snapshot(edge_snapshot(edge), src, dst)

    def _remove_edge_item(self, edge_id: str) -> None:
        item = self._edges.pop(edge_id, None)
        if item is not None:
            item.detach()
            self._lifted.discard(item)
            self.removeItem(item)

    # -- lookups ------------------------------------------------------------------------------
    def node_item(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def edge_item(self, edge_id: str) -> EdgeItem | None:
        return self._edges.get(edge_id)

    def lane_item(self, lane_id: str) -> LaneItem | None:
        return self._lanes.get(lane_id)

    def node_count(self) -> int:
        return len(self._nodes)

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def node_item_at(self, pos: QPointF, exclude: QGraphicsItem | None = None) -> NodeItem | None:
        for it in self.items(pos, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder):
            if it is not exclude and isinstance(it, NodeItem) and it.outline().contains(it.mapFromScene(pos)):
                return it
        return None

    def selected_node_items(self) -> list[NodeItem]:
        return [it for it in self._nodes.values() if it.isSelected()]

    def selected_node_ids(self) -> list[str]:
        return [it.node_id for it in self.selected_node_items()]

    def selected_edge_ids(self) -> list[str]:
        return [eid for eid, it in self._edges.items() if it.isSelected()]

    def select_ids(self, node_ids, edge_ids=()) -> None:
        nodes, edges = set(node_ids), set(edge_ids)
        self._quiet = True
        try:
            self.clearSelection()
            for nid in nodes:
                if nid in self._nodes:
                    self._nodes[nid].setSelected(True)
            for eid in edges:
                if eid in self._edges:
                    self._edges[eid].setSelected(True)
        finally:
            self._quiet = False
        self._emit_selection()

    def select_all(self) -> None:
        self.select_ids(list(self._nodes), list(self._edges))

    def _emit_selection(self) -> None:
        if self._quiet:
            return
        edge_ids = self.selected_edge_ids()
        # A selected edge is drawn above the others, so its end handles can be grabbed.
        for eid in self._raised_edges - set(edge_ids):
            if eid in self._edges:
                self._edges[eid].setZValue(Z_EDGE)
        for eid in edge_ids:
            self._edges[eid].setZValue(Z_SELECTED_EDGE)
        self._raised_edges = set(edge_ids)
        node_ids = self.selected_node_ids()
        if self._overview:
            self._lift_selection(node_ids, edge_ids)
        self.selection_changed_ids.emit(node_ids, edge_ids)

    # -- executing ops ------------------------------------------------------------------------
    def execute(self, op: Op, merge_key: str | None = None) -> bool:
        assert self.controller is not None
        return self.controller.execute(op, merge_key=merge_key)

    def execute_builder(self, build: Callable[[Document], Op], merge_key: str | None = None) -> bool:
        """Build an op from the document and run it; a builder's refusal is reported like an op's."""
        assert self.controller is not None
        try:
            op = build(self.document)
        except SopError as err:
            self.controller.error_raised.emit(str(err))
            return False
        return self.execute(op, merge_key)

    # -- gestures -------------------------------------------------------------------------------
    def interaction(self) -> Interaction | None:
        return self._interaction

    def interaction_ended(self, interaction: Interaction) -> None:
        if self._interaction is interaction:
            self._interaction = None

    def cancel_interaction(self) -> None:
        if self._interaction is not None:
            self._interaction.cancel()
        self._interaction = None

    def mousePressEvent(self, event) -> None:
        if self._interaction is not None:
            event.accept()
            return
        pos = event.scenePos()
        if self._editor is not None and not self._editor.sceneBoundingRect().contains(pos):
            self._editor.finish(commit=True)
        item = self.itemAt(pos, _transform_of(event))
        if event.button() == Qt.MouseButton.LeftButton and not self._review:
            started = self._start_gesture(item, pos)
            if started is not None:
                self._interaction = started
                event.accept()
                return
        if event.button() == Qt.MouseButton.LeftButton and isinstance(item, LaneItem) and item.in_header(pos):
            self.lane_selected.emit(item.lane_id)
        super().mousePressEvent(event)
        if (
            event.button() == Qt.MouseButton.LeftButton
            and isinstance(item, NodeItem)
            and not self._review
            and item.isSelected()
        ):
            self._interaction = DragNodesInteraction(self, item, pos)

    def _start_gesture(self, item: QGraphicsItem | None, pos: QPointF) -> Interaction | None:
        for edge in self._edges.values():
            if edge.isSelected():
                end = edge.handle_at(pos)
                if end is not None:
                    return ReconnectInteraction(self, edge, end)
        if isinstance(item, NodeItem):
            side = item.port_at(pos)
            if side is not None:
                return NewLinkInteraction(self, item, side)
        if item is None or isinstance(item, LaneItem):
            for lane in self._lanes.values():
                if lane.on_bottom_border(pos):
                    s = lane.snapshot
                    return LaneResizeInteraction(self, lane.lane_id, s.top, s.height, s.width)
        return None

    def mouseMoveEvent(self, event) -> None:
        if self._interaction is not None:
            self._interaction.mouse_move(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._interaction is not None:
            self._interaction.mouse_release(event.scenePos())
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        pos = event.scenePos()
        item = self.node_item_at(pos)
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            if not self._review and item.title_rect().contains(item.mapFromScene(pos)):
                self.start_inline_edit(item.node_id)
            else:
                self.node_activated.emit(item.node_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:
        if self._editor is not None:
            super().keyPressEvent(event)
            return
        key = event.key()
        if key == Qt.Key.Key_Escape and self._interaction is not None:
            self.cancel_interaction()
            event.accept()
            return
        arrows = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in arrows and self.selected_node_ids():
            step = GRID if self._snap else 1.0
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                step *= 5
            dx, dy = arrows[key]
            self.nudge_selection(dx * step, dy * step)
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selection()
            event.accept()
            return
        if key == Qt.Key.Key_F2:
            ids = self.selected_node_ids()
            if len(ids) == 1:
                self.start_inline_edit(ids[0])
                event.accept()
                return
        if event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        from sopdesigner.ui.canvas.menus import context_menu

        menu = context_menu(self, event.scenePos())
        if menu is not None:
            menu.exec(event.screenPos())
            event.accept()
            return
        super().contextMenuEvent(event)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        # Lane fills are opaque: a grid under them is never seen, and a drag's repaint is
        # nearly always inside the lanes (its lines were a fifth of each drag step).
        lanes = self._lanes_rect
        draw_grid(painter, rect, self.theme, self._grid and not (lanes is not None and lanes.contains(rect)))


def _transform_of(event) -> QTransform:
    widget = event.widget()
    view = widget.parent() if widget is not None else None
    if view is not None and hasattr(view, "transform"):
        return view.transform()
    return QTransform()


def _unlink_node(item: NodeItem) -> None:
    """Break a dropped node item's cycle with its connectors (see ``rebuild``)."""
    item.edges.clear()
