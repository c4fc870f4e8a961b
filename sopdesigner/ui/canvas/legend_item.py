"""``LegendItem``: the status legend (colour, glyph and label of every status), drawn on the
canvas beside the request header so exports carry it too."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.model.enums import Status
from sopdesigner.model.geometry import LANE_HEADER_WIDTH
from sopdesigner.model.status import STATUS_STYLES
from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.header_item import HEADER_HEIGHT, HEADER_TOP, HEADER_WIDTH
from sopdesigner.ui.canvas.style import Z_HEADER, Theme, status_colour, status_text_colour

COLUMNS = 4
CELL_W = 192.0
LEGEND_WIDTH = COLUMNS * CELL_W + 20
LEGEND_GAP = 16.0
LEGEND_LEFT = -LANE_HEADER_WIDTH + HEADER_WIDTH + LEGEND_GAP


class LegendItem(QGraphicsItem):
    def __init__(self, theme: Theme):
        super().__init__()
        self._theme = theme
        self._left = LEGEND_LEFT
        self.setZValue(Z_HEADER)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_left(self, x: float) -> None:
        if x != self._left:
            self.prepareGeometryChange()
            self._left = x
            self.update()

    def rect(self) -> QRectF:
        return QRectF(self._left, HEADER_TOP, LEGEND_WIDTH, HEADER_HEIGHT)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-1, -1, 1, 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t = self._theme
        r = self.rect()
        painter.setPen(QPen(t.color("lane_border"), 1.0))
        painter.setBrush(t.color("header_fill"))
        painter.drawRoundedRect(r, 6, 6)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < 0.3:
            return
        title_fm = text.metrics(11, True)
        painter.setFont(text.font(11, True))
        painter.setPen(t.color("header_subtext"))
        painter.drawText(
            QRectF(r.left() + 10, r.top() + 5, r.width() - 20, title_fm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            "Status legend",
        )
        fm = text.metrics(11)
        chip_h = 18.0
        y0 = r.top() + 8 + title_fm.height()
        statuses = list(Status)
        for i, status in enumerate(statuses):
            style = STATUS_STYLES[status]
            col, row = i % COLUMNS, i // COLUMNS
            x = r.left() + 10 + col * CELL_W
            y = y0 + row * (chip_h + 6)
            chip = QRectF(x, y, 24, chip_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(status_colour(status))
            painter.drawRoundedRect(chip, 4, 4)
            painter.setFont(text.font(11, True))
            painter.setPen(status_text_colour(status))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, style.glyph)
            painter.setFont(text.font(11))
            painter.setPen(t.color("header_text"))
            painter.drawText(
                QRectF(x + 30, y, CELL_W - 34, chip_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text.elide(style.label, fm, CELL_W - 34),
            )
