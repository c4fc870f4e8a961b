"""The checklist panel: the selected node's checklist (design edits and ticks), its review
round and its sign-offs, with the "Sign off…" and "Start new review round" buttons."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.model.document import ChecklistItem
from sopdesigner.model.ids import new_id
from sopdesigner.model.status import DECISION_LABELS, STATUS_STYLES, node_status
from sopdesigner.ops.checklist import (
    AddChecklistItem,
    MoveChecklistItem,
    RemoveChecklistItem,
    SetChecklistItemFields,
    SetItemDone,
)
from sopdesigner.ops.records import StartReviewRound
from sopdesigner.ui.records.context import RecordsContext
from sopdesigner.ui.records.fmt import short_time
from sopdesigner.ui.records.signoff_dialog import sign_off


def evidence_categories() -> list[str]:
    """The seed's seven "data needed" kinds of evidence."""
    from sopdesigner.templates import EVIDENCE_CATEGORIES

    return list(EVIDENCE_CATEGORIES)


def category_combo(current: str | None, *, allow_none: bool) -> QComboBox:
    box = QComboBox()
    if allow_none:
        box.addItem("(none)", None)
    for cat in evidence_categories():
        box.addItem(cat, cat)
    if current and box.findData(current) < 0:
        box.addItem(current, current)  # a category from another template stays selectable
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class ChecklistItemDialog(QDialog):
    """Text, required flag and evidence category of one checklist item."""

    def __init__(self, item: ChecklistItem | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Checklist item" if item else "New checklist item")
        self.setMinimumWidth(420)
        self.text = QLineEdit(item.text if item else "")
        self.required = QCheckBox("Required before the node can pass")
        self.required.setChecked(item.required if item else True)
        self.category = category_combo(item.evidence_category if item else None, allow_none=True)
        form = QFormLayout(self)
        form.addRow("Text:", self.text)
        form.addRow("", self.required)
        form.addRow("Evidence it calls for:", self.category)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def fields(self) -> dict[str, object]:
        return {
            "text": self.text.text().strip(),
            "required": self.required.isChecked(),
            "evidence_category": self.category.currentData(),
        }


class _ChecklistList(QListWidget):
    """A list whose drag-reorder is turned into a MoveChecklistItem instead of moving rows."""

    def __init__(self, panel: ChecklistPanel):
        super().__init__()
        self._panel = panel
        self.setDragDropMode(QAbstractItemView.InternalMove)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setWordWrap(True)

    def dropEvent(self, event) -> None:
        source = self.currentRow()
        target_item = self.itemAt(event.position().toPoint())
        target = self.row(target_item) if target_item else self.count() - 1
        event.setDropAction(Qt.IgnoreAction)
        event.accept()
        if source >= 0 and target != source:
            self._panel.move_item(source, target)


class ChecklistPanel(QWidget):
    def __init__(self, context: RecordsContext, *, review: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ChecklistPanel")
        self._ctx = context
        self._review = review  # review mode: ticks and sign-offs only, no design edits
        self._node_id: str | None = None

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.RichText)
        self.list = _ChecklistList(self)
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.up_button = QPushButton("Up")
        self.down_button = QPushButton("Down")
        self.remove_button = QPushButton("Remove")
        design = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.up_button, self.down_button, self.remove_button):
            design.addWidget(b)
        self._design_row = QWidget()
        self._design_row.setLayout(design)
        design.setContentsMargins(0, 0, 0, 0)

        self.round_label = QLabel()
        self.signoffs = QLabel()
        self.signoffs.setWordWrap(True)
        self.signoffs.setTextFormat(Qt.RichText)
        self.signoffs.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.signoffs.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.sign_button = QPushButton("Sign off…")
        self.round_button = QPushButton("Start new review round")
        records = QHBoxLayout()
        records.addWidget(self.sign_button)
        records.addWidget(self.round_button)
        records.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel("<b>Checklist</b> (tick to record; drag to reorder)"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self._design_row)
        layout.addWidget(self.round_label)
        # Many sign-offs (several rounds) scroll instead of squeezing the checklist.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.signoffs)
        scroll.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        layout.addWidget(scroll)
        layout.addLayout(records)
        self._design_row.setVisible(not review)
        if review:
            self.list.setDragDropMode(QAbstractItemView.NoDragDrop)

        self.list.itemChanged.connect(self._on_item_changed)
        self.list.itemDoubleClicked.connect(lambda _i: self.edit_current())
        self.list.setContextMenuPolicy(Qt.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.add_button.clicked.connect(self.add_item)
        self.edit_button.clicked.connect(self.edit_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self._step(-1))
        self.down_button.clicked.connect(lambda: self._step(1))
        self.sign_button.clicked.connect(lambda: sign_off(self._ctx, self._node_id, self))
        self.round_button.clicked.connect(self.start_round)
        context.selection_changed.connect(lambda _ids: self.refresh())
        context.controller_changed.connect(self.refresh)
        context.document_edited.connect(self.refresh)
        self.refresh()

    # -- view --
    def refresh(self) -> None:
        node = self._ctx.current_node()
        self._node_id = node.id if node else None
        row = self.list.currentRow()
        with QSignalBlocker(self.list):
            self.list.clear()
            if node is None:
                self.heading.setText("<i>Select a node to see its checklist.</i>")
                self.round_label.clear()
                self.signoffs.clear()
            else:
                style = STATUS_STYLES[node_status(node)]
                self.heading.setText(f"<b>{_esc(node.title)}</b> &nbsp; {style.glyph} {style.label}")
                for item in node.checklist:
                    self.list.addItem(self._row(item))
                self.list.setCurrentRow(min(row, self.list.count() - 1))
                self._show_signoffs(node)
        self._update_buttons()

    def _row(self, item: ChecklistItem) -> QListWidgetItem:
        text = item.text + ("" if item.required else "  (optional)")
        if item.done and item.done_by:
            text += f"\n    ticked by {item.done_by}, {short_time(item.done_at)}"
        if item.evidence_category:
            text += f"\n    evidence: {item.evidence_category}"
        row = QListWidgetItem(text)
        row.setData(Qt.UserRole, item.id)
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable
        if not self._review:
            flags |= Qt.ItemIsDragEnabled
        row.setFlags(flags)
        row.setCheckState(Qt.Checked if item.done else Qt.Unchecked)
        return row

    def _show_signoffs(self, node) -> None:
        doc = self._ctx.controller.document
        needs = node.required_roles
        self.round_label.setText(f"Review round {node.round}")
        lines = []
        if needs:
            lines.append("Needs sign-off by: " + ", ".join(_esc(doc.role_name(r)) for r in needs))
        for s in node.signoffs:
            state = " <i>(earlier round)</i>" if s.superseded or s.round != node.round else ""
            line = (
                f"{_esc(DECISION_LABELS[s.decision])} — {_esc(s.signer)} as "
                f"{_esc(doc.role_name(s.role))}, {short_time(s.at)}{state}"
            )
            if s.conditions:
                line += f"<br>&nbsp;&nbsp;Conditions: {_esc(s.conditions)}"
            lines.append(line)
        if not node.signoffs and needs:
            lines.append("<i>No sign-offs yet.</i>")
        self.signoffs.setText("<br>".join(lines))

    def _update_buttons(self) -> None:
        has_node = self._node_id is not None
        row = self.list.currentRow()
        self.add_button.setEnabled(has_node)
        for b in (self.edit_button, self.remove_button):
            b.setEnabled(has_node and row >= 0)
        self.up_button.setEnabled(has_node and row > 0)
        self.down_button.setEnabled(has_node and 0 <= row < self.list.count() - 1)
        self.sign_button.setEnabled(has_node)
        self.round_button.setEnabled(has_node)

    # -- edits --
    def _item_id(self, row: int) -> str | None:
        it = self.list.item(row)
        return it.data(Qt.UserRole) if it else None

    def _on_item_changed(self, row_item: QListWidgetItem) -> None:
        if self._node_id is None:
            return
        done = row_item.checkState() == Qt.Checked
        if not self._ctx.execute(SetItemDone(self._node_id, row_item.data(Qt.UserRole), done)):
            self.refresh()

    def tick(self, row: int, done: bool = True) -> None:
        """Tick or untick the row as a click on its box would."""
        self.list.item(row).setCheckState(Qt.Checked if done else Qt.Unchecked)

    def add_item(self) -> None:
        if self._node_id is None:
            return
        dlg = ChecklistItemDialog(parent=self)
        if dlg.exec() == QDialog.Accepted:
            self.add_item_with(**dlg.fields())

    def add_item_with(self, text: str, required: bool = True, evidence_category: str | None = None) -> bool:
        if self._node_id is None:
            return False
        item = ChecklistItem(id=new_id(), text=text, required=required, evidence_category=evidence_category)
        ok = self._ctx.execute(AddChecklistItem(self._node_id, item))
        if ok:
            self.list.setCurrentRow(self.list.count() - 1)
        return ok

    def edit_current(self) -> None:
        node = self._ctx.current_node()
        row = self.list.currentRow()
        if node is None or row < 0 or self._review:
            return
        dlg = ChecklistItemDialog(node.checklist[row], parent=self)
        if dlg.exec() == QDialog.Accepted:
            self.set_fields(row, dlg.fields())

    def set_fields(self, row: int, fields: dict[str, object]) -> bool:
        node = self._ctx.current_node()
        if node is None:
            return False
        item = node.checklist[row]
        changed = {k: v for k, v in fields.items() if getattr(item, k) != v}
        return bool(changed) and self._ctx.execute(SetChecklistItemFields(node.id, item.id, changed))

    def item_menu(self, row: int) -> QMenu | None:
        """The right-click menu of a checklist row: quick design edits without the dialog."""
        node = self._ctx.current_node()
        if node is None or self._review or not 0 <= row < len(node.checklist):
            return None
        item = node.checklist[row]
        menu = QMenu(self)
        menu.addAction("Edit…", self.edit_current)
        required = menu.addAction("Required")
        required.setCheckable(True)
        required.setChecked(item.required)
        required.toggled.connect(lambda on: self.set_fields(row, {"required": on}))
        cats = menu.addMenu("Evidence it calls for")
        for label, value in [("(none)", None)] + [(c, c) for c in evidence_categories()]:
            act = cats.addAction(label)
            act.setCheckable(True)
            act.setChecked(item.evidence_category == value)
            act.triggered.connect(lambda _c=False, v=value: self.set_fields(row, {"evidence_category": v}))
        menu.addSeparator()
        menu.addAction("Remove", self.remove_current)
        return menu

    def _show_menu(self, pos) -> None:
        row = self.list.row(self.list.itemAt(pos)) if self.list.itemAt(pos) else -1
        if row >= 0:
            self.list.setCurrentRow(row)
        menu = self.item_menu(row)
        if menu is not None:
            menu.exec(self.list.viewport().mapToGlobal(pos))

    def remove_current(self) -> None:
        item_id = self._item_id(self.list.currentRow())
        if self._node_id and item_id:
            self._ctx.execute(RemoveChecklistItem(self._node_id, item_id))

    def move_item(self, source: int, target: int) -> None:
        item_id = self._item_id(source)
        if self._node_id and item_id and self._ctx.execute(MoveChecklistItem(self._node_id, item_id, target)):
            self.list.setCurrentRow(target)

    def _step(self, delta: int) -> None:
        row = self.list.currentRow()
        if 0 <= row + delta < self.list.count():
            self.move_item(row, row + delta)

    def start_round(self) -> None:
        ids = [n for n in self._ctx.selection if self._ctx.controller]
        if ids:
            self._ctx.execute(StartReviewRound(ids))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
