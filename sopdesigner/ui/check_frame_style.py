"""``CheckFrameStyle``: Fusion, plus a visible frame around check boxes on dark palettes.

Its own module, imported when a dark palette is first applied: subclassing ``QProxyStyle``
makes PySide6 create ``QStyle``'s eleven Python enums (~4 ms), which a light start-up does not
need (PERFORMANCE.md T1).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget


class CheckFrameStyle(QProxyStyle):
    """Fusion, plus a visible frame around check boxes on dark palettes: Fusion outlines them
    with the window colour darkened, which vanishes against a dark base."""

    _CHECKS = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
    )

    def drawPrimitive(
        self, element, option: QStyleOption, painter: QPainter, widget: QWidget | None = None
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in self._CHECKS and option.palette.color(QPalette.ColorRole.Base).lightness() < 100:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(QColor(150, 150, 155))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            r = option.rect
            side = min(r.width(), r.height(), 14)
            x = r.x() + (r.width() - side) // 2
            y = r.y() + (r.height() - side) // 2
            painter.drawRect(x, y, side - 1, side - 1)
            painter.restore()
