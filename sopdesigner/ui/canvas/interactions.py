"""Gestures as objects (after orange-canvas-core's ``UserInteraction``): drag nodes, draw a new
link from a port, reconnect an edge end, resize a lane.

Each has ``mouse_move``/``mouse_release`` and ``cancel`` (Esc); while running it may move
items or show a guide, but the model changes only at the end, as one op through the controller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem

from sopdesigner.model.document import Edge
from sopdesigner.model.geometry import LANE_HEADER_WIDTH
from sopdesigner.model.ids import new_id
from sopdesigner.ops import Connect, SetEdgeFields
from sopdesigner.ui.canvas.carried_edges import CarriedEdges, carry, drop
from sopdesigner.ui.canvas.layout_ops import move_op, resize_lane_op, snap
from sopdesigner.ui.canvas.style import Z_DRAG_NODE, Z_GESTURE, Z_NODE

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.edge_item import EdgeItem
    from sopdesigner.ui.canvas.node_item import NodeItem
    from sopdesigner.ui.canvas.scene import DiagramScene


class Interaction:
    """A gesture in progress. The scene forwards mouse events to it until it ends."""

    def __init__(self, scene: DiagramScene):
        self.scene = scene
        self.finished = False

    def mouse_move(self, pos: QPointF) -> None:
        """The pointer moved (scene coordinates)."""

    def mouse_release(self, pos: QPointF) -> None:
        self.end()

    def cancel(self) -> None:
        """Abandon the gesture (Esc, document switched): nothing reaches the model."""
        self.end()

    def end(self) -> None:
        if not self.finished:
            self.finished = True
            self._cleanup()
            self.scene.interaction_ended(self)

    def _cleanup(self) -> None:
        """Remove guides and temporary items."""


class DragNodesInteraction(Interaction):
    """Move the selected nodes with the pointer; on release, one MoveNodes op (with lane changes)."""

    def __init__(self, scene: DiagramScene, grabbed: NodeItem, press: QPointF):
        super().__init__(scene)
        self.grabbed = grabbed
        self.press = QPointF(press)
        self.items = [it for it in scene.selected_node_items()] or [grabbed]
        self.start = {it.node_id: QPointF(it.pos()) for it in self.items}
        self.active = False
        self._step: QPointF | None = None
        # Set when the drag starts: connectors with both nodes in the selection only translate
        # with it (drawn by proxies, see carried_edges); those with one end outside are re-routed.
        self._carried: list[EdgeItem] = []
        self._rerouted: list[EdgeItem] = []
        self._proxies: list[CarriedEdges] = []
        self._translated = False  # the carried routes were moved to the dropped positions
        self._origins: list[tuple[NodeItem, float, float]] = []  # plain floats: one setPos each
        self._uncached: list[NodeItem] = []

    def mouse_move(self, pos: QPointF) -> None:
        delta = pos - self.press
        if not self.active:
            if delta.manhattanLength() < QApplication.startDragDistance():
                return
            self.active = True
            self._sort_edges()
            if self._carried:
                self._proxies = carry(self.scene, self._carried)
            self._origins = [(it, p.x(), p.y()) for it in self.items for p in (self.start[it.node_id],)]
            for it in self.items:
                it.setZValue(Z_DRAG_NODE)
            # While dragged a node only translates: a device pixmap of it is blitted on each
            # move instead of its text being drawn again (dropped again when the drag ends).
            no_cache = QGraphicsItem.CacheMode.NoCache
            self._uncached = [it for it in self.items if it.cacheMode() == no_cache]
            for it in self._uncached:
                it.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        origin = self.start[self.grabbed.node_id]
        target = origin + delta
        if self.scene.snap_to_grid():
            target = QPointF(snap(target.x()), snap(target.y()))
        step = target - origin
        if step == self._step:
            return  # snapped to the same grid point as the last move: nothing moves
        self._step = step
        # With everything selected this loop is the drag's own cost (one C++ call per item).
        dx, dy = step.x(), step.y()
        for it, x, y in self._origins:
            it.setPos(x + dx, y + dy)
        for proxy in self._proxies:
            proxy.setPos(step)
        for edge in self._rerouted:
            edge.adjust()

    def _sort_edges(self) -> None:
        moved = {id(it) for it in self.items}
        seen: set[int] = set()
        for it in self.items:
            for edge in it.edges:
                if id(edge) in seen:
                    continue
                seen.add(id(edge))
                if id(edge.source) in moved and id(edge.target) in moved:
                    self._carried.append(edge)
                else:
                    self._rerouted.append(edge)

    def mouse_release(self, pos: QPointF) -> None:
        if self.active:
            self.mouse_move(pos)
            positions = {
                it.node_id: (it.pos().x(), it.pos().y())
                for it in self.items
                if it.pos() != self.start[it.node_id]
            }
            step = self._step or QPointF()
            self._drop_proxies(step.x(), step.y())
            self.end()
            if positions and not self.scene.execute(move_op(self.scene.document, positions)):
                self._restore()
        else:
            self.end()

    def cancel(self) -> None:
        self._drop_proxies(0.0, 0.0)  # the carried routes were never changed: the start ones
        self._restore()
        self.end()

    def _drop_proxies(self, dx: float, dy: float) -> None:
        if self._proxies:
            drop(self.scene, self._proxies, self._carried, dx, dy)
            self._proxies = []
            self._translated = bool(dx or dy)

    def _restore(self) -> None:
        for it in self.items:
            it.setPos(self.start[it.node_id])
        if self._translated:  # the move op was refused after release: route them again
            for edge in self._carried:
                edge.adjust()
        for edge in self._rerouted:
            edge.adjust()

    def _cleanup(self) -> None:
        for it in self.items:
            it.setZValue(Z_NODE)
        # The scene's choice now: a zoom during the drag may have changed it.
        cache = self.scene.node_caching()
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if cache else QGraphicsItem.CacheMode.NoCache
        for it in self._uncached:
            it.setCacheMode(mode)
        self._drop_proxies(0.0, 0.0)  # ended some other way: nothing moved for good


def _guide_pen(scene: DiagramScene, dashed: bool = True) -> QPen:
    pen = QPen(scene.theme.color("selection"), 2.0, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    pen.setCosmetic(True)
    return pen


class NewLinkInteraction(Interaction):
    """Drag from a node's port to another node: Connect on release over a node."""

    def __init__(self, scene: DiagramScene, source: NodeItem, side: str):
        super().__init__(scene)
        self.source = source
        self.anchor = source.mapToScene(source.port_points()[side])
        self.guide = QGraphicsPathItem()
        self.guide.setPen(_guide_pen(scene))
        self.guide.setZValue(Z_GESTURE)
        scene.addItem(self.guide)
        self.mouse_move(self.anchor)

    def mouse_move(self, pos: QPointF) -> None:
        path = QPainterPath(self.anchor)
        path.lineTo(pos)
        self.guide.setPath(path)

    def mouse_release(self, pos: QPointF) -> None:
        target = self.scene.node_item_at(pos, exclude=self.guide)
        self.end()
        if target is None:
            return
        edge = Edge(id=new_id(), source=self.source.node_id, target=target.node_id)
        self.scene.execute(Connect(edge))

    def _cleanup(self) -> None:
        self.scene.removeItem(self.guide)


