"""The history panel: the undo stack of the current document as a list (``QUndoView`` on the
window's undo group); clicking a row undoes or redoes up to it."""

from __future__ import annotations

from PySide6.QtGui import QUndoGroup
from PySide6.QtWidgets import QUndoView, QVBoxLayout, QWidget


class HistoryPanel(QWidget):
    def __init__(self, group: QUndoGroup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_panel")
        self.setAccessibleName("Undo history")
        self.view = QUndoView(group, self)
        self.view.setObjectName("history_view")
        self.view.setAccessibleName("Undo history")
        self.view.setEmptyLabel("<opened>")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view)
