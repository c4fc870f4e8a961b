"""The review side panel: walks through checkpoints and decisions in flow order with
Previous/Next, showing each step's checklist (tickable), evidence (with previews) and sign-offs."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.model.status import STATUS_STYLES, node_status
from sopdesigner.ui.records.checklist_panel import ChecklistPanel
from sopdesigner.ui.records.context import RecordsContext
from sopdesigner.ui.records.evidence_panel import EvidencePanel
from sopdesigner.ui.records.progress import is_pending, review_steps


class ReviewPanel(QWidget):
    #: str: the step shown changed (node id); the window centres it on the canvas.
    step_selected = Signal(str)

    def __init__(self, context: RecordsContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ReviewPanel")
        self._ctx = context
        # The step's panels follow the review step, not the canvas selection.
        self.step_context = RecordsContext(context.controller, context.store, context.user_name, self)
        self.step_context.message.connect(context.message)

        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)  # readable on a projector
        self.setFont(font)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.RichText)
        self.pending_only = QCheckBox("Pending only")
        self.full_screen = QPushButton("Full screen")
        self.full_screen.setCheckable(True)
        self.full_screen.setToolTip("Show the window full screen for a projector (until the review ends)")
        self.steps = QListWidget()
        self.steps.setWordWrap(True)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.prev_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)
        nav.addWidget(self.pending_only)
        nav.addStretch(1)
        nav.addWidget(self.full_screen)
        self.checklist = ChecklistPanel(self.step_context, review=True)
        self.evidence = EvidencePanel(self.step_context, review=True)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.steps)
        split.addWidget(self.checklist)
        split.addWidget(self.evidence)
        split.setSizes([180, 420, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(nav)
        layout.addWidget(split, 1)

        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.pending_only.toggled.connect(lambda _on: self.refresh())
        self.steps.currentRowChanged.connect(self._on_row)
        context.controller_changed.connect(self._on_controller)
        context.document_edited.connect(self._on_edited)
        self._stale = False
        self.refresh()

    def _on_controller(self) -> None:
        self.step_context.set_controller(self._ctx.controller)
        # Hidden outside a review: the step list (flow order, every status) is built on show.
        self._on_edited()

    def _on_edited(self) -> None:
        # Outside a review the panel is hidden: refreshing its step list walks the whole flow
        # (topological order, every node's status), too much for every edit of a large SOP.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _fresh(self) -> None:
        if self._stale:
            self.refresh()

    def showEvent(self, event) -> None:
        self._fresh()
        super().showEvent(event)

    def step_ids(self) -> list[str]:
        self._fresh()
        return [self.steps.item(i).data(Qt.UserRole) for i in range(self.steps.count())]

    def current_step(self) -> str | None:
        self._fresh()
        item = self.steps.currentItem()
        return item.data(Qt.UserRole) if item else None

    def refresh(self) -> None:
        self._stale = False
        ctrl = self._ctx.controller
        current = self.current_step()
        with QSignalBlocker(self.steps):
            self.steps.clear()
            if ctrl is not None:
                for n in review_steps(ctrl.document):
                    if self.pending_only.isChecked() and is_pending(n) is False and n.id != current:
                        continue
                    style = STATUS_STYLES[node_status(n)]
                    item = QListWidgetItem(f"{style.glyph}  {n.title} — {style.label}")
                    item.setData(Qt.UserRole, n.id)
                    self.steps.addItem(item)
            ids = self.step_ids()
            if ids:
                self.steps.setCurrentRow(ids.index(current) if current in ids else 0)
        self._show_current(emit=current != self.current_step())

    def _on_row(self, _row: int) -> None:
        self._show_current(emit=True)

    def _show_current(self, emit: bool) -> None:
        ids = self.step_ids()
        nid = self.current_step()
        row = self.steps.currentRow()
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(0 <= row < len(ids) - 1)
        self.step_context.set_selection([nid] if nid else [])
        if nid is None:
            self.title.setText("<i>No checkpoints or decisions to review.</i>")
            return
        self.title.setText(f"Step {row + 1} of {len(ids)}")
        if emit:
            self.step_selected.emit(nid)

    def next(self) -> None:
        if self.steps.currentRow() < self.steps.count() - 1:
            self.steps.setCurrentRow(self.steps.currentRow() + 1)

    def previous(self) -> None:
        if self.steps.currentRow() > 0:
            self.steps.setCurrentRow(self.steps.currentRow() - 1)

    def go_to(self, node_id: str) -> None:
        ids = self.step_ids()
        if node_id in ids:
            self.steps.setCurrentRow(ids.index(node_id))
