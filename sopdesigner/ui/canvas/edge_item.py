"""``EdgeItem``: a connector drawn between two node items, routed orthogonally border to border.

The arrowhead sits on the target's border and the hit area is wider than the pen (as in
Qt's diagramscene ``Arrow``). The item follows its nodes live: a node's ``itemChange`` calls
``adjust()``. Rework edges are dashed and drawn in their own colour.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.model.enums import EdgeKind
from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.snapshot import EdgeSnapshot
from sopdesigner.ui.canvas.style import Z_EDGE, Z_SELECTED_EDGE, Theme

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.node_item import NodeItem

ARROW = 11.0
HANDLE_RADIUS = 5.0
HANDLE_HIT = 9.0
GAP = 20.0  # how far apart boxes must be before a side-to-side elbow is used
HIT_WIDTH = 10.0


def route(s: QRectF, t: QRectF) -> list[QPointF]:
    """Points of an orthogonal route from box ``s`` to box ``t``, starting and ending on their borders."""
    sc, tc = s.center(), t.center()
    if t.left() >= s.right() + GAP:
        return _elbow_h(QPointF(s.right(), sc.y()), QPointF(t.left(), tc.y()))
    if t.right() <= s.left() - GAP and abs(tc.y() - sc.y()) < (s.height() + t.height()) / 2:
        # Backwards on the same row (a rework loop): go over the top rather than through nodes.
        y = min(s.top(), t.top()) - 30.0
        return [QPointF(sc.x(), s.top()), QPointF(sc.x(), y), QPointF(tc.x(), y), QPointF(tc.x(), t.top())]
    if t.top() >= s.bottom() + GAP:
        return _elbow_v(QPointF(sc.x(), s.bottom()), QPointF(tc.x(), t.top()))
    if t.bottom() <= s.top() - GAP:
        return _elbow_v(QPointF(sc.x(), s.top()), QPointF(tc.x(), t.bottom()))
    if t.right() <= s.left() - GAP:
        return _elbow_h(QPointF(s.left(), sc.y()), QPointF(t.right(), tc.y()))
    return [sc, tc]  # overlapping boxes: a straight line, clipped to the outlines by the caller


def _elbow_h(a: QPointF, b: QPointF) -> list[QPointF]:
    if abs(a.y() - b.y()) < 0.5:
        return [a, b]
    mx = (a.x() + b.x()) / 2
    return [a, QPointF(mx, a.y()), QPointF(mx, b.y()), b]


def _elbow_v(a: QPointF, b: QPointF) -> list[QPointF]:
    if abs(a.x() - b.x()) < 0.5:
        return [a, b]
    my = (a.y() + b.y()) / 2
    return [a, QPointF(a.x(), my), QPointF(b.x(), my), b]


def clip_to_outline(inside: QPointF, outside: QPointF, outline: QPainterPath, origin: QPointF) -> QPointF:
    """Where the segment from ``inside`` (in the shape) to ``outside`` crosses the outline."""
    lo, hi = 0.0, 1.0
    for _ in range(20):
        mid = (lo + hi) / 2
        p = inside + (outside - inside) * mid
        if outline.contains(p - origin):
            lo = mid
        else:
            hi = mid
    return inside + (outside - inside) * hi


def arrow_head(tip: QPointF, before: QPointF, size: float = ARROW) -> QPolygonF:
    line = QLineF(tip, before)
    if line.length() < 0.01:
        return QPolygonF()
    angle = math.atan2(line.dy(), line.dx())
    spread = math.pi / 7
    p1 = tip + QPointF(math.cos(angle + spread) * size, math.sin(angle + spread) * size)
    p2 = tip + QPointF(math.cos(angle - spread) * size, math.sin(angle - spread) * size)
    return QPolygonF([tip, p1, p2])


class EdgeItem(QGraphicsItem):
    """A connector; ``edge_id`` names the model edge. The item lives at (0, 0): its path is in scene units."""

    def __init__(self, snapshot: EdgeSnapshot, source: NodeItem, target: NodeItem, theme: Theme):
        super().__init__()
        self.edge_id = snapshot.id
        self._snap = snapshot
        self.source = source
        self.target = target
        self._theme = theme
        self._path = QPainterPath()
        self._points: list[QPointF] = []
        self._arrow = QPolygonF()
        self._label_rect = QRectF()
        self._bounds = QRectF()
        self._shape = QPainterPath()
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_EDGE)
        self._build_pens()
        source.edges.append(self)
        target.edges.append(self)
        self.adjust()

    @property
    def snapshot(self) -> EdgeSnapshot:
        return self._snap

    def set_snapshot(self, snapshot: EdgeSnapshot, source: NodeItem, target: NodeItem) -> None:
        if source is not self.source or target is not self.target:
            self.detach()
            self.source, self.target = source, target
            source.edges.append(self)
            target.edges.append(self)
        self._snap = snapshot
        self._build_pens()
        self.adjust()

    def detach(self) -> None:
        """Forget the node items (before this item is removed from the scene)."""
        for node in (self.source, self.target):
            if self in node.edges:
                node.edges.remove(self)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._build_pens()
        self.update()

    def _build_pens(self) -> None:
        t = self._theme
        rework = self._snap.kind is EdgeKind.REWORK
        colour = t.color("edge_rework") if rework else t.color("edge")
        pen = QPen(colour, 1.8, Qt.PenStyle.DashLine if rework else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        self._pen = pen
        self._brush = QBrush(colour)
        sel = QPen(t.color("selection"), 3.0)
        sel.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        self._selected_pen = sel
        self._handle_brush = QBrush(t.color("selection"))

    # -- geometry ---------------------------------------------------------------------------
    def points(self) -> list[QPointF]:
        return list(self._points)

    def end_points(self) -> tuple[QPointF, QPointF]:
        return self._points[0], self._points[-1]

    def adjust(self) -> None:
        """Re-route from the nodes' current positions (called live during drags)."""
        s, t = self.source.scene_box(), self.target.scene_box()
        pts = route(s, t)
        if len(pts) == 2 and pts[0] == s.center():
            pts = [
                clip_to_outline(s.center(), t.center(), self.source.outline(), self.source.pos()),
                clip_to_outline(t.center(), s.center(), self.target.outline(), self.target.pos()),
            ]
        self.prepareGeometryChange()
        self._points = pts
        path = QPainterPath(pts[0])
        for p in pts[1:]:
            path.lineTo(p)
        self._path = path
        self._arrow = arrow_head(pts[-1], pts[-2])
        self._label_rect = self._compute_label_rect()
        stroker = QPainterPathStroker()
        stroker.setWidth(HIT_WIDTH)
        shape = stroker.createStroke(path)
        shape.addPolygon(self._arrow)
        if not self._label_rect.isNull():
            shape.addRect(self._label_rect)
        self._shape = shape
        self._bounds = shape.boundingRect().adjusted(-HANDLE_HIT, -HANDLE_HIT, HANDLE_HIT, HANDLE_HIT)

    def _label_anchor(self) -> QPointF:
        pts = self._points
        if len(pts) == 4:
            return (pts[1] + pts[2]) / 2
        return (pts[0] + pts[-1]) / 2

    def _compute_label_rect(self) -> QRectF:
        if not self._snap.label:
            return QRectF()
        fm = text.metrics(10)
        label = text.elide(self._snap.label, fm, 160)
        w, h = fm.horizontalAdvance(label) + 8, fm.height() + 2
        c = self._label_anchor()
        return QRectF(c.x() - w / 2, c.y() - h / 2, w, h)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._shape

    def handle_at(self, scene_pos: QPointF) -> str | None:
        """ "source" or "target" when ``scene_pos`` is on a selected edge's end handle."""
        if not self.isSelected() or not self._points:
            return None
        for end, p in (("target", self._points[-1]), ("source", self._points[0])):
            d = scene_pos - p
            if d.x() * d.x() + d.y() * d.y() <= HANDLE_HIT * HANDLE_HIT:
                return end
        return None

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(Z_SELECTED_EDGE if value else Z_EDGE)
        return super().itemChange(change, value)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        selected = self.isSelected()
        if selected:
            painter.setPen(self._selected_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._brush)
        painter.drawPolygon(self._arrow)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if not self._label_rect.isNull() and lod >= 0.5:
            t = self._theme
            painter.setBrush(t.color("edge_label_fill"))
            painter.setPen(
                QPen(t.color("edge_rework") if self._snap.kind is EdgeKind.REWORK else t.color("edge"), 0.8)
            )
            painter.drawRoundedRect(self._label_rect, 3, 3)
            painter.setFont(text.font(10))
            painter.setPen(t.color("edge_label_text"))
            fm = text.metrics(10)
            painter.drawText(
                self._label_rect,
                Qt.AlignmentFlag.AlignCenter,
                text.elide(self._snap.label, fm, self._label_rect.width() - 6),
            )
        if selected:
            painter.setBrush(self._handle_brush)
            painter.setPen(QPen(self._theme.color("node_fill"), 1.5))
            for p in (self._points[0], self._points[-1]):
                painter.drawEllipse(p, HANDLE_RADIUS, HANDLE_RADIUS)
