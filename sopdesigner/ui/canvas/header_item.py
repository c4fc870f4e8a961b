"""``HeaderItem``: the deployment request drawn above the lanes (model, version, requester,
target environment), in scene coordinates so it appears in PNG/SVG exports too."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.model.document import Document
from sopdesigner.model.geometry import LANE_HEADER_WIDTH
from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.style import Z_HEADER, Theme

HEADER_TOP = -112.0
HEADER_HEIGHT = 92.0
HEADER_WIDTH = 520.0


@dataclass(frozen=True)
class HeaderSnapshot:
    title: str
    model: str
    version: str
    requester: str
    environment: str
    sop_version: str
    owner: str

    @classmethod
    def of(cls, doc: Document) -> HeaderSnapshot:
        r = doc.request
        return cls(
            doc.title,
            r.model_name,
            r.model_version,
            r.requester,
            r.target_environment,
            doc.identity.sop_version,
            doc.identity.owner,
        )


def _or_dash(value: str) -> str:
    return value.strip() or "—"


class HeaderItem(QGraphicsItem):
    def __init__(self, snapshot: HeaderSnapshot, theme: Theme):
        super().__init__()
        self._snap = snapshot
        self._theme = theme
        self._width = HEADER_WIDTH
        self.setZValue(Z_HEADER)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_snapshot(self, snapshot: HeaderSnapshot) -> None:
        self._snap = snapshot
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_width(self, width: float) -> None:
        """Wide diagrams give the request more room (long requester or environment names)."""
        width = max(HEADER_WIDTH, width)
        if width != self._width:
            self.prepareGeometryChange()
            self._width = width
            self.update()

    def rect(self) -> QRectF:
        return QRectF(-LANE_HEADER_WIDTH, HEADER_TOP, self._width, HEADER_HEIGHT)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-1, -1, 1, 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        s, t = self._snap, self._theme
        r = self.rect()
        painter.setPen(QPen(t.color("lane_border"), 1.0))
        painter.setBrush(t.color("header_fill"))
        painter.drawRoundedRect(r, 6, 6)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < 0.3:
            return
        inner = r.adjusted(14, 8, -14, -8)
        title_fm = text.metrics(17, True)
        painter.setFont(text.font(17, True))
        painter.setPen(t.color("header_text"))
        painter.drawText(
            QRectF(inner.left(), inner.top(), inner.width(), title_fm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text.elide(s.title, title_fm, inner.width()),
        )
        rows = [
            [("Model", _or_dash(s.model)), ("Version", _or_dash(s.version))],
            [("Requester", _or_dash(s.requester)), ("Target", _or_dash(s.environment))],
        ]
        label_fm, value_fm = text.metrics(11), text.metrics(12, True)
        y = inner.top() + title_fm.height() + 6
        col_w = min(inner.width() / 2, 420.0)
        for row in rows:
            for i, (label, value) in enumerate(row):
                x = inner.left() + i * col_w
                painter.setFont(text.font(11))
                painter.setPen(t.color("header_subtext"))
                lw = label_fm.horizontalAdvance(label) + 6
                painter.drawText(
                    QRectF(x, y, lw, value_fm.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
                painter.setFont(text.font(12, True))
                painter.setPen(t.color("header_text"))
                painter.drawText(
                    QRectF(x + lw, y, col_w - lw - 8, value_fm.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    text.elide(value, value_fm, col_w - lw - 8),
                )
            y += value_fm.height() + 3
