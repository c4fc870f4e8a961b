"""The request panel: the deployment request and the SOP's identity as a form; each field
is committed as one ``SetDocumentFields`` (undoable, recorded) when it loses focus or on Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.ops.document import SetDocumentFields
from sopdesigner.ui.records.context import RecordsContext

REQUEST_LABELS = {
    "model_name": "Model name",
    "model_version": "Model version",
    "purpose": "Purpose",
    "intended_use": "Intended use",
    "target_environment": "Target environment",
    "scope": "Scope",
    "requester": "Requester",
}
IDENTITY_LABELS = {
    "sop_version": "SOP version",
    "owner": "Owner",
    "effective_date": "Effective date",
    "next_review_date": "Next review date",
}
MULTILINE = {"purpose", "intended_use", "scope"}
DATE_HINT = "YYYY-MM-DD"


class _TextEdit(QPlainTextEdit):
    """A short multi-line field: Enter commits (Shift+Enter for a new line), as does focus-out."""

    committed = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers() & Qt.ShiftModifier:
            self.committed.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        self.committed.emit()
        super().focusOutEvent(event)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)


class RequestPanel(QScrollArea):
    def __init__(self, context: RecordsContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("RequestPanel")
        self.setWidgetResizable(True)
        self._ctx = context
        self.fields: dict[tuple[str, str], QLineEdit | _TextEdit] = {}
        self._shown: dict[tuple[str, str], str] = {}  # the model value each field last showed
        body = QWidget()
        layout = QVBoxLayout(body)
        for part, heading, labels in (
            ("request", "Deployment request", REQUEST_LABELS),
            ("identity", "SOP identity", IDENTITY_LABELS),
        ):
            layout.addWidget(QLabel(f"<b>{heading}</b>"))
            form = QFormLayout()
            for name, label in labels.items():
                if name in MULTILINE:
                    w: QLineEdit | _TextEdit = _TextEdit()
                    w.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
                    w.setTabChangesFocus(True)
                    w.committed.connect(lambda p=part, n=name: self.commit(p, n))
                else:
                    w = QLineEdit()
                    w.editingFinished.connect(lambda p=part, n=name: self.commit(p, n))
                    if name.endswith("_date"):
                        w.setPlaceholderText(DATE_HINT)
                w.setObjectName(f"{part}.{name}")
                self.fields[(part, name)] = w
                form.addRow(label + ":", w)
            layout.addLayout(form)
        layout.addStretch(1)
        self.setWidget(body)
        context.controller_changed.connect(self.refresh)
        context.document_edited.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        ctrl = self._ctx.controller
        for key, w in self.fields.items():
            part, name = key
            w.setEnabled(ctrl is not None)
            value = getattr(getattr(ctrl.document, part), name) if ctrl else ""
            # Never overwrite what the user is typing (uncommitted text in the focused field);
            # an undo while the field merely has focus does update it.
            typing = w.hasFocus() and w.text() != self._shown.get(key, "")
            if w.text() != value and not typing:
                w.setText(value)
            if not typing:
                self._shown[key] = value

    def commit(self, part: str, name: str) -> None:
        ctrl = self._ctx.controller
        if ctrl is None:
            return
        w = self.fields[(part, name)]
        value = w.text().strip() if isinstance(w, QLineEdit) else w.text().rstrip()
        current = getattr(getattr(ctrl.document, part), name)
        if value != current and not ctrl.execute(SetDocumentFields(part, {name: value})):
            value = current  # refused (the reason is in the status bar): show the model again
        self._shown[(part, name)] = value
        if w.text() != value:
            w.setText(value)
