"""``NodeItem``: one custom item per node — its shape per kind, title, owner, status, badges, ports.

The item draws a ``NodeSnapshot`` and nothing else; it never touches the model. Pens, brushes
and outline paths are built once per kind/theme; text is laid out lazily on the first detailed
paint and skipped entirely below ``LOD_TEXT`` zoom (level of detail).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.model.enums import NodeKind, Status
from sopdesigner.model.geometry import NODE_SIZES
from sopdesigner.model.status import STATUS_STYLES
from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.node_layout import Layout, compute_layout, content_rect, outline_path
from sopdesigner.ui.canvas.snapshot import NodeSnapshot
from sopdesigner.ui.canvas.style import Z_NODE, Theme, status_colour, status_text_colour

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.edge_item import EdgeItem

#: Below this zoom, nodes show only a big title and their status glyph (overview level of detail);
#: below ``LOD_SHAPES`` they are bare shapes, so a 5,000-node diagram at fit stays cheap to paint.
LOD_TEXT = 0.5
LOD_SHAPES = 0.18
OVERVIEW_TITLE_PX = 20
PORT_RADIUS = 5.0
PORT_HIT = 9.0
SIDES = ("top", "right", "bottom", "left")
_MARGIN = PORT_RADIUS + 4.0  # room outside the outline for ports and the selection ring
#: Looked up once: reading a Qt enum member goes through Python's enum machinery per item.
_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
#: In the overview layer (see overview_layer): Qt skips the item while painting.
_IN_LAYER = _SELECTABLE | QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


@dataclass(frozen=True)
class _Geometry:
    w: float
    h: float
    outline: QPainterPath
    inner: QPainterPath
    bounds: QRectF
    content: QRectF


@cache
def _geometry(kind: NodeKind) -> _Geometry:
    """Outline paths and boxes, shared by every node of a kind (QPainterPath is copy-on-write)."""
    w, h = NODE_SIZES[kind]
    inner = QPainterPath()
    if kind is NodeKind.CHECKPOINT:
        # A second, inner border: the checkpoint's "gate" look that survives a grey-scale print.
        inner = outline_path(NodeKind.CHECKPOINT, w - 8, h - 8)
    bounds = QRectF(-w / 2, -h / 2, w, h).adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
    return _Geometry(w, h, outline_path(kind, w, h), inner, bounds, content_rect(kind, w, h))


@dataclass(frozen=True)
class _Pens:
    fill: QBrush
    status: QPen
    inner: QPen
    selection: QPen
    port_brush: QBrush
    port_pen: QPen
    pending: QPen  # dashed outline of a role badge still waiting for its sign-off


def _blend(base: QColor, over: QColor, amount: float) -> QColor:
    return QColor(
        round(base.red() + (over.red() - base.red()) * amount),
        round(base.green() + (over.green() - base.green()) * amount),
        round(base.blue() + (over.blue() - base.blue()) * amount),
    )


@cache
def _pens(theme: Theme, kind: NodeKind, status: Status) -> _Pens:
    """Pens and brushes shared by every node with the same theme, kind and status."""
    t = theme
    if kind is NodeKind.NOTE:
        fill = t.color("note_fill")
        status_pen = QPen(t.color("note_border"), 1.5)
    else:
        fill = t.color("terminal_fill") if kind in (NodeKind.START, NodeKind.END) else t.color("node_fill")
        if status is not Status.NOT_STARTED:
            # A tint of the status colour fills the node, so a room reads the diagram's state at a
            # glance on a projector, even zoomed out; the outline, chip, glyph and label still say it.
            fill = _blend(fill, status_colour(status), 0.22 if fill.lightness() > 128 else 0.32)
        status_pen = QPen(status_colour(status), 3.0)
    status_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    sel = QPen(t.color("selection"), 2.0, Qt.PenStyle.DashLine)
    sel.setCosmetic(True)
    pending = QPen(t.color("node_subtext"), 1.0, Qt.PenStyle.DashLine)
    return _Pens(
        QBrush(fill),
        status_pen,
        QPen(t.color("node_border"), 1.0),
        sel,
        QBrush(t.color("port")),
        QPen(t.color("node_fill"), 1.5),
        pending,
    )


class NodeItem(QGraphicsItem):
    """A node on the canvas. ``node_id`` names the model node; ``status_colour()`` is what is drawn."""

    def __init__(self, snapshot: NodeSnapshot, theme: Theme, *, in_layer: bool = False):
        super().__init__()
        self.node_id = snapshot.id
        #: Drawn by the scene's overview layer, not by paint() (see overview_layer); the scene
        #: repaints the layer after every model change it applies.
        self.in_layer = in_layer
        self._snap = snapshot
        self._theme = theme
        self._review = False
        self._hover = False
        self._layout: Layout | None = None
        self._overview_lines: list[str] | None = None
        self.edges: list[EdgeItem] = []
        # No ItemSendsGeometryChanges and no Python itemChange: every move of a node goes
        # through move_to(), which re-routes its edges; this keeps building 1,000 items cheap.
        self.setFlags(_IN_LAYER if in_layer else _SELECTABLE)
        self.setAcceptHoverEvents(True)
        self.setZValue(Z_NODE)
        self._build_geometry()
        self.setPos(snapshot.x, snapshot.y)

    # -- state from the scene ---------------------------------------------------------------
    @property
    def snapshot(self) -> NodeSnapshot:
        return self._snap

    @property
    def kind(self) -> NodeKind:
        return self._snap.kind

    def set_snapshot(self, snapshot: NodeSnapshot) -> None:
        if snapshot.kind is not self._snap.kind:
            self.prepareGeometryChange()
            self._snap = snapshot
            self._build_geometry()
        status_changed = snapshot.status is not self._snap.status
        self._snap = snapshot
        if status_changed:
            self._build_pens()
        self._layout = None
        self._overview_lines = None
        if (self.pos().x(), self.pos().y()) != (snapshot.x, snapshot.y):
            self.move_to(QPointF(snapshot.x, snapshot.y))
        self.update()

    def move_to(self, pos: QPointF) -> None:
        """Move the item (drag, model update) and re-route its edges at once."""
        self.setPos(pos)
        for edge in self.edges:
            edge.adjust()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._build_pens()
        self._layout = None
        self.update()

    def set_review_mode(self, on: bool) -> None:
        self._review = on
        self._layout = None
        self.prepareGeometryChange()
        self.update()

    def status_colour(self) -> QColor:
        """The status colour this item draws (outline and chip)."""
        return QColor(self._status_pen.color())

    def status(self) -> Status:
        return self._snap.status

    # -- geometry ---------------------------------------------------------------------------
    def _build_geometry(self) -> None:
        g = _geometry(self._snap.kind)
        self._w, self._h = g.w, g.h
        self.half_width = g.w / 2
        self._outline = g.outline
        self._inner_outline = g.inner
        self._bounds = g.bounds
        self._content = g.content
        self._build_pens()

    def _build_pens(self) -> None:
        p = _pens(self._theme, self._snap.kind, self._snap.status)
        self._fill = p.fill
        self._status_pen = p.status
        self._inner_pen = p.inner
        self._selection_pen = p.selection
        self._port_brush = p.port_brush
        self._port_pen = p.port_pen
        self._pending_pen = p.pending

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath(self._outline)
        if self.ports_enabled():
            for p in self.port_points().values():
                path.addEllipse(p, PORT_HIT, PORT_HIT)
        return path

    def outline(self) -> QPainterPath:
        return self._outline

    def size(self) -> tuple[float, float]:
        return self._w, self._h

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the outline in scene units, as plain floats (edge routing)."""
        x, y, hw, hh = self.x(), self.y(), self._w / 2, self._h / 2
        return x - hw, y - hh, x + hw, y + hh

    def scene_box(self) -> QRectF:
        """The outline's bounding box in scene coordinates."""
        p = self.pos()
        return QRectF(p.x() - self._w / 2, p.y() - self._h / 2, self._w, self._h)

    def port_points(self) -> dict[str, QPointF]:
        w, h = self._w / 2, self._h / 2
        return {
            "top": QPointF(0, -h),
            "right": QPointF(w, 0),
            "bottom": QPointF(0, h),
            "left": QPointF(-w, 0),
        }

    def ports_enabled(self) -> bool:
        return not self._review and self._snap.kind is not NodeKind.NOTE

    def port_at(self, scene_pos: QPointF) -> str | None:
        """The port under ``scene_pos`` (a side name), or None."""
        if not self.ports_enabled():
            return None
        local = self.mapFromScene(scene_pos)
        for side, p in self.port_points().items():
            d = local - p
            if d.x() * d.x() + d.y() * d.y() <= PORT_HIT * PORT_HIT:
                return side
        return None

    def title_rect(self) -> QRectF:
        """The title's box in item coordinates (for double-click-to-rename and the inline editor)."""
        return self._ensure_layout().title_rect

    # -- Qt overrides -------------------------------------------------------------------------
    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverMoveEvent(self, event) -> None:
        over_port = self.port_at(event.scenePos()) is not None
        self.setCursor(Qt.CursorShape.CrossCursor if over_port else Qt.CursorShape.ArrowCursor)
        super().hoverMoveEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self.unsetCursor()
        self.update()
        super().hoverLeaveEvent(event)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setBrush(self._fill)
        painter.setPen(self._status_pen)
        painter.drawPath(self._outline)
        if lod < LOD_TEXT:
            if lod >= LOD_SHAPES:
                self._paint_overview(painter)
            if self.isSelected():
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(self._selection_pen)
                painter.drawRect(QRectF(-self._w / 2 - 4, -self._h / 2 - 4, self._w + 8, self._h + 8))
            return
        if not self._inner_outline.isEmpty():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(self._inner_pen)
            painter.drawPath(self._inner_outline)
        if self._snap.kind is NodeKind.NOTE:
            self._paint_fold(painter)
        self._paint_text(painter, self._ensure_layout())
        if self.isSelected():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(self._selection_pen)
            painter.drawRect(QRectF(-self._w / 2 - 4, -self._h / 2 - 4, self._w + 8, self._h + 8))
        if (self._hover or self.isSelected()) and self.ports_enabled():
            painter.setBrush(self._port_brush)
            painter.setPen(self._port_pen)
            for p in self.port_points().values():
                painter.drawEllipse(p, PORT_RADIUS, PORT_RADIUS)

    # -- drawing helpers ----------------------------------------------------------------------
    def _paint_overview(self, painter: QPainter) -> None:
        """Zoomed out (a whole SOP on a projector): the title in a large font so it stays
        legible, with the status glyph; badges and owner are dropped."""
        if self._overview_lines is None:
            fm = text.metrics(OVERVIEW_TITLE_PX, True)
            glyph = STATUS_STYLES[self._snap.status].glyph if self._snap.kind is not NodeKind.NOTE else ""
            title = f"{glyph} {self._snap.title}" if glyph else self._snap.title
            self._overview_lines = text.wrap(title, fm, self._content.width(), 3)
        painter.setPen(self._theme.color("node_text"))
        line_h = OVERVIEW_TITLE_PX * 1.2
        y = self._content.center().y() - line_h * len(self._overview_lines) / 2
        for line in self._overview_lines:
            text.draw(
                painter,
                QRectF(self._content.left(), y, self._content.width(), line_h),
                line,
                OVERVIEW_TITLE_PX,
                True,
            )
            y += line_h

    def _paint_fold(self, painter: QPainter) -> None:
        f = 16.0
        r = QRectF(-self._w / 2, -self._h / 2, self._w, self._h)
        fold = QPainterPath(QPointF(r.right() - f, r.top()))
        fold.lineTo(r.right() - f, r.top() + f)
        fold.lineTo(r.right(), r.top() + f)
        painter.setPen(self._status_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(fold)

    def _paint_text(self, painter: QPainter, lay: Layout) -> None:
        t = self._theme
        if lay.top_left:
            painter.setPen(t.color("node_subtext"))
            text.draw(painter, lay.top_left_rect, lay.top_left, 10, centre=False)
        for rect, label, fill, fg in lay.badges:
            if fill is None:
                painter.setPen(self._pending_pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(fg)
            text.draw(painter, rect, label, 10, True)
        size = lay.title_px
        painter.setPen(t.color("node_text"))
        y = lay.title_rect.top()
        for line in lay.title_lines:
            line_rect = QRectF(lay.title_rect.left(), y, lay.title_rect.width(), lay.title_line_height)
            text.draw(painter, line_rect, line, size, True)
            y += lay.title_line_height
        if lay.chip_rect is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(status_colour(self._snap.status))
            painter.drawRoundedRect(lay.chip_rect, 4, 4)
            painter.setPen(status_text_colour(self._snap.status))
            text.draw(painter, lay.chip_rect, lay.chip_text, 10, True)

    def title_pixel_size(self) -> int:
        """The title's font size as drawn (review mode may fall back to the normal size)."""
        return self._ensure_layout().title_px

    def _ensure_layout(self) -> Layout:
        if self._layout is None:
            self._layout = compute_layout(self._snap, self._w, self._content, self._theme, self._review)
        return self._layout
