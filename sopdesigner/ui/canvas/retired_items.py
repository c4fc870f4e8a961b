"""Canvas items of a closed document, taken out of the scene a slice at a time.

File → Close shows the start page: the canvas is hidden, so the closed document's items need
not leave the scene in the turn that shows the page. Deleting them at once
(``QGraphicsScene.clear``) costs about 3 ms per thousand nodes in Qt, and their Python side
(snapshots, layouts, routes) as much again; here they are handed to ``ui.release``, which
removes and frees them a slice at a time on later event-loop turns (waiting while a mouse
button is held). Nothing can reach them meanwhile: the scene's id maps no longer list them,
their selection is cleared, and the view that could paint or hit-test them is hidden. If a
document is shown before the slices are done, the scene's ``clear()`` deletes what is left
and the slices only drop the dead wrappers.
"""

from __future__ import annotations

import weakref
from typing import Any

import shiboken6
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from sopdesigner.ui import release
from sopdesigner.ui.canvas.node_item import NodeItem


class RetiredItems:
    """The items a scene has retired and not yet removed; one per scene."""

    def __init__(self, scene: QGraphicsScene) -> None:
        # Weak: the scene owns this; a strong reference back would be a cycle, and the scene
        # would then be destroyed at some later GC pass instead of when its owner lets go.
        self._scene = weakref.ref(scene)
        self._items: list[QGraphicsItem] = []

    def __len__(self) -> int:
        return len(self._items)

    def retire(self, items: list[Any]) -> None:
        """Take ``items`` (still in the scene) out of it later, in slices."""
        if not items:
            return
        idle = not self._items
        self._items.extend(items)
        if idle:
            release.release_later(self._step)

    def _step(self) -> bool:
        """Remove and free one slice; True while some are left."""
        items = self._items
        scene = self._scene()
        if scene is not None and not shiboken6.isValid(scene):
            scene = None
        for _ in range(min(release.ITEM_SLICE, len(items))):
            item = items.pop()
            # A clear() since (another document shown, the window closed) deleted it already.
            if scene is not None and shiboken6.isValid(item):
                scene.removeItem(item)  # back in Python's hands: freed with the last reference
            if isinstance(item, NodeItem):
                item.edges.clear()  # its connectors point back at it: no cycle left for the GC
        return bool(items)
