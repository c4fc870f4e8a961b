"""Records on the canvas: checklist, evidence, sign-off, audit and request panels, review mode,
reuse actions and the progress label, wired into a ``MainWindow`` through its public API only.

``install(window)`` is called at the end of ``MainWindow.__init__``; it returns the
``Records`` object (also stored as ``window.records``) that owns the panels and actions.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from sopdesigner.ops.records import StartReviewRound
from sopdesigner.storage.settings import load_settings
from sopdesigner.ui.records.audit_panel import AuditPanel
from sopdesigner.ui.records.checklist_panel import ChecklistPanel
from sopdesigner.ui.records.context import RecordsContext
from sopdesigner.ui.records.evidence_panel import EvidencePanel
from sopdesigner.ui.records.progress import ProgressTally
from sopdesigner.ui.records.request_panel import RequestPanel
from sopdesigner.ui.records.reuse_actions import add_reuse_actions
from sopdesigner.ui.records.review_mode import ReviewMode
from sopdesigner.ui.records.signoff_dialog import sign_off

__all__ = ["Records", "RecordsContext", "install"]


class Records(QObject):
    def __init__(self, window: Any):
        super().__init__(window)
        self.window = window
        self.context = RecordsContext(
            window.controller,
            store=lambda: window.workspace,
            user_name=lambda: load_settings().user_name,
            parent=self,
        )
        ctx = self.context
        ctx.defer = window.view.after_next_frame
        ctx.message.connect(window.show_status)

        self.checklist = ChecklistPanel(ctx)
        self.evidence = EvidencePanel(ctx)
        self.audit = AuditPanel(ctx)
        self.request = RequestPanel(ctx)
        self.docks = {
            "checklist": window.add_panel(self.checklist, "Checklist and sign-offs", "ChecklistDock"),
            "evidence": window.add_panel(self.evidence, "Evidence", "EvidenceDock"),
            "request": window.add_panel(self.request, "Request and SOP identity", "RequestDock"),
            "audit": window.add_panel(self.audit, "Audit trail", "AuditDock", Qt.BottomDockWidgetArea),
        }
        # One tab group keeps each record panel tall enough to read next to Properties.
        window.tabifyDockWidget(self.docks["checklist"], self.docks["evidence"])
        window.tabifyDockWidget(self.docks["evidence"], self.docks["request"])
        self.docks["checklist"].raise_()

        self.review = ReviewMode(window, ctx)
        self.actions = self._add_review_actions()
        self.actions.update(add_reuse_actions(window))
        self.review.active_changed.connect(self._on_review)

        self.progress_label = QLabel()
        self.progress_label.setObjectName("ProgressLabel")
        window.statusBar().addPermanentWidget(self.progress_label)

        window.document_changed.connect(self._on_document_changed)
        window.scene.selection_changed_ids.connect(lambda nodes, _edges: ctx.set_selection(nodes))
        window.scene.files_dropped_on_node.connect(self._on_files_dropped)
        window.scene.node_activated.connect(self._on_node_activated)
        self.audit.node_clicked.connect(self._select_node)
        self._tally = ProgressTally()
        self._tally_controller: Any = None
        ctx.document_edited.connect(self.update_progress)
        ctx.controller_changed.connect(self._follow_controller)
        self._follow_controller()
        self._update_actions()

    # -- actions --
    def _add_review_actions(self) -> dict[str, QAction]:
        win = self.window
        menu = win.menus["Review"]
        menu.addSeparator()
        specs = [
            (
                "start_review",
                "&Start review…",
                "F5",
                self.review.start,
                "Start a review meeting: structure locked, walk through the checkpoints",
            ),
            ("end_review", "&End review", "Esc", self.review.end, "End the review and record the session"),
            (
                "sign_off",
                "Sign &off…",
                "Ctrl+Alt+S",
                lambda: sign_off(self.context, parent=win),
                "Record a sign-off on the selected node",
            ),
            (
                "new_round",
                "Start new review &round",
                None,
                self.start_new_round,
                "Supersede the sign-offs of the selected nodes (or the whole diagram) and review again",
            ),
        ]
        actions = {}
        for key, text, shortcut, slot, tip in specs:
            act = QAction(text, win)
            act.setObjectName(f"action_{key}")
            act.setToolTip(tip)
            act.setStatusTip(tip)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _checked=False, s=slot: s())
            menu.addAction(act)
            actions[key] = act
        actions["end_review"].setEnabled(False)
        return actions

    def _on_review(self, active: bool) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        has_doc = self.window.controller is not None
        active = self.review.active
        self.actions["start_review"].setEnabled(has_doc and not active)
        self.actions["end_review"].setEnabled(active)
        for key in ("sign_off", "new_round", "save_as_template", "new_deployment"):
            if key in self.actions:
                self.actions[key].setEnabled(has_doc)

    def start_new_round(self) -> bool:
        ctrl = self.window.controller
        if ctrl is None:
            return False
        ids = self.context.selection or [n.id for n in ctrl.document.nodes if n.required_roles]
        if not ids:
            self.window.show_status("No node needs sign-offs, so there is no review round to start.")
            return False
        return ctrl.execute(StartReviewRound(ids))

    # -- window events --
    def _on_document_changed(self) -> None:
        if self.review.active:
            self.review.end()
        self.context.set_controller(self.window.controller)
        self._update_actions()

    def _on_files_dropped(self, node_id: str, paths: list) -> None:
        from pathlib import Path

        self._select_node(node_id)
        for p in paths:
            self.evidence.attach_path(Path(p), node_id)

    def _on_node_activated(self, node_id: str) -> None:
        self.docks["checklist"].show()
        self.docks["checklist"].raise_()

    def _select_node(self, node_id: str) -> None:
        scene = self.window.scene
        scene.select_ids([node_id])
        self.context.set_selection([node_id])
        item = scene.node_item(node_id)
        if item is not None:
            self.window.view.centerOn(item)

    def _follow_controller(self) -> None:
        """Count approvals per changed node (``ProgressTally``) for the shown document."""
        old, ctrl = self._tally_controller, self.context.controller
        if old is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                old.changes_applied.disconnect(self._progress_changes)
        self._tally_controller = ctrl
        if ctrl is not None:
            ctrl.changes_applied.connect(self._progress_changes)
        # Counting every node's status waits for the first frame of a large document; the
        # label is empty until then.
        self._tally.reset(None)
        self.progress_label.setText("")
        self.context.defer(self.update_progress)

    def _progress_changes(self, changes: list) -> None:
        ctrl = self.context.controller
        self._tally.apply(changes, ctrl.node if ctrl is not None and self._tally.document is ctrl.document else None)
        self.update_progress()

    def update_progress(self) -> None:
        ctrl = self.window.controller
        if ctrl is None:
            self.progress_label.setText("")
            return
        if self._tally.document is not ctrl.document:
            self._tally.reset(ctrl.document)
        self.progress_label.setText(self._tally.summary())


def install(window: Any) -> Records:
    records = Records(window)
    window.records = records
    return records
