"""The record panels' docks (checklist, evidence, request, audit), with the panels built on first
need — the same pattern as the window's own panels in ``ui/window_panels.py``.

The docks exist from the start, empty and tabbed as before: a saved layout restores onto them
and View → Panels lists their toggles. The panel widgets (≈ 2.7 MiB and 15 ms of start-up, most
of it the audit table and the checklist's list) are built the first time a document is shown, a
dock becomes visible, or code asks for a panel; the start page, which hides every dock, never
needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget

from sopdesigner.ui.records.context import RecordsContext

if TYPE_CHECKING:
    from sopdesigner.ui.records.audit_panel import AuditPanel
    from sopdesigner.ui.records.checklist_panel import ChecklistPanel
    from sopdesigner.ui.records.evidence_panel import EvidencePanel
    from sopdesigner.ui.records.request_panel import RequestPanel

Area = Qt.DockWidgetArea

#: (key, title, dock objectName, area) of the record docks, in View → Panels order.
RECORD_DOCKS: tuple[tuple[str, str, str, Qt.DockWidgetArea], ...] = (
    ("checklist", "Checklist and sign-offs", "ChecklistDock", Area.RightDockWidgetArea),
    ("evidence", "Evidence", "EvidenceDock", Area.RightDockWidgetArea),
    ("request", "Request and SOP identity", "RequestDock", Area.RightDockWidgetArea),
    ("audit", "Audit trail", "AuditDock", Area.BottomDockWidgetArea),
)


@dataclass
class RecordPanels:
    checklist: ChecklistPanel
    evidence: EvidencePanel
    request: RequestPanel
    audit: AuditPanel


class RecordDocks(QObject):
    """Owns the record docks of a ``MainWindow`` and builds their panels on first need."""

    def __init__(self, window: Any, context: RecordsContext, on_built: Callable[[RecordPanels], None]):
        super().__init__(window)
        self._window = window
        self._ctx = context
        self._on_built = on_built
        self._panels: RecordPanels | None = None
        self.docks: dict[str, QDockWidget] = {}
        for key, title, name, area in RECORD_DOCKS:
            dock = window.add_panel(None, title, name, area)
            dock.visibilityChanged.connect(self._dock_visible)
            self.docks[key] = dock
        # One tab group keeps each record panel tall enough to read next to Properties.
        window.tabifyDockWidget(self.docks["checklist"], self.docks["evidence"])
        window.tabifyDockWidget(self.docks["evidence"], self.docks["request"])
        self.docks["checklist"].raise_()

    def _dock_visible(self, visible: bool) -> None:
        # Closing shows the docks hidden by the start page only to save their layout.
        if visible and not getattr(self._window, "_closing", False):
            self.ensure()

    @property
    def built(self) -> bool:
        return self._panels is not None

    def ensure(self) -> RecordPanels:
        """The panels, built now if they were not yet. Each one reads the context's current
        document and selection as it is built, so a late panel shows what an early one would."""
        if self._panels is not None:
            return self._panels
        from sopdesigner.ui.records.audit_panel import AuditPanel
        from sopdesigner.ui.records.checklist_panel import ChecklistPanel
        from sopdesigner.ui.records.evidence_panel import EvidencePanel
        from sopdesigner.ui.records.request_panel import RequestPanel

        ctx = self._ctx
        panels = RecordPanels(ChecklistPanel(ctx), EvidencePanel(ctx), RequestPanel(ctx), AuditPanel(ctx))
        self._panels = panels
        for key, widget in (
            ("checklist", panels.checklist),
            ("evidence", panels.evidence),
            ("request", panels.request),
            ("audit", panels.audit),
        ):
            self.docks[key].setWidget(widget)
        self._on_built(panels)
        return panels
