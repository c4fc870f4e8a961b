"""``EdgeItem``: a connector drawn between two node items, routed orthogonally border to border.

The arrowhead sits on the target's border and the hit area is wider than the pen (as in
Qt's diagramscene ``Arrow``). The item follows its nodes live: ``NodeItem.move_to`` calls
``adjust()``. Rework edges are dashed and drawn in their own colour.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.model.enums import EdgeKind
from sopdesigner.model.routing import Pt, crosses_outlines, route
from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.snapshot import EdgeSnapshot
from sopdesigner.ui.canvas.style import Z_EDGE, Theme

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.node_item import NodeItem

ARROW = 11.0
HANDLE_RADIUS = 5.0
HANDLE_HIT = 9.0
HIT_WIDTH = 10.0
_MARGIN = max(HIT_WIDTH / 2, ARROW) + HANDLE_HIT  # bounds around the route: hit area, arrow, handles
#: Below this zoom edges are drawn without arrowheads (an 11-unit arrow is under 3 px there).
LOD_ARROW = 0.25
#: Looked up once: reading a Qt enum member goes through Python's enum machinery per item.
_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
#: In the overview layer (see overview_layer): Qt skips the item while painting.
_IN_LAYER = _SELECTABLE | QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def clip_to_outline(inside: Pt, outside: Pt, outline: QPainterPath, origin: Pt) -> Pt:
    """Where the segment from ``inside`` (in the shape) to ``outside`` crosses the outline."""
    lo, hi = 0.0, 1.0
    (ix, iy), (ox, oy) = inside, outside
    for _ in range(20):
        mid = (lo + hi) / 2
        if outline.contains(QPointF(ix + (ox - ix) * mid - origin[0], iy + (oy - iy) * mid - origin[1])):
            lo = mid
        else:
            hi = mid
    return ix + (ox - ix) * hi, iy + (oy - iy) * hi


def arrow_head(tip: Pt, before: Pt, size: float = ARROW) -> QPolygonF:
    dx, dy = before[0] - tip[0], before[1] - tip[1]
    if dx * dx + dy * dy < 1e-4:
        return QPolygonF()
    angle = math.atan2(dy, dx)
    spread = math.pi / 7
    x, y = tip
    return QPolygonF(
        [
            QPointF(x, y),
            QPointF(x + math.cos(angle + spread) * size, y + math.sin(angle + spread) * size),
            QPointF(x + math.cos(angle - spread) * size, y + math.sin(angle - spread) * size),
        ]
    )


@cache
def _pens(theme: Theme, rework: bool) -> tuple[QPen, QBrush, QPen, QBrush, QPen]:
    """(line pen, arrow brush, selected pen, handle brush, label pen), shared by all edges of a kind."""
    colour = theme.color("edge_rework") if rework else theme.color("edge")
    pen = QPen(colour, 1.8, Qt.PenStyle.DashLine if rework else Qt.PenStyle.SolidLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    sel = QPen(theme.color("selection"), 3.0)
    sel.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen, QBrush(colour), sel, QBrush(theme.color("selection")), QPen(colour, 0.8)


_NO_RECT = QRectF()  # shared by every unlabelled connector; never changed in place


@lru_cache(maxsize=4096)
def _label_box(label: str) -> tuple[str, float, float]:
    """(shown text, width, height) of a connector label: many connectors share a few labels."""
    fm = text.metrics(10)
    shown = text.elide(label, fm, 160)
    return shown, fm.horizontalAdvance(shown) + 8, fm.height() + 2


class EdgeItem(QGraphicsItem):
    """A connector; ``edge_id`` names the model edge. The item lives at (0, 0): its path is in scene units."""

    def __init__(
        self,
        snapshot: EdgeSnapshot,
        source: NodeItem,
        target: NodeItem,
        theme: Theme,
        *,
        in_layer: bool = False,
        points: list[Pt] | None = None,
    ):
        """``points``: the route ``adjust`` would compute now, made ahead (``prepared``)."""
        super().__init__()
        self.edge_id = snapshot.id
        #: Drawn by the scene's overview layer, not by paint() (see overview_layer).
        self.in_layer = in_layer
        self._snap = snapshot
        self.source = source
        self.target = target
        self._theme = theme
        # _set_route() below sets the points, bounds and label box, and clears the line, the
        # arrowhead and the hit shape: they are built from the points on first paint (the
        # arrowhead only at a zoom that shows it) and first hit test, so opening a document
        # only routes each connector and sizes its bounds.
        self._points: list[Pt]
        self._line: QPolygonF | None
        self._arrow: QPolygonF | None
        self._shape: QPainterPath | None
        self.setFlags(_IN_LAYER if in_layer else _SELECTABLE)
        if Z_EDGE:  # Qt's default z is 0: one call into Qt per connector saved on every open
            self.setZValue(Z_EDGE)
        self._build_pens()
        source.edges.append(self)
        target.edges.append(self)
        # Not in a scene yet: no geometry change to announce.
        self._set_route(points if points is not None else self._route())

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
        rework = self._snap.kind is EdgeKind.REWORK
        self._pen, self._brush, self._selected_pen, self._handle_brush, self._label_pen = _pens(
            self._theme, rework
        )

    # -- geometry ---------------------------------------------------------------------------
    def points(self) -> list[QPointF]:
        return [QPointF(x, y) for x, y in self._points]

    def end_points(self) -> tuple[QPointF, QPointF]:
        return QPointF(*self._points[0]), QPointF(*self._points[-1])

    def translate(self, dx: float, dy: float) -> None:
        """Move the route by (dx, dy) without routing it again: both its nodes moved by that
        much (the end of a dragged selection; ``carried_edges``)."""
        self.prepareGeometryChange()
        self._points = [(x + dx, y + dy) for x, y in self._points]
        self._line = self._arrow = None
        self._shape = None
        self._bounds = self._bounds.translated(dx, dy)
        if self._label_text:
            self._label_rect = self._label_rect.translated(dx, dy)

    def adjust(self) -> None:
        """Re-route from the nodes' current positions (called live during drags)."""
        pts = self._route()
        self.prepareGeometryChange()
        before = self._bounds
        self._set_route(pts)
        if self.in_layer and (scene := self.scene()) is not None:
            # Re-routed live (a drag of a node at its other end): Qt ignores updates from an
            # item without contents, so the overview layer repaints where it was and is.
            scene.overview_changed(self._bounds.united(before))  # type: ignore[attr-defined]

    def _route(self) -> list[Pt]:
        """The route between the nodes' current boxes, clipped to their outlines if they overlap."""
        src, dst = self.source, self.target
        s, t = src.box(), dst.box()
        pts = route(s, t)
        if crosses_outlines(pts, s):
            sc, tc = pts
            pts = [
                clip_to_outline(sc, tc, src.outline(), sc),
                clip_to_outline(tc, sc, dst.outline(), tc),
            ]
        return pts

    def _set_route(self, pts: list[Pt]) -> None:
        """Take ``pts`` as the route and size the bounds to it."""
        self._points = pts
        self._line = self._arrow = None
        # The wide hit shape is built on first use (hit tests, rubber band), not on every move.
        self._shape = None
        x0, y0 = x1, y1 = pts[0]
        for x, y in pts:  # two or four points: plain comparisons beat min()/max() here
            if x < x0:
                x0 = x
            elif x > x1:
                x1 = x
            if y < y0:
                y0 = y
            elif y > y1:
                y1 = y
        bounds = QRectF(x0 - _MARGIN, y0 - _MARGIN, x1 - x0 + 2 * _MARGIN, y1 - y0 + 2 * _MARGIN)
        if self._snap.label:
            self._label_rect = self._compute_label_rect()
            bounds = bounds.united(self._label_rect.adjusted(-2, -2, 2, 2))
        else:
            self._label_rect, self._label_text = _NO_RECT, ""
        self._bounds = bounds

    def _polyline(self) -> QPolygonF:
        """The current route as a polyline."""
        if self._line is None:
            self._line = QPolygonF([QPointF(x, y) for x, y in self._points])
        return self._line

    def _arrowhead(self) -> QPolygonF:
        """The arrowhead at the target end of the current route."""
        if self._arrow is None:
            pts = self._points
            self._arrow = arrow_head(pts[-1], pts[-2])
        return self._arrow

    def _label_anchor(self) -> QPointF:
        pts = self._points
        a, b = (pts[1], pts[2]) if len(pts) == 4 else (pts[0], pts[-1])
        return QPointF((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)

    def _compute_label_rect(self) -> QRectF:
        if not self._snap.label:
            self._label_text = ""
            return QRectF()
        self._label_text, w, h = _label_box(self._snap.label)
        c = self._label_anchor()
        return QRectF(c.x() - w / 2, c.y() - h / 2, w, h)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            path = QPainterPath()
            path.addPolygon(self._polyline())  # an open polyline: the stroker outlines it, never closes it
            stroker = QPainterPathStroker()
            stroker.setWidth(HIT_WIDTH)
            shape = stroker.createStroke(path)
            shape.addPolygon(self._arrowhead())
            if not self._label_rect.isNull():
                shape.addRect(self._label_rect)
            self._shape = shape
        return self._shape

    def handle_at(self, scene_pos: QPointF) -> str | None:
        """ "source" or "target" when ``scene_pos`` is on a selected edge's end handle."""
        if not self.isSelected() or not self._points:
            return None
        x, y = scene_pos.x(), scene_pos.y()
        for end, (px, py) in (("target", self._points[-1]), ("source", self._points[0])):
            if (x - px) ** 2 + (y - py) ** 2 <= HANDLE_HIT * HANDLE_HIT:
                return end
        return None

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        selected = self.isSelected()
        line = self._polyline()
        if selected:
            painter.setPen(self._selected_pen)
            painter.drawPolyline(line)
        painter.setPen(self._pen)
        painter.drawPolyline(line)  # a polyline needs no brush, unlike an open path
        if lod < LOD_ARROW and not selected:
            return  # arrowheads would be under a pixel: the overview draws lines only
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._brush)
        painter.drawPolygon(self._arrowhead())
        if self._label_text and lod >= 0.5:
            t = self._theme
            painter.setBrush(t.color("edge_label_fill"))
            painter.setPen(self._label_pen)
            painter.drawRoundedRect(self._label_rect, 3, 3)
            painter.setFont(text.font(10))
            painter.setPen(t.color("edge_label_text"))
            painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self._label_text)
        if selected:
            painter.setBrush(self._handle_brush)
            painter.setPen(QPen(self._theme.color("node_fill"), 1.5))
            for x, y in (self._points[0], self._points[-1]):
                painter.drawEllipse(QPointF(x, y), HANDLE_RADIUS, HANDLE_RADIUS)
