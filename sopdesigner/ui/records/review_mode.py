"""Review mode for a meeting on a projector: structure locked, canvas in review style, a side
panel walking the checkpoints, and the session (attendees, decisions) recorded in the audit trail."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.ui.records.context import RecordsContext

if TYPE_CHECKING:
    from sopdesigner.ui.records.review_panel import ReviewPanel


class AttendeesDialog(QDialog):
    """Who is in the review meeting, one name per line."""

    def __init__(self, default: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Start review")
        self.setMinimumWidth(380)
        self.names = QPlainTextEdit(default)
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B;")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Start review")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Attendees (one per line); they are recorded in the audit trail:"))
        layout.addWidget(self.names)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def attendees(self) -> list[str]:
        seen: list[str] = []
        for line in self.names.toPlainText().splitlines():
            name = line.strip()
            if name and name not in seen:
                seen.append(name)
        return seen

    def accept(self) -> None:
        if not self.attendees():
            self.error.setText("Enter at least one attendee.")
            return
        super().accept()

    @staticmethod
    def ask(default: str, parent: QWidget | None) -> list[str] | None:
        dlg = AttendeesDialog(default, parent)
        return dlg.attendees() if dlg.exec() == QDialog.Accepted else None


def session_decisions(events: list[Any]) -> list[dict[str, Any]]:
    """Sign-offs recorded in a slice of the audit trail, minus those revoked in the same slice."""
    recorded: dict[str, dict[str, Any]] = {}
    for e in events:
        sid = e.details.get("signoff")
        if e.action in ("signoff.recorded", "signoff.restored") and sid:
            recorded[sid] = {
                "node": e.node,
                "signoff": sid,
                "signer": e.details.get("signer"),
                "role": e.details.get("role"),
                "decision": e.details.get("decision"),
                "at": e.at,
            }
        elif e.action == "signoff.revoked" and sid:
            recorded.pop(sid, None)
    return list(recorded.values())


class ReviewMode(QObject):
    """Starts and ends review sessions on a ``MainWindow``."""

    #: bool: review mode started (True) or ended (False).
    active_changed = Signal(bool)

    def __init__(self, window: Any, context: RecordsContext):
        super().__init__(window)
        self._window = window
        self._ctx = context
        self.active = False
        self.attendees: list[str] = []
        self._start_seq = 0
        self._started = 0.0
        self._saved_state: Any = None
        self._controller: Any = None
        self._panel: ReviewPanel | None = None
        self._made_full_screen = False  # only undo a full screen the review itself made
        self.dock: QDockWidget | None = None
        self._keys: list[QAction] = []
        for keys, slot in (
            ((Qt.Key_Right, Qt.Key_PageDown), lambda: self.panel.next()),
            ((Qt.Key_Left, Qt.Key_PageUp), lambda: self.panel.previous()),
        ):
            act = QAction(window)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.WindowShortcut)
            act.triggered.connect(slot)
            act.setEnabled(False)
            window.addAction(act)
            self._keys.append(act)

    @property
    def panel(self) -> ReviewPanel:
        """The side panel, built on the first review (or when code asks for it): a window that
        never reviews does not pay for its step list and its own checklist and evidence panels."""
        if self._panel is None:
            from sopdesigner.ui.records.review_panel import ReviewPanel

            self._panel = ReviewPanel(self._ctx)
            self._panel.step_selected.connect(self._centre_on)
            self._panel.full_screen.toggled.connect(self.set_full_screen)
        return self._panel

    def toggle(self) -> None:
        if self.active:
            self.end()
        else:
            self.start()

    def start(self, attendees: list[str] | None = None) -> bool:
        """Start a review (asking for attendees unless given). Returns True if started."""
        win = self._window
        ctrl = win.controller
        if self.active or ctrl is None:
            return False
        if attendees is None:
            attendees = AttendeesDialog.ask(self._ctx.user_name(), win)
            if attendees is None:
                return False
        self.attendees = list(attendees)
        self._controller = ctrl
        self._start_seq = len(ctrl.document.audit)
        self._started = time.monotonic()
        ctrl.log("review.started", None, {"attendees": self.attendees})
        ctrl.set_structure_locked(True)
        win.scene.set_review_mode(True)
        self._saved_state = win.saveState()
        if self.dock is None:
            self.dock = win.add_panel(self.panel, "Review", "ReviewDock")
        for dock in win.findChildren(QDockWidget):
            if dock is not self.dock:
                dock.hide()
        self.dock.show()
        self.dock.raise_()
        # A projector needs the side panel wide enough to read and the whole diagram visible.
        win.resizeDocks([self.dock], [max(420, win.width() // 3)], Qt.Horizontal)
        QTimer.singleShot(0, self._fit_and_centre)
        for act in self._keys:
            act.setEnabled(True)
        self.active = True
        self.panel.refresh()
        if self.panel.current_step():
            self._centre_on(self.panel.current_step())
        win.show_status("Review started: the structure is locked; Esc ends the review.")
        self.active_changed.emit(True)
        return True

    def end(self) -> bool:
        if not self.active:
            return False
        win = self._window
        ctrl = self._controller
        self.active = False
        for act in self._keys:
            act.setEnabled(False)
        if ctrl is not None:
            events = ctrl.document.audit[self._start_seq :]
            ctrl.log(
                "review.ended",
                None,
                {
                    "attendees": self.attendees,
                    "duration": round(time.monotonic() - self._started),
                    "decisions": session_decisions(events),
                },
            )
            ctrl.set_structure_locked(False)
        win.scene.set_review_mode(False)
        self.set_full_screen(False)
        if self._saved_state is not None:
            win.restoreState(self._saved_state)
        if self.dock is not None:
            self.dock.hide()
        self._controller = None
        win.show_status("Review ended and recorded in the audit trail.")
        self.active_changed.emit(False)
        return True

    def set_full_screen(self, on: bool) -> None:
        """Full screen for the projector while reviewing; the window's own state comes back after."""
        win = self._window
        if on and self.active and not win.isFullScreen():
            self._made_full_screen = True
            win.showFullScreen()
        elif not on and self._made_full_screen:
            self._made_full_screen = False
            win.showNormal()
        # A window that never reviewed has no panel, so no check box to keep in step.
        box = self._panel.full_screen if self._panel is not None else None
        if box is not None and box.isChecked() != (on and self.active):
            box.blockSignals(True)
            box.setChecked(on and self.active)
            box.blockSignals(False)
        QTimer.singleShot(0, self._fit_and_centre)

    def _fit_and_centre(self) -> None:
        if not self.active:
            return
        self._window.view.fit_to_window()
        if self.panel.current_step():
            self._centre_on(self.panel.current_step())

    def _centre_on(self, node_id: str) -> None:
        if not self.active:
            return  # the panel is rebuilt when a document opens; only a review moves the view
        win = self._window
        win.scene.select_ids([node_id])
        item = win.scene.node_item(node_id)
        if item is not None:
            # Scroll only as far as needed: after "fit" the whole diagram stays in view, and a
            # zoomed-in projector view still brings the step on screen.
            win.view.ensureVisible(item, 40, 40)
