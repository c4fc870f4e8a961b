"""The sign-off dialog: one signer, one role, one decision for the selected node, checked
against the governance rules (separation of duties) before it is recorded with ``SignNode``."""

from __future__ import annotations

import importlib
import importlib.util

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.model.clock import utc_now
from sopdesigner.model.document import Document
from sopdesigner.model.enums import Decision
from sopdesigner.model.status import DECISION_LABELS, latest_by_role
from sopdesigner.ops.records import SignNode

_MEANING = {
    Decision.APPROVE: "Approved as {role} reviewer",
    Decision.APPROVE_WITH_CONDITIONS: "Approved with conditions as {role} reviewer",
    Decision.REQUEST_CHANGES: "Changes requested as {role} reviewer",
    Decision.REJECT: "Rejected as {role} reviewer",
}


def signoff_warnings(doc: Document, node_id: str, signer: str, role: str) -> list[str]:
    """Governance warnings from ``rules.validation.check_signoff`` (empty if the rules module
    is not installed); each problem is shown as its message."""
    if importlib.util.find_spec("sopdesigner.rules.validation") is None:
        return []
    validation = importlib.import_module("sopdesigner.rules.validation")
    check = getattr(validation, "check_signoff", None)
    if check is None:
        return []
    return [str(getattr(p, "message", p)) for p in check(doc, node_id, signer, role)]


class SignOffDialog(QDialog):
    """Asks for a sign-off; ``op()`` is the ``SignNode`` to execute once accepted."""

    def __init__(
        self,
        doc: Document,
        node_id: str,
        signer: str = "",
        parent: QWidget | None = None,
        role: str | None = None,
    ):
        super().__init__(parent)
        self._doc = doc
        self._node = doc.node(node_id)
        self.setWindowTitle("Sign off")
        self.setMinimumWidth(460)
        node = self._node
        latest = latest_by_role(node)

        self.signer = QLineEdit(signer)
        self.signer.setPlaceholderText("Printed name of the person signing")
        self.role = QComboBox()
        roles = node.required_roles or [r.id for r in doc.roles]
        for rid in roles:
            done = latest.get(rid)
            suffix = f" — {DECISION_LABELS[done.decision].lower()} by {done.signer}" if done else ""
            self.role.addItem(doc.role_name(rid) + suffix, rid)
        # Default to the first required role nobody has signed yet in this round.
        pending = [i for i, rid in enumerate(roles) if rid not in latest]
        if role in roles:
            self.role.setCurrentIndex(roles.index(role))
        elif pending:
            self.role.setCurrentIndex(pending[0])
        self.decision = QComboBox()
        for d in Decision:
            self.decision.addItem(DECISION_LABELS[d], d.value)
        self.meaning = QLineEdit()
        self.comment = QPlainTextEdit()
        self.comment.setFixedHeight(60)
        self.conditions = QPlainTextEdit()
        self.conditions.setFixedHeight(60)
        self.conditions.setPlaceholderText("Required for an approval with conditions")
        self.time_label = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B;")
        self.error.setWordWrap(True)
        self._meaning_auto = ""

        heading = QLabel(f"<b>{_escape(node.title)}</b> — review round {node.round}")
        form = QFormLayout()
        form.addRow("Signer's printed name:", self.signer)
        form.addRow("Role:", self.role)
        form.addRow("Decision:", self.decision)
        form.addRow("Meaning of signature:", self.meaning)
        form.addRow("Comment:", self.comment)
        form.addRow("Conditions:", self.conditions)
        form.addRow("Time on record (UTC):", self.time_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Record sign-off")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.role.currentIndexChanged.connect(self._update_meaning)
        self.decision.currentIndexChanged.connect(self._update_meaning)
        self._update_meaning()
        self.time_label.setText(utc_now() + "  (stamped when recorded)")

    def _update_meaning(self) -> None:
        # Replace the prefilled meaning only while the user has not typed their own.
        if self.meaning.text() in ("", self._meaning_auto):
            role = self._doc.role_name(self.role.currentData())
            self._meaning_auto = _MEANING[Decision(self.decision.currentData())].format(role=role)
            self.meaning.setText(self._meaning_auto)
        needs = Decision(self.decision.currentData()) is Decision.APPROVE_WITH_CONDITIONS
        self.conditions.setEnabled(True)
        self.conditions.setPlaceholderText(
            "Required for an approval with conditions" if needs else "Optional"
        )

    def op(self) -> SignNode:
        return SignNode(
            self._node.id,
            self.signer.text().strip(),
            self.role.currentData(),
            Decision(self.decision.currentData()),
            meaning=self.meaning.text().strip(),
            comment=self.comment.toPlainText().strip(),
            conditions=self.conditions.toPlainText().strip(),
        )

    def accept(self) -> None:
        op = self.op()
        if not op.signer:
            self.error.setText("Enter the signer's printed name.")
            return
        if op.decision is Decision.APPROVE_WITH_CONDITIONS and not op.conditions:
            self.error.setText("An approval with conditions needs the conditions written down.")
            return
        warnings = signoff_warnings(self._doc, self._node.id, op.signer, op.role)
        if warnings and not self.confirm_warnings(warnings):
            return
        super().accept()

    def confirm_warnings(self, warnings: list[str]) -> bool:
        """Ask whether to record despite governance warnings; True means record anyway."""
        box = QMessageBox(QMessageBox.Warning, "Governance warning", "\n".join(warnings), parent=self)
        anyway = box.addButton("Record anyway", QMessageBox.AcceptRole)
        box.addButton(QMessageBox.Cancel)
        box.setTextFormat(Qt.PlainText)
        box.exec()
        return box.clickedButton() is anyway


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sign_off(context, node_id: str | None = None, parent: QWidget | None = None) -> bool:
    """Open the dialog for ``node_id`` (else the context's current node) and record the
    sign-off through the controller. Returns True if one was recorded."""
    controller = context.controller
    if controller is None:
        return False
    node = controller.document.node(node_id) if node_id else context.current_node()
    if node is None:
        context.message.emit("Select a node to sign off.")
        return False
    dlg = SignOffDialog(controller.document, node.id, context.user_name(), parent)
    if dlg.exec() != QDialog.Accepted:
        return False
    return controller.execute(dlg.op())
