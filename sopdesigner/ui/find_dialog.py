"""Edit → Find: a small non-modal dialog that finds nodes by title (substring, any case) or
exact id; Next/Previous step through the matches, selecting and centring each one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

if TYPE_CHECKING:
    from sopdesigner.ui.main_window import MainWindow


def find_nodes(document, text: str) -> list[str]:
    """Ids of nodes whose id equals ``text`` or whose title contains it, in document order."""
    needle = text.strip().casefold()
    if not needle:
        return []
    return [n.id for n in document.nodes if n.id.casefold() == needle or needle in n.title.casefold()]


class FindDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("find_dialog")
        self.setWindowTitle("Find")
        self.query = QLineEdit(self)
        self.query.setObjectName("find_query")
        self.query.setAccessibleName("Find text")
        self.query.setPlaceholderText("Title or id")
        self.query.textChanged.connect(self._restart)
        self.query.returnPressed.connect(self.find_next)
        self.result = QLabel("", self)
        self.result.setObjectName("find_result")
        self.next_button = QPushButton("&Next", self)
        self.next_button.setObjectName("find_next")
        self.next_button.clicked.connect(self.find_next)
        self.prev_button = QPushButton("&Previous", self)
        self.prev_button.setObjectName("find_previous")
        self.prev_button.clicked.connect(self.find_previous)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for b in (self.prev_button, self.next_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        for keys, slot in (
            (QKeySequence.StandardKey.FindNext, self.find_next),
            (QKeySequence.StandardKey.FindPrevious, self.find_previous),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)
        self._index = -1
        self.setMinimumWidth(320)

    def _restart(self) -> None:
        self._index = -1
        self.result.setText("")

    def find_next(self) -> str | None:
        return self._step(+1)

    def find_previous(self) -> str | None:
        return self._step(-1)

    def _step(self, direction: int) -> str | None:
        controller = self.window_.controller
        if controller is None:
            return None
        matches = find_nodes(controller.document, self.query.text())
        if not matches:
            self.result.setText("No node matches." if self.query.text().strip() else "")
            return None
        if self._index < 0 and direction < 0:
            self._index = len(matches) - 1
        else:
            self._index = (self._index + direction) % len(matches)
        node_id = matches[self._index]
        self.window_.select_and_centre([node_id], [])
        self.result.setText(f"{self._index + 1} of {len(matches)}")
        return node_id
