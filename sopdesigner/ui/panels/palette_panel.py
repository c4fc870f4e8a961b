"""The node palette: one entry per node kind with an icon drawn in the kind's shape. Entries
drag onto the canvas (carrying ``NODE_KIND_MIME``); double-click or Enter inserts at the centre
of the view."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from sopdesigner.model.enums import NodeKind
from sopdesigner.ui.canvas.mime import NODE_KIND_MIME

KIND_TEXT: dict[NodeKind, tuple[str, str]] = {
    NodeKind.START: ("Start", "Where the SOP begins, e.g. the deployment request"),
    NodeKind.STEP: ("Step", "A piece of work owned by the lane's role"),
    NodeKind.CHECKPOINT: ("Checkpoint", "An approval gate that needs sign-offs from required roles"),
    NodeKind.DECISION: ("Decision", "Approve, reject or send back for revision"),
    NodeKind.END: ("End", "Where the SOP ends: deploy, or iterate"),
    NodeKind.NOTE: ("Note", "A comment on the diagram; not part of the flow"),
}
ICON_SIZE = 36


def kind_path(kind: NodeKind, r: QRectF) -> QPainterPath:
    """The outline of a node kind inside ``r`` (shared by the palette icons)."""
    path = QPainterPath()
    if kind in (NodeKind.START, NodeKind.END):
        path.addRoundedRect(r, r.height() / 2, r.height() / 2)
    elif kind == NodeKind.DECISION:
        c = r.center()
        path.moveTo(QPointF(c.x(), r.top()))
        path.lineTo(QPointF(r.right(), c.y()))
        path.lineTo(QPointF(c.x(), r.bottom()))
        path.lineTo(QPointF(r.left(), c.y()))
        path.closeSubpath()
    elif kind == NodeKind.NOTE:
        fold = r.height() * 0.3
        path.moveTo(r.topLeft())
        path.lineTo(QPointF(r.right() - fold, r.top()))
        path.lineTo(QPointF(r.right(), r.top() + fold))
        path.lineTo(r.bottomRight())
        path.lineTo(r.bottomLeft())
        path.closeSubpath()
    elif kind == NodeKind.CHECKPOINT:
        # A gate: a rectangle with a chamfered bottom, like a shield.
        cut = r.height() * 0.3
        path.moveTo(r.topLeft())
        path.lineTo(r.topRight())
        path.lineTo(QPointF(r.right(), r.bottom() - cut))
        path.lineTo(QPointF(r.center().x(), r.bottom()))
        path.lineTo(QPointF(r.left(), r.bottom() - cut))
        path.closeSubpath()
    else:
        path.addRoundedRect(r, 3, 3)
    return path


def kind_icon(kind: NodeKind, colour: QColor, size: int = ICON_SIZE) -> QIcon:
    icon = QIcon()
    for scale in (1, 2):
        pix = QPixmap(size * scale, size * scale)
        pix.setDevicePixelRatio(scale)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(colour, 1.6))
        fill = QColor(colour)
        fill.setAlpha(40)
        p.setBrush(fill)
        r = (
            QRectF(3, 8, size - 6, size - 16)
            if kind != NodeKind.DECISION
            else QRectF(3, 4, size - 6, size - 8)
        )
        p.drawPath(kind_path(kind, r))
        p.end()
        icon.addPixmap(pix)
    return icon


class _KindList(QListWidget):
    """A list whose drags carry the node kind, and whose Enter inserts."""

    activated_kind = Signal(str)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        mime = QMimeData()
        if items:
            mime.setData(NODE_KIND_MIME, QByteArray(items[0].data(Qt.ItemDataRole.UserRole).encode()))
        return mime

    def mimeTypes(self) -> list[str]:
        return [NODE_KIND_MIME]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.activated_kind.emit(self.currentItem().data(Qt.ItemDataRole.UserRole))
            return
        super().keyPressEvent(event)


class PalettePanel(QWidget):
    #: str: a node kind value to insert at the centre of the view.
    insert_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("palette_panel")
        self.setAccessibleName("Node palette")
        self.list = _KindList(self)
        self.list.setObjectName("palette_list")
        self.list.setAccessibleName("Node kinds")
        self.list.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.setSpacing(2)
        for kind, (label, tip) in KIND_TEXT.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, kind.value)
            item.setToolTip(f"{tip}. Drag onto the diagram, or double-click to insert.")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(
            lambda it: self.insert_requested.emit(it.data(Qt.ItemDataRole.UserRole))
        )
        self.list.activated_kind.connect(self.insert_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.list)
        self.refresh_icons()

    def refresh_icons(self) -> None:
        """Redraw the icons in the current text colour (after a theme change)."""
        colour = self.palette().color(self.foregroundRole())
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setIcon(kind_icon(NodeKind(item.data(Qt.ItemDataRole.UserRole)), colour))

    def changeEvent(self, event) -> None:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange:
            self.refresh_icons()
        super().changeEvent(event)