class ReconnectInteraction(Interaction):
    """Drag a selected edge's end handle onto another node: SetEdgeFields(source|target)."""

    def __init__(self, scene: DiagramScene, edge: EdgeItem, end: str):
        super().__init__(scene)
        self.edge = edge
        self.end_name = end
        fixed = edge.end_points()[0 if end == "target" else 1]
        self.guide = QGraphicsLineItem(QLineF(fixed, fixed))
        self.guide.setPen(_guide_pen(scene))
        self.guide.setZValue(Z_GESTURE)
        scene.addItem(self.guide)
        self.edge.setOpacity(0.35)

    def mouse_move(self, pos: QPointF) -> None:
        line = self.guide.line()
        self.guide.setLine(QLineF(line.p1(), pos))

    def mouse_release(self, pos: QPointF) -> None:
        target = self.scene.node_item_at(pos, exclude=self.guide)
        edge_id, end = self.edge.edge_id, self.end_name
        current = self.edge.target if end == "target" else self.edge.source
        self.end()
        if target is not None and target is not current:
            self.scene.execute(SetEdgeFields(edge_id, {end: target.node_id}))

    def _cleanup(self) -> None:
        self.edge.setOpacity(1.0)
        self.scene.removeItem(self.guide)


class LaneResizeInteraction(Interaction):
    """Drag a lane's bottom border; on release, one op resizes it and moves the lanes below."""

    def __init__(self, scene: DiagramScene, lane_id: str, top: float, height: float, width: float):
        super().__init__(scene)
        self.lane_id = lane_id
        self.top = top
        self.height = height
        self.guide = QGraphicsLineItem(QLineF(-LANE_HEADER_WIDTH, top + height, width, top + height))
        self.guide.setPen(_guide_pen(scene, dashed=False))
        self.guide.setZValue(Z_GESTURE)
        scene.addItem(self.guide)

    def mouse_move(self, pos: QPointF) -> None:
        y = max(pos.y(), self.top + 40.0)
        line = self.guide.line()
        self.guide.setLine(QLineF(line.x1(), y, line.x2(), y))

    def mouse_release(self, pos: QPointF) -> None:
        self.mouse_move(pos)
        new_height = self.guide.line().y1() - self.top
        self.end()
        if abs(new_height - self.height) < 1.0:
            return
        self.scene.execute_builder(lambda doc: resize_lane_op(doc, self.lane_id, new_height))

    def _cleanup(self) -> None:
        self.scene.removeItem(self.guide)
