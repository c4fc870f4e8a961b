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
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.model.enums import NodeKind, Status
from sopdesigner.model.geometry import NODE_SIZES
from sopdesigner.model.status import STATUS_STYLES
from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.snapshot import NodeSnapshot, RoleBadge
from sopdesigner.ui.canvas.style import Z_NODE, Theme, decision_status, status_colour, status_text_colour

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.edge_item import EdgeItem

#: Below this zoom, nodes are drawn without text (level of detail).
LOD_TEXT = 0.5
PORT_RADIUS = 5.0
PORT_HIT = 9.0
SIDES = ("top", "right", "bottom", "left")
_MARGIN = PORT_RADIUS + 4.0  # room outside the outline for ports and the selection ring


def outline_path(kind: NodeKind, w: float, h: float) -> QPainterPath:
    """The node's outline, centred on (0, 0)."""
    r = QRectF(-w / 2, -h / 2, w, h)
    path = QPainterPath()
    if kind in (NodeKind.START, NodeKind.END):
        path.addRoundedRect(r, h / 2, h / 2)
    elif kind is NodeKind.STEP:
        path.addRoundedRect(r, 10, 10)
    elif kind is NodeKind.CHECKPOINT:
        c = 14.0  # cut corners: a gate reads differently from a step even in grey scale
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(r.left() + c, r.top()),
                    QPointF(r.right() - c, r.top()),
                    QPointF(r.right(), r.top() + c),
                    QPointF(r.right(), r.bottom() - c),
                    QPointF(r.right() - c, r.bottom()),
                    QPointF(r.left() + c, r.bottom()),
                    QPointF(r.left(), r.bottom() - c),
                    QPointF(r.left(), r.top() + c),
                ]
            )
        )
        path.closeSubpath()
    elif kind is NodeKind.DECISION:
        path.addPolygon(
            QPolygonF(
                [QPointF(0, r.top()), QPointF(r.right(), 0), QPointF(0, r.bottom()), QPointF(r.left(), 0)]
            )
        )
        path.closeSubpath()
    else:  # note: folded top-right corner
        f = 16.0
        path.addPolygon(
            QPolygonF(
                [
                    r.topLeft(),
                    QPointF(r.right() - f, r.top()),
                    QPointF(r.right(), r.top() + f),
                    r.bottomRight(),
                    r.bottomLeft(),
                ]
            )
        )
        path.closeSubpath()
    return path


def content_rect(kind: NodeKind, w: float, h: float) -> QRectF:
    """Where text and badges go inside the outline."""
    r = QRectF(-w / 2, -h / 2, w, h)
    if kind in (NodeKind.START, NodeKind.END):
        return r.adjusted(h / 2 - 8, 5, -(h / 2 - 8), -5)
    if kind is NodeKind.CHECKPOINT:
        return r.adjusted(12, 7, -12, -7)
    if kind is NodeKind.DECISION:
        return QRectF(-w * 0.30, -h * 0.31, w * 0.60, h * 0.62)
    if kind is NodeKind.NOTE:
        return r.adjusted(9, 7, -18, -7)
    return r.adjusted(9, 6, -9, -6)


@dataclass
class _Layout:
    """Text and badge geometry, computed once per snapshot/theme/review mode."""

    top_left: str
    top_left_rect: QRectF
    badges: list[tuple[QRectF, str, QColor | None, QColor]]  # rect, text, fill (None: outline), text colour
    title_lines: list[str]
    title_rect: QRectF
    title_line_height: float
    chip_rect: QRectF | None
    chip_text: str
    title_px: int


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


