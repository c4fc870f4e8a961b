"""Small dialogs of the main window: File → Preferences, Help → Keyboard shortcuts (generated
from the action table) and Help → About."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sopdesigner import APP_NAME, __version__
from sopdesigner.storage.settings import Settings
from sopdesigner.ui.actions import shortcut_rows


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences_dialog")
        self.setWindowTitle("Preferences")
        self.name = QLineEdit(settings.user_name, self)
        self.name.setObjectName("pref_user_name")
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("Used as the actor in the audit trail")
        self.name.setMaxLength(200)
        self.autosave = QSpinBox(self)
        self.autosave.setObjectName("pref_autosave")
        self.autosave.setAccessibleName("Autosave delay in seconds")
        self.autosave.setRange(1, 600)
        self.autosave.setSuffix(" s")
        self.autosave.setValue(settings.autosave_seconds)
        form = QFormLayout()
        form.addRow("Your &name:", self.name)
        form.addRow("&Autosave after editing stops for:", self.autosave)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def user_name(self) -> str:
        return self.name.text().strip()

    def autosave_seconds(self) -> int:
        return int(self.autosave.value())


class ShortcutsDialog(QDialog):
    def __init__(self, menus: dict[str, QMenu], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(menus)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcuts_table")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Menu", "Command", "Shortcut"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 600)


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        f"About {APP_NAME}",
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>An offline diagram editor for AI model deployment approval SOPs: steps, checkpoints "
        "and decisions in role swimlanes, with checklists, evidence, sign-offs and a tamper-evident "
        "audit package.</p><p>Licensed under the Apache License 2.0.</p>",
    )
