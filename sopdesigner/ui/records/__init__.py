"""Records on the canvas: checklist, evidence, sign-off, audit and request panels, review mode,
reuse actions and the progress label, wired into a ``MainWindow`` through its public API only.

``install(window)`` is called at the end of ``MainWindow.__init__``; it returns the
``Records`` object (also stored as ``window.records``) that owns the panels and actions. The
actions, their shortcuts and the docks exist from the start; the panels inside the docks are
built on first need (``record_docks.py``), and the review panel on the first review.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel

from sopdesigner.storage.settings import load_settings
from sopdesigner.ui.records.context import RecordsContext
from sopdesigner.ui.records.progress import ProgressTally
from sopdesigner.ui.records.record_docks import RecordDocks, RecordPanels
from sopdesigner.ui.records.reuse_actions import add_reuse_actions
from sopdesigner.ui.records.review_mode import ReviewMode

if TYPE_CHECKING:
    from sopdesigner.ui.records.audit_panel import AuditPanel
    from sopdesigner.ui.records.checklist_panel import ChecklistPanel
    from sopdesigner.ui.records.evidence_panel import EvidencePanel
    from sopdesigner.ui.records.request_panel import RequestPanel

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

        self._record_docks = RecordDocks(window, ctx, self._panels_built)
        window.add_panel_builder(self._record_docks.ensure)

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
        self._tally = ProgressTally()
        self._tally_controller: Any = None
        ctx.document_edited.connect(self.update_progress)
        ctx.controller_changed.connect(self._follow_controller)
        self._follow_controller()
        self._update_actions()

    # -- the panels, on first need --
    def _panels_built(self, panels: RecordPanels) -> None:
        panels.audit.node_clicked.connect(self._select_node)

    @property
    def docks(self) -> dict[str, QDockWidget]:
        return self._record_docks.docks

    @property
    def panels_built(self) -> bool:
        return self._record_docks.built

    @property
    def checklist(self) -> ChecklistPanel:
        return self._record_docks.ensure().checklist

    @property
    def evidence(self) -> EvidencePanel:
        return self._record_docks.ensure().evidence

    @property
    def request(self) -> RequestPanel:
        return self._record_docks.ensure().request

    @property
    def audit(self) -> AuditPanel:
        return self._record_docks.ensure().audit

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
                self._sign_off,
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

    def _sign_off(self) -> None:
        from sopdesigner.ui.records.signoff_dialog import sign_off

        sign_off(self.context, parent=self.window)

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
        from sopdesigner.ops.records import StartReviewRound  # not needed by the empty window

        return ctrl.execute(StartReviewRound(ids))

    # -- window events --
    def _on_document_changed(self) -> None:
        if self.review.active:
            self.review.end()
        if self.window.controller is not None:
            self._record_docks.ensure()  # already built unless the window was never shown
        self.context.set_controller(self.window.controller)
        self._update_actions()

    def _on_files_dropped(self, node_id: str, paths: list) -> None:
        from pathlib import Path

        self._select_node(node_id)
        for p in paths:
            self.evidence.attach_path(Path(p), node_id)

    def _on_node_activated(self, node_id: str) -> None:
        self._record_docks.ensure()
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
