"""``InlineTitleEditor``: edits a node's title in place (F2 or double-click on the title).

Enter commits (one ``SetNodeFields(title)`` through the scene), Esc cancels, clicking away
commits. The op refuses an empty title, and the controller reports why.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QTextCursor, QTextOption
from PySide6.QtWidgets import QGraphicsTextItem, QStyleOptionGraphicsItem, QWidget

from sopdesigner.ui.canvas import text
from sopdesigner.ui.canvas.style import Z_EDITOR, Theme


class InlineTitleEditor(QGraphicsTextItem):
    def __init__(
        self,
        node_id: str,
        title: str,
        rect: QRectF,
        theme: Theme,
        pixel_size: int,
        on_done: Callable[[InlineTitleEditor, str | None], None],
    ):
        super().__init__()
        self.node_id = node_id
        self.original = title
        self._on_done = on_done
        self._closed = False
        self._theme = theme
        self.setZValue(Z_EDITOR)
        self.setFont(text.font(pixel_size, True))
        self.setDefaultTextColor(theme.color("node_text"))
        self.setTextWidth(rect.width())
        option = QTextOption(self.document().defaultTextOption())
        option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(option)
        self.setPlainText(title)
        self.setPos(rect.left(), rect.top())
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        self.setTextCursor(cursor)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(QPen(self._theme.color("selection"), 1.5))
        painter.setBrush(QBrush(self._theme.color("node_fill")))
        painter.drawRect(self.boundingRect())
        super().paint(painter, option, widget)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.finish(commit=True)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.finish(commit=False)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.finish(commit=True)

    def finish(self, *, commit: bool) -> None:
        """Close the editor: ``on_done(editor, new_title)`` (None when cancelled or unchanged)."""
        if self._closed:
            return
        self._closed = True
        new = " ".join(self.toPlainText().split())
        self._on_done(self, new if commit and new != self.original else None)
