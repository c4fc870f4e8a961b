"""Memory the window no longer shows, given back in slices once the window has moved on.

Freeing a document is freeing every object it holds: at 5,000 nodes some 500,000 (records and
a 51,000-event audit trail), about 0.1 s of deallocation in one go, which is what File → Close,
File → New and opening another document used to wait for. The canvas items of a closed
document are the same story on a smaller scale: Qt deletes them in one pass, but their Python
side (snapshots, layouts, routes) costs a few milliseconds per thousand nodes to free.

``release_later`` keeps such a closed document or dict of items and, from a later event-loop
turn, trims it a slice at a time (each slice a few milliseconds), so the window shows its new
state at once and never stalls while the memory is returned. Slices wait while a mouse button
is held: a drag or a rubber band started right after an open gets every turn to itself (a
slice between two mouse moves would be a dropped frame there). They also wait while something
registered with ``hold_while`` says it is busy (a document being read in the background, which
needs the interpreter more than a closed document does). Only what nothing else uses is
handed here (a closed workspace's document; items the scene has dropped), so trimming it is
invisible.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication

from sopdesigner.model.document import Document

#: Objects freed per event-loop turn: audit events, then nodes with their records, then
#: connectors; canvas items with their Python side. Sized for a few milliseconds a slice on a
#: slow laptop.
AUDIT_SLICE = 2_000
NODE_SLICE = 200
EDGE_SLICE = 2_000
ITEM_SLICE = 300
#: The first slice waits this long, so the turn that paints the window's new state is not it.
START_DELAY_MS = 50
#: While a mouse button is held (or a registered hold is busy), look again this much later.
BUSY_RETRY_MS = 100

_pending: list[tuple[Any, Callable[[Any], None] | None]] = []
_holds: list[weakref.WeakMethod[Callable[[], bool]]] = []
#: The one timer that runs the slices (made on first use, when Qt is up): restarting it is how
#: a new target gets its start delay, and there is never a second chain of slices.
_timer: QTimer | None = None


def _schedule(ms: int) -> None:
    global _timer
    if _timer is None:
        _timer = QTimer()
        _timer.setSingleShot(True)
        _timer.timeout.connect(_step)
    _timer.start(ms)


def release_later(
    target: Document | dict[Any, Any] | Callable[[], bool], unlink: Callable[[Any], None] | None = None
) -> None:
    """Free ``target`` slice by slice on later event-loop turns (see the module doc): a closed
    document's lists, a dict whose values are canvas items Qt has already deleted, or a step
    function that frees one slice and returns True while more is left. ``unlink`` is called on
    each dict value as it is dropped (to break the item's reference cycles, so reference
    counting frees it without a full GC pass)."""
    _pending.append((target, unlink))
    _schedule(START_DELAY_MS)  # the turn that shows the window's new state comes first


def hold_while(busy: Callable[[], bool]) -> None:
    """Make slices wait while the bound method ``busy()`` returns True; it is held weakly,
    so its object may go away without telling."""
    _holds.append(weakref.WeakMethod(busy))  # type: ignore[arg-type]


def _held() -> bool:
    if QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
        return True
    for ref in list(_holds):
        busy = ref()
        if busy is None:
            _holds.remove(ref)
            continue
        try:
            if busy():
                return True
        except RuntimeError:  # its Qt object was deleted
            _holds.remove(ref)
    return False


def pending() -> int:
    """How many closed documents or item dicts are still being released (for tests)."""
    return len(_pending)


def release_step() -> bool:
    """Free one slice of the oldest pending target; False once nothing is left."""
    if not _pending:
        return False
    target, unlink = _pending[0]
    if callable(target):
        if target():
            return True
    elif isinstance(target, dict):
        for _ in range(min(ITEM_SLICE, len(target))):
            _key, value = target.popitem()
            if unlink is not None:
                unlink(value)
        if target:
            return True
    else:
        lists = ((target.audit, AUDIT_SLICE), (target.nodes, NODE_SLICE), (target.edges, EDGE_SLICE))
        for items, size in lists:
            if items:
                del items[-size:]  # from the end: no list shifting
                return True
    _pending.pop(0)
    return bool(_pending)


def _step() -> None:
    if not _pending:
        return
    if _held():
        _schedule(BUSY_RETRY_MS)
    elif release_step():
        _schedule(0)
