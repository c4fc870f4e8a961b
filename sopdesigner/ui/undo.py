"""``OpCommand``: the glue between QUndoStack and the pure ops.

The op was already applied by the controller when the command is pushed, so the first
``redo`` (which QUndoStack calls on push) does nothing. Afterwards undo applies the stored
inverse with ``phase="undo"`` and keeps *its* inverse for the next redo: ops and inverses
swap back and forth, and the session records every swap in the audit trail.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from sopdesigner.ops.nodes import MoveNodes

if TYPE_CHECKING:
    from sopdesigner.editing.session import Phase
    from sopdesigner.ops.base import Op
    from sopdesigner.ui.controller import DocumentController

NUDGE_ID = 1001


class OpCommand(QUndoCommand):
    def __init__(self, controller: DocumentController, op: Op, inverse: Op, *, merge_key: str | None = None):
        super().__init__(op.describe())
        # Weakly: the controller owns the stack that owns this command. A strong reference
        # closed a cycle through Qt's ownership, and a controller freed by a GC pass (not by
        # Qt) then deleted commands whose Python side that pass had already freed: a crash.
        self._controller = weakref.ref(controller)
        self._inverse = inverse
        self._first = True
        #: Commands with the same merge_key (consecutive arrow-key nudges) merge into one step.
        self._merge_key = merge_key

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply("redo")

    def undo(self) -> None:
        self._apply("undo")

    def _apply(self, phase: Phase) -> None:
        controller = self._controller()
        if controller is not None:  # always, while its stack can still be asked to undo
            self._inverse = controller.apply_from_stack(self._inverse, phase)

    def id(self) -> int:
        return NUDGE_ID if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, OpCommand) or other._merge_key != self._merge_key or self._merge_key is None:
            return False
        mine, theirs = self._inverse, other._inverse
        if not (isinstance(mine, MoveNodes) and isinstance(theirs, MoveNodes)):
            return False
        # Keep the oldest positions: undoing the merged step goes back to before the first nudge.
        merged = dict(theirs.positions)
        merged.update(mine.positions)
        self._inverse = MoveNodes(merged, {**theirs.lanes, **mine.lanes})
        return True