@cache
def _pens(theme: Theme, kind: NodeKind, status: Status) -> _Pens:
    """Pens and brushes shared by every node with the same theme, kind and status."""
    t = theme
    if kind is NodeKind.NOTE:
        fill = t.color("note_fill")
        status_pen = QPen(t.color("note_border"), 1.5)
    else:
        fill = t.color("terminal_fill") if kind in (NodeKind.START, NodeKind.END) else t.color("node_fill")
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

    def __init__(self, snapshot: NodeSnapshot, theme: Theme):
        super().__init__()
        self.node_id = snapshot.id
        self._snap = snapshot
        self._theme = theme
        self._review = False
        self._hover = False
        self._layout: _Layout | None = None
        self.edges: list[EdgeItem] = []
        # No ItemSendsGeometryChanges and no Python itemChange: every move of a node goes
        # through move_to(), which re-routes its edges; this keeps building 1,000 items cheap.
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
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
        p = self.pos()
        x, y, hw, hh = p.x(), p.y(), self._w / 2, self._h / 2
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
    def _paint_fold(self, painter: QPainter) -> None:
        f = 16.0
        r = QRectF(-self._w / 2, -self._h / 2, self._w, self._h)
        fold = QPainterPath(QPointF(r.right() - f, r.top()))
        fold.lineTo(r.right() - f, r.top() + f)
        fold.lineTo(r.right(), r.top() + f)
        painter.setPen(self._status_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(fold)

    def _paint_text(self, painter: QPainter, lay: _Layout) -> None:
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

    def _title_px(self) -> int:
        return 15 if self._review else 13

    def _ensure_layout(self) -> _Layout:
        if self._layout is None:
            self._layout = self._compute_layout()
        return self._layout

    def _compute_layout(self) -> _Layout:
        s = self._snap
        c = QRectF(self._content)
        kind = s.kind
        row_h = 15.0
        small = text.metrics(10, True)
        fm = text.metrics(self._title_px(), True)
        line_h = fm.height()
        specs = self._badge_specs(self._theme)
        counts = [b for b in specs if b[0] == "count"]
        roles = [b for b in specs if b[0] == "role"]
        badges: list[tuple[QRectF, str, QColor | None, QColor]] = []

        def row_width(items: list) -> float:
            return sum(b[1] for b in items) + 3 * max(len(items) - 1, 0)

        def place(items: list, y: float, right: float) -> None:
            x = right
            for _, w, label, fill, fg in reversed(items):
                x -= w
                badges.append((QRectF(x, y, w, row_h - 1), label, fill, fg))
                x -= 3

        top, bottom = c.top(), c.bottom()
        chip_rect: QRectF | None = None
        chip_text = ""
        top_left, top_left_rect = "", QRectF()
        if kind is not NodeKind.NOTE:
            # Which badges go where: the top row, beside the status chip, or a row of their own.
            style = STATUS_STYLES[s.status]
            full = f"{style.glyph} {style.label}"
            full_w = small.horizontalAdvance(full) + 10
            top_items: list = []
            chip_items: list = []
            role_row: list = []
            if kind is NodeKind.DECISION:
                top_items = counts + roles  # a diamond's lower tip only has room for the chip
            elif kind in (NodeKind.START, NodeKind.END):
                chip_items = counts + roles  # a stadium keeps its height for the title
            else:
                top_items = counts
                if not roles or full_w + 3 + row_width(roles) <= c.width():
                    chip_items = roles
                elif c.height() - 3 * (row_h + 2) >= line_h:
                    role_row = roles  # the full status label matters more than a second title line
                else:
                    chip_items = roles
            # The status chip: glyph and label, so colour is never the only signal.
            avail = max(c.width() - (row_width(chip_items) + 3 if chip_items else 0), 22.0)
            chip_text = full if full_w <= avail else text.elide(full, small, avail - 10)
            if len(chip_text) < 8:
                chip_text = style.glyph  # "○ No…" reads worse than the glyph the legend explains
            chip_w = min(small.horizontalAdvance(chip_text) + 10, avail)
            centred = kind is NodeKind.DECISION or (kind in (NodeKind.START, NodeKind.END) and not chip_items)
            chip_left = c.center().x() - chip_w / 2 if centred else c.left()
            chip_rect = QRectF(chip_left, bottom - row_h - 1, chip_w, row_h + 1)
            place(chip_items, chip_rect.top() + 1, c.right())
            bottom = chip_rect.top() - 2
            if role_row:
                place(role_row, bottom - row_h + 1, c.right())
                bottom -= row_h + 1
            used = row_width(top_items)
            if top_items:
                right = c.center().x() + used / 2 if kind is NodeKind.DECISION else c.right()
                place(top_items, c.top(), right)
            if kind in (NodeKind.STEP, NodeKind.CHECKPOINT):
                owner = ("⚑ " if kind is NodeKind.CHECKPOINT else "") + s.owner
                width = c.width() - (used + 6 if used else 0)
                top_left = text.elide(owner, text.metrics(10), width) if s.owner.strip() else ""
                top_left_rect = QRectF(c.left(), c.top(), max(width, 0.0), row_h)
            if top_left or top_items:
                top = c.top() + row_h + 1

        # Title: as many wrapped lines as fit between the rows; the last one elided. In review
        # mode the larger size is used only when the whole title fits in it without breaking a
        # word; otherwise the normal size shows more of it.
        title_w = self._w * 0.68 if kind is NodeKind.DECISION else c.width()
        sizes = (self._title_px(), 13) if self._review else (13,)
        for px in sizes:
            fm = text.metrics(px, True)
            line_h = fm.height()
            avail_h = max(bottom - top, line_h)
            lines = text.wrap(s.title, fm, title_w, max(1, int(avail_h // line_h)))
            if text.complete(s.title, lines):
                break
        block = line_h * len(lines)
        title_rect = QRectF(c.center().x() - title_w / 2, top + (avail_h - block) / 2, title_w, block)
        return _Layout(top_left, top_left_rect, badges, lines, title_rect, line_h, chip_rect, chip_text, px)

    def _badge_specs(self, t: Theme) -> list[tuple[str, float, str, QColor | None, QColor]]:
        """(kind, width, text, fill, text colour) for each badge, in drawing order."""
        s = self._snap
        fm = text.metrics(10, True)
        specs: list[tuple[str, float, str, QColor | None, QColor]] = []
        if s.checklist_total:
            label = f"☑ {s.checklist_done}/{s.checklist_total}"
            specs.append(
                (
                    "count",
                    fm.horizontalAdvance(label) + 8,
                    label,
                    t.color("badge_fill"),
                    t.color("badge_text"),
                )
            )
        if s.evidence:
            label = f"⎗ {s.evidence}" if fm.inFontUcs4(0x2397) else f"Ev {s.evidence}"
            specs.append(
                (
                    "count",
                    fm.horizontalAdvance(label) + 8,
                    label,
                    t.color("badge_fill"),
                    t.color("badge_text"),
                )
            )
        for badge in s.roles:
            label, fill, fg = _role_badge(badge, t)
            specs.append(("role", fm.horizontalAdvance(label) + 8, label, fill, fg))
        return specs


def _role_badge(badge: RoleBadge, t: Theme) -> tuple[str, QColor | None, QColor]:
    if badge.decision is None:
        return badge.abbrev, None, t.color("node_subtext")
    st = decision_status(badge.decision)
    return f"{badge.abbrev} {STATUS_STYLES[st].glyph}", status_colour(st), status_text_colour(st)
