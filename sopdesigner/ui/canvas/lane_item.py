"""``LaneItem``: one swimlane band with its role name in the header column (x < 0).

Lanes alternate two subtle fills; the bottom border is a resize handle (the scene runs the
gesture). The item draws a snapshot (role name, top, height, width) and never edits the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.model.geometry import LANE_HEADER_WIDTH
from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.style import Z_LANE, Theme

BORDER_HIT = 4.0


@dataclass(frozen=True)
class LaneSnapshot:
    id: str
    role_id: str
    role_name: str
    index: int
    top: float
    height: float
    width: float  # of the band, from x = 0 to the right


class LaneItem(QGraphicsItem):
    def __init__(self, snapshot: LaneSnapshot, theme: Theme):
        super().__init__()
        self.lane_id = snapshot.id
        self._snap = snapshot
        self._theme = theme
        self._lines: dict[int, list[str]] = {}  # wrapped role name per font size
        self.setZValue(Z_LANE)
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        # exposedRect in paint(): a drag repaints a few nodes' worth of a band thousands of
        # units wide, so only that part of the band and its borders is drawn.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    @property
    def snapshot(self) -> LaneSnapshot:
        return self._snap

    def set_snapshot(self, snapshot: LaneSnapshot) -> None:
        self.prepareGeometryChange()
        self._snap = snapshot
        self._lines = {}
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def boundingRect(self) -> QRectF:
        s = self._snap
        return QRectF(-LANE_HEADER_WIDTH, s.top, LANE_HEADER_WIDTH + s.width, s.height).adjusted(0, -1, 1, 1)

    def header_rect(self) -> QRectF:
        s = self._snap
        return QRectF(-LANE_HEADER_WIDTH, s.top, LANE_HEADER_WIDTH, s.height)

    def in_header(self, scene_pos: QPointF) -> bool:
        return self.header_rect().contains(scene_pos)

    def on_bottom_border(self, scene_pos: QPointF) -> bool:
        s = self._snap
        return (
            abs(scene_pos.y() - (s.top + s.height)) <= BORDER_HIT
            and -LANE_HEADER_WIDTH <= scene_pos.x() <= s.width
        )

    def hoverMoveEvent(self, event) -> None:
        if self.on_bottom_border(event.scenePos()):
            self.setCursor(Qt.CursorShape.SizeVerCursor)
        else:
            self.unsetCursor()
        super().hoverMoveEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.unsetCursor()
        super().hoverLeaveEvent(event)

    def _overview_px(self) -> int:
        """The largest font size (≤ 24) at which every word of every lane's role name fits the
        header: one size for all lanes, so the column reads evenly."""
        lanes = getattr(self.scene(), "_lanes", {}) or {"": self}
        words = [w for lane in lanes.values() for w in lane._snap.role_name.split()] or [""]
        for px in (24, 22, 20, 18):
            fm = text.metrics(px, True)
            if max(fm.horizontalAdvance(w) for w in words) <= LANE_HEADER_WIDTH - 14:
                return px
        return 16

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        s, t = self._snap, self._theme
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        # The exposed part, with a few pixels to spare: the painter clips to the repainted area
        # anyway, so cut edges and line ends stay outside it and the pixels are as before.
        pad = 3.0 / max(lod, 1e-3)
        exposed = option.exposedRect.adjusted(-pad, -pad, pad, pad)  # type: ignore[attr-defined]
        left, right = max(-LANE_HEADER_WIDTH, exposed.left()), min(s.width, exposed.right())
        band = QRectF(0, s.top, s.width, s.height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(t.color("lane_fill_a" if s.index % 2 == 0 else "lane_fill_b"))
        painter.drawRect(band.intersected(exposed))
        header = self.header_rect()
        header_shown = header.intersects(exposed)
        if header_shown:
            painter.setBrush(t.color("lane_header_fill"))
            painter.drawRect(header)
        border = QPen(t.color("lane_border"), 1.0)
        painter.setPen(border)
        if left < right:
            painter.drawLine(QPointF(left, s.top + s.height), QPointF(right, s.top + s.height))
            if s.index == 0:
                painter.drawLine(QPointF(left, s.top), QPointF(right, s.top))
        if left <= 0 <= right:
            painter.drawLine(QPointF(0, s.top), QPointF(0, s.top + s.height))
        if lod < 0.12 or not header_shown:
            return
        # Zoomed out (a whole SOP on a projector) the role name is drawn larger so it stays legible.
        px = 13 if lod >= 0.5 else self._overview_px()
        fm = text.metrics(px, True)
        lines = self._lines.get(px)
        if lines is None:
            max_lines = max(1, int((s.height - 12) // fm.height()))
            lines = self._lines[px] = text.wrap(s.role_name, fm, LANE_HEADER_WIDTH - 14, min(max_lines, 4))
        painter.setFont(text.font(px, True))
        painter.setPen(t.color("lane_header_text"))
        block = fm.height() * len(lines)
        y = header.center().y() - block / 2
        for line in lines:
            painter.drawText(
                QRectF(header.left() + 7, y, LANE_HEADER_WIDTH - 14, fm.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
            y += fm.height()
