"""The properties panel: edits what is selected — a node (title, description, kind, lane,
required roles), a connector (label, kind), a lane (role name, height) or, with nothing
selected, the document (title, separation-of-duties policy). Every change is one op through
``controller.execute``, so it is undoable and audited like any other edit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.model.enums import EdgeKind, NodeKind
from sopdesigner.ops.base import Change, Op
from sopdesigner.ops.document import SetDocumentFields
from sopdesigner.ops.edges import SetEdgeFields
from sopdesigner.ops.lanes import RenameRole, ResizeLanes
from sopdesigner.ops.nodes import SetNodeFields
from sopdesigner.ui.controller import DocumentController

EDGE_KIND_TEXT = {EdgeKind.FLOW: "Flow", EdgeKind.REWORK: "Rework (dashed, goes back)"}


class _TextEdit(QPlainTextEdit):
    """A multi-line field that commits when it loses focus, like a line edit's editingFinished."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


def _form(parent: QWidget, heading: str) -> tuple[QWidget, QFormLayout]:
    page = QWidget(parent)
    outer = QVBoxLayout(page)
    title = QLabel(f"<b>{heading}</b>", page)
    outer.addWidget(title)
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    outer.addLayout(form)
    outer.addStretch(1)
    return page, form


class PropertiesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("properties_panel")
        self.setAccessibleName("Properties")
        self.controller: DocumentController | None = None
        self._node_id: str | None = None
        self._edge_id: str | None = None
        self._lane_id: str | None = None
        self._loading = False
        self.stack = QStackedWidget(self)
        # Scrolls rather than forcing its height on the window (small screens, many panels).
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll)
        self._build_empty()
        self._build_document()
        self._build_node()
        self._build_edge()
        self._build_lane()
        self.stack.setCurrentWidget(self.empty_page)

    # -- pages --------------------------------------------------------------------------------
    def _build_empty(self) -> None:
        self.empty_page = QLabel("No document is open.", self)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_page.setWordWrap(True)
        self.stack.addWidget(self.empty_page)

    def _build_document(self) -> None:
        self.doc_page, form = _form(self, "Document")
        self.doc_title = QLineEdit(self.doc_page)
        self.doc_title.setObjectName("prop_doc_title")
        self.doc_title.setAccessibleName("Document title")
        self.doc_title.editingFinished.connect(self._retitle_document)
        self.doc_sod = QCheckBox("Separation of duties", self.doc_page)
        self.doc_sod.setObjectName("prop_doc_sod")
        self.doc_sod.setToolTip("Refuse sign-offs where one person approves their own work or signs twice")
        self.doc_sod.toggled.connect(
            lambda on: self._run(SetDocumentFields("policy", {"separation_of_duties": bool(on)}))
        )
        form.addRow("&Title:", self.doc_title)
        form.addRow("Policy:", self.doc_sod)
        self.stack.addWidget(self.doc_page)

    def _build_node(self) -> None:
        self.node_page, form = _form(self, "Node")
        self.node_title = QLineEdit(self.node_page)
        self.node_title.setObjectName("prop_node_title")
        self.node_title.setAccessibleName("Node title")
        self.node_title.editingFinished.connect(lambda: self._set_node("title", self.node_title.text()))
        self.node_desc = _TextEdit(self.node_page)
        self.node_desc.setObjectName("prop_node_description")
        self.node_desc.setAccessibleName("Node description")
        self.node_desc.setTabChangesFocus(True)
        self.node_desc.setMaximumHeight(110)
        self.node_desc.editing_finished.connect(
            lambda: self._set_node("description", self.node_desc.toPlainText())
        )
        self.node_kind = QComboBox(self.node_page)
        self.node_kind.setObjectName("prop_node_kind")
        self.node_kind.setAccessibleName("Node kind")
        for kind in NodeKind:
            self.node_kind.addItem(kind.value.capitalize(), kind.value)
        self.node_kind.activated.connect(lambda _i: self._set_node("kind", self.node_kind.currentData()))
        self.node_lane = QComboBox(self.node_page)
        self.node_lane.setObjectName("prop_node_lane")
        self.node_lane.setAccessibleName("Node lane")
        self.node_lane.activated.connect(lambda _i: self._set_node("lane", self.node_lane.currentData()))
        self.node_roles = QListWidget(self.node_page)
        self.node_roles.setObjectName("prop_node_roles")
        self.node_roles.setAccessibleName("Required roles")
        self.node_roles.setToolTip("Roles whose sign-off this node needs")
        self.node_roles.setMaximumHeight(140)
        self.node_roles.itemChanged.connect(self._roles_changed)
        form.addRow("&Title:", self.node_title)
        form.addRow("&Description:", self.node_desc)
        form.addRow("&Kind:", self.node_kind)
        form.addRow("&Lane:", self.node_lane)
        form.addRow("Required &roles:", self.node_roles)
        self.stack.addWidget(self.node_page)

    def _build_edge(self) -> None:
        self.edge_page, form = _form(self, "Connector")
        self.edge_label = QLineEdit(self.edge_page)
        self.edge_label.setObjectName("prop_edge_label")
        self.edge_label.setAccessibleName("Connector label")
        self.edge_label.editingFinished.connect(lambda: self._run_edge({"label": self.edge_label.text()}))
        self.edge_kind = QComboBox(self.edge_page)
        self.edge_kind.setObjectName("prop_edge_kind")
        self.edge_kind.setAccessibleName("Connector kind")
        for kind, text in EDGE_KIND_TEXT.items():
            self.edge_kind.addItem(text, kind.value)
        self.edge_kind.activated.connect(lambda _i: self._run_edge({"kind": self.edge_kind.currentData()}))
        form.addRow("&Label:", self.edge_label)
        form.addRow("&Kind:", self.edge_kind)
        self.stack.addWidget(self.edge_page)

    def _build_lane(self) -> None:
        self.lane_page, form = _form(self, "Lane")
        self.lane_role = QLineEdit(self.lane_page)
        self.lane_role.setObjectName("prop_lane_role")
        self.lane_role.setAccessibleName("Lane role name")
        self.lane_role.editingFinished.connect(self._rename_lane_role)
        self.lane_height = QDoubleSpinBox(self.lane_page)
        self.lane_height.setObjectName("prop_lane_height")
        self.lane_height.setAccessibleName("Lane height")
        self.lane_height.setRange(40.0, 100_000.0)
        self.lane_height.setDecimals(0)
        self.lane_height.setSingleStep(20.0)
        self.lane_height.setKeyboardTracking(False)
        self.lane_height.valueChanged.connect(self._resize_lane)
        form.addRow("&Role:", self.lane_role)
        form.addRow("&Height:", self.lane_height)
        self.stack.addWidget(self.lane_page)

    # -- wiring -------------------------------------------------------------------------------
    def set_controller(self, controller: DocumentController | None) -> None:
        if self.controller is not None:
            self.controller.changes_applied.disconnect(self._on_changes)
        self.controller = controller
        self._node_id = self._edge_id = self._lane_id = None
        if controller is not None:
            controller.changes_applied.connect(self._on_changes)
        self.refresh()

    def show_selection(self, node_ids: list[str], edge_ids: list[str]) -> None:
        self._node_id = node_ids[0] if len(node_ids) == 1 and not edge_ids else None
        self._edge_id = edge_ids[0] if len(edge_ids) == 1 and not node_ids else None
        self._lane_id = None
        self.refresh()

    def show_lane(self, lane_id: str) -> None:
        self._node_id = self._edge_id = None
        self._lane_id = lane_id
        self.refresh()

    def _on_changes(self, _changes: list[Change]) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Show the page for the current target, filled from the model (ids that vanished,
        e.g. after an undo, fall back to the document page)."""
        self._loading = True
        try:
            c = self.controller
            if c is None:
                self.stack.setCurrentWidget(self.empty_page)
                return
            doc = c.document
            # The controller's id map, and no scan for an absent target: this runs on every
            # edit, and walking 10,000 nodes and 12,000 edges was most of one at that size.
            node = c.node(self._node_id) if self._node_id else None
            edge = next((e for e in doc.edges if e.id == self._edge_id), None) if self._edge_id else None
            lane = next((la for la in doc.lanes if la.id == self._lane_id), None)
            if node is not None:
                self._fill_node(node)
            elif edge is not None:
                self.edge_label.setText(edge.label)
                self.edge_kind.setCurrentIndex(self.edge_kind.findData(edge.kind.value))
                self.stack.setCurrentWidget(self.edge_page)
            elif lane is not None:
                self.lane_role.setText(doc.role_name(lane.role))
                self.lane_height.setValue(lane.height)
                self.stack.setCurrentWidget(self.lane_page)
            else:
                self.doc_title.setText(doc.title)
                self.doc_sod.setChecked(doc.policy.separation_of_duties)
                self.stack.setCurrentWidget(self.doc_page)
        finally:
            self._loading = False

    def _fill_node(self, node: Any) -> None:
        doc = self.controller.document  # type: ignore[union-attr]
        if self.node_title.text() != node.title:
            self.node_title.setText(node.title)
        if self.node_desc.toPlainText() != node.description:
            self.node_desc.setPlainText(node.description)
        self.node_kind.setCurrentIndex(self.node_kind.findData(node.kind.value))
        self.node_lane.clear()
        self.node_lane.addItem("(no lane)", None)
        for lane in doc.lanes:
            self.node_lane.addItem(doc.role_name(lane.role), lane.id)
        self.node_lane.setCurrentIndex(max(0, self.node_lane.findData(node.lane)) if node.lane else 0)
        self.node_roles.clear()
        for role in doc.roles:
            item = QListWidgetItem(role.name)
            item.setData(Qt.ItemDataRole.UserRole, role.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if role.id in node.required_roles else Qt.CheckState.Unchecked
            )
            self.node_roles.addItem(item)
        self.stack.setCurrentWidget(self.node_page)

    # -- edits --------------------------------------------------------------------------------
    def _run(self, op: Op) -> None:
        if self._loading or self.controller is None:
            return
        if self.controller.execute(op) is False:
            self.refresh()  # show the model's value again after a refused edit

    def _retitle_document(self) -> None:
        if self.controller is not None and self.doc_title.text().strip() != self.controller.document.title:
            self._run(SetDocumentFields("document", {"title": self.doc_title.text()}))

    def _set_node(self, name: str, value: Any) -> None:
        if self._loading or self.controller is None or self._node_id is None:
            return
        node = next((n for n in self.controller.document.nodes if n.id == self._node_id), None)
        if node is None:
            return
        current = getattr(node, name)
        if (current.value if hasattr(current, "value") else current) == value:
            return
        self._run(SetNodeFields(self._node_id, {name: value}))

    def _roles_changed(self, _item: QListWidgetItem) -> None:
        if self._loading:
            return
        roles = [
            self.node_roles.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.node_roles.count())
            if self.node_roles.item(i).checkState() == Qt.CheckState.Checked
        ]
        self._set_node("required_roles", roles)

    def _run_edge(self, fields: dict[str, Any]) -> None:
        if self._loading or self.controller is None or self._edge_id is None:
            return
        edge = next((e for e in self.controller.document.edges if e.id == self._edge_id), None)
        if edge is None or all(getattr(edge, k) == v for k, v in fields.items()):
            return
        self._run(SetEdgeFields(self._edge_id, fields))

    def _rename_lane_role(self) -> None:
        if self._loading or self.controller is None or self._lane_id is None:
            return
        doc = self.controller.document
        lane = next((la for la in doc.lanes if la.id == self._lane_id), None)
        if lane is not None and doc.role_name(lane.role) != self.lane_role.text().strip():
            self._run(RenameRole(lane.role, self.lane_role.text()))

    def _resize_lane(self, value: float) -> None:
        if self._loading or self.controller is None or self._lane_id is None:
            return
        lane = next((la for la in self.controller.document.lanes if la.id == self._lane_id), None)
        if lane is not None and lane.height != value:
            self._run(ResizeLanes({self._lane_id: float(value)}))
