"""A closed document's memory, given back in slices once the window has moved on.

Freeing a document is freeing every object it holds: at 5,000 nodes some 500,000 (records and
a 51,000-event audit trail), about 0.1 s of deallocation in one go, which is what File → Close,
File → New and opening another document used to wait for. ``release_later`` keeps the closed
document and, from the event-loop turn after next, trims its lists a slice at a time (each
slice a few milliseconds), so the window shows its new state at once and never stalls while
the memory is returned. Only a document nothing else uses is handed here (its workspace
closed, its controller deleted); trimming its lists is then invisible.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer

from sopdesigner.model.document import Document

#: Objects freed per event-loop turn: audit events, then nodes with their records, then
#: connectors. Sized for a few milliseconds a slice on a slow laptop.
AUDIT_SLICE = 2_000
NODE_SLICE = 200
EDGE_SLICE = 2_000
#: The first slice waits this long, so the turn that paints the window's new state is not it.
START_DELAY_MS = 50

_pending: list[Any] = []


def release_later(target: Document) -> None:
    """Free a closed document's lists slice by slice on later event-loop turns (see the
    module doc)."""
    _pending.append(target)
    if len(_pending) == 1:
        QTimer.singleShot(START_DELAY_MS, _step)


def pending() -> int:
    """How many closed documents are still being released (for tests)."""
    return len(_pending)


def release_step() -> bool:
    """Free one slice of the oldest pending document; False once nothing is left."""
    if not _pending:
        return False
    doc = _pending[0]
    for items, size in ((doc.audit, AUDIT_SLICE), (doc.nodes, NODE_SLICE), (doc.edges, EDGE_SLICE)):
        if items:
            del items[-size:]  # from the end: no list shifting
            return True
    _pending.pop(0)
    return bool(_pending)


def _step() -> None:
    if release_step():
        QTimer.singleShot(0, _step)
