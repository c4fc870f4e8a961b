"""``RecordsContext``: what the record panels share — the current controller, the selected
nodes and where evidence bytes live — so panels work the same in the main window, in review
mode and standalone in tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from sopdesigner.model.document import Node
from sopdesigner.ui.controller import DocumentController


class EvidenceStore(Protocol):
    """The part of ``storage.workspace.Workspace`` the evidence panel needs."""

    def add_evidence_file(self, src: Path, *, progress: Any = None, cancel: Any = None) -> Any: ...
    def iter_blob(self, sha256: str) -> Iterator[bytes]: ...
    def has_blob(self, sha256: str) -> bool: ...


class RecordsContext(QObject):
    #: The controller (document) changed; panels rebuild.
    controller_changed = Signal()
    #: list[str]: the node ids the panels show (the canvas selection, or the review step).
    selection_changed = Signal(list)
    #: The document's content changed (any op, undo, redo or logged event).
    document_edited = Signal()
    #: str: a one-sentence message for the status bar.
    message = Signal(str)

    def __init__(
        self,
        controller: DocumentController | None = None,
        store: Callable[[], EvidenceStore | None] | None = None,
        user_name: Callable[[], str] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._controller: DocumentController | None = None
        self._selection: list[str] = []
        self._store = store or (lambda: None)
        self._user_name = user_name
        #: How panels postpone the expensive part of showing a new document: at once here;
        #: the editor window runs it after the canvas has painted a large document.
        self.defer: Callable[[Callable[[], None]], None] = lambda fn: fn()
        self.set_controller(controller)

    @property
    def controller(self) -> DocumentController | None:
        return self._controller

    def set_controller(self, controller: DocumentController | None) -> None:
        if controller is self._controller:
            return
        if self._controller is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self._controller.changes_applied.disconnect(self._on_edited)
            with contextlib.suppress(RuntimeError, TypeError):
                self._controller.audit_appended.disconnect(self._on_audit)
        self._controller = controller
        self._selection = []
        self._revision_seen = -1
        if controller is not None:
            controller.changes_applied.connect(self._on_edited)
            controller.audit_appended.connect(self._on_audit)
        self.controller_changed.emit()
        self.selection_changed.emit([])

    def _on_edited(self, *_: object) -> None:
        if self._controller is not None:
            self._revision_seen = self._controller.session.revision
        self.document_edited.emit()

    def _on_audit(self, *_: object) -> None:
        # An edit emits changes_applied and then audit_appended for the same revision: the
        # panels refresh once per edit, not twice (each refresh walks the whole document).
        if self._controller is not None and self._controller.session.revision == self._revision_seen:
            return
        self._on_edited()

    def store(self) -> EvidenceStore | None:
        return self._store()

    def user_name(self) -> str:
        if self._user_name is not None:
            name = self._user_name().strip()
            if name:
                return name
        return self._controller.actor if self._controller else ""

    # -- selection --
    @property
    def selection(self) -> list[str]:
        return list(self._selection)

    def set_selection(self, node_ids: list[str]) -> None:
        ids = list(node_ids)
        if ids != self._selection:
            self._selection = ids
            self.selection_changed.emit(ids)

    def current_node(self) -> Node | None:
        """The single node the panels show: the first selected one that still exists."""
        if self._controller is None:
            return None
        for nid in self._selection:
            node = self._controller.node(nid)
            if node is not None:
                return node
        return None

    def execute(self, op: Any) -> bool:
        return self._controller.execute(op) if self._controller else False
