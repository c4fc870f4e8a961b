"""``DocumentController``: the one command path from gestures to the document.

UI code calls ``execute(op)``; the controller applies it through the ``EditSession`` (the
only writer of the document), pushes an ``OpCommand`` on the undo stack and emits
``changes_applied`` so the scene and panels redraw. A refused op (a ``SopError``) changes
nothing and is reported through ``error_raised`` for the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from sopdesigner.editing.session import EditSession, Phase
from sopdesigner.errors import SopError
from sopdesigner.model.document import Document, Node
from sopdesigner.ops.base import Change, Op
from sopdesigner.ui.undo import OpCommand

if TYPE_CHECKING:
    from sopdesigner.ui.canvas.prepared import PreparedItems


class DocumentController(QObject):
    #: list[Change]: the model changed; views update the ids named.
    changes_applied = Signal(list)
    #: list[AuditEvent]: events were appended to the audit trail.
    audit_appended = Signal(list)
    #: str: an edit was refused; one sentence for the status bar.
    error_raised = Signal(str)
    #: bool: review mode locked (True) or unlocked (False) the structure.
    structure_lock_changed = Signal(bool)

    def __init__(self, document: Document, actor: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.session = EditSession(document, actor)
        self.undo_stack = QUndoStack(self)
        self._node_map: dict[str, tuple[int, Node]] = {}
        self._node_map_key: tuple[int, int, int] | None = None
        self._prepared: tuple[int, PreparedItems] | None = None

    @property
    def document(self) -> Document:
        return self.session.document

    @property
    def actor(self) -> str:
        return self.session.actor

    def node(self, node_id: str) -> Node | None:
        """The shown document's node with this id, or None. Every view handles each edit by
        id; a map kept across edits spares each of them a scan of 10,000 nodes. An entry is
        trusted only while the list still holds that very node at that index."""
        nodes = self.document.nodes
        hit = self._node_map.get(node_id)
        key = (id(nodes), len(nodes), self.session.revision)
        if hit is not None:
            i, node = hit
            if i < len(nodes) and nodes[i] is node:
                return node
        elif self._node_map_key == key:
            return None  # absent from the list the map was built from, unchanged since
        self._node_map = {n.id: (i, n) for i, n in enumerate(nodes)}
        self._node_map_key = key
        hit = self._node_map.get(node_id)
        return hit[1] if hit is not None else None

    def set_prepared_items(self, prepared: PreparedItems) -> None:
        """Keep what the open worker made for the canvas from this very document."""
        if prepared.document is self.document:
            self._prepared = (self.session.revision, prepared)

    def prepared_items(self) -> PreparedItems | None:
        """The node snapshots and routes made ahead for the canvas, while the document is
        unchanged since (any edit or logged event drops them: they would be stale)."""
        if self._prepared is not None and self._prepared[0] != self.session.revision:
            self._prepared = None
        return self._prepared[1] if self._prepared is not None else None

    def set_actor(self, actor: str) -> None:
        self.session.actor = actor.strip() or self.session.actor

    def execute(self, op: Op, *, merge_key: str | None = None) -> bool:
        """Apply ``op`` as one undoable step. Returns False (and emits error_raised) if refused."""
        try:
            outcome = self.session.apply(op, "do")
        except SopError as err:
            self.error_raised.emit(str(err))
            return False
        self.undo_stack.push(OpCommand(self, op, outcome.inverse, merge_key=merge_key))
        self._emit(outcome.changes, outcome.events)
        return True

    def apply_from_stack(self, op: Op, phase: Phase) -> Op:
        """Called by OpCommand on undo/redo; returns the op that reverses this one."""
        outcome = self.session.apply(op, phase)
        self._emit(outcome.changes, outcome.events)
        return outcome.inverse

    def log(self, action: str, node: str | None = None, details: dict[str, Any] | None = None) -> None:
        """Append a non-edit audit event (review session start/end…)."""
        event = self.session.log(action, node, details)
        self.audit_appended.emit([event])

    def set_structure_locked(self, locked: bool) -> None:
        self.session.structure_locked = locked
        self.structure_lock_changed.emit(locked)

    def _emit(self, changes: list[Change], events: list[Any]) -> None:
        if changes:
            self.changes_applied.emit(changes)
        if events:
            self.audit_appended.emit(events)
