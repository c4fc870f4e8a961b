"""Regression test for the PySide6 6.12.0 / CPython 3.11 hazard: every void binding call dropped
a reference to None and the interpreter aborted after a few thousand calls (PERFORMANCE.md).
On 3.12+ None is immortal; the test still runs and passes there."""

from __future__ import annotations

import gc
import sys
import weakref

from sopdesigner.ui.canvas.scene import DiagramScene
from sopdesigner.ui.canvas.style import LIGHT
from sopdesigner.ui.controller import DocumentController


def test_setpos_on_a_node_item_keeps_none_refcount(qapp, doc):
    scene = DiagramScene(DocumentController(doc, actor="t"), LIGHT)
    item = scene.node_item("validate")  # has edges: each setPos runs our itemChange and re-routes them
    item.setPos(0, 0)
    before = sys.getrefcount(None)
    for i in range(5000):
        item.setPos(float(i % 400), float(i % 300))
        item.update()
    after = sys.getrefcount(None)
    # A leaking binding loses one reference per call (-5,000 or more); allow small noise either way.
    assert after >= before - 50
    assert scene.node_item("validate").edges[0].end_points()[0] is not None


def _freed_by_reference_counting(held: list) -> bool:
    """Drop the only reference to ``held[0]`` with the cyclic GC off: whether that freed it."""
    ref = weakref.ref(held[0])
    gc.collect()
    gc.disable()  # only reference counting may free it
    try:
        held.clear()
        return ref() is None
    finally:
        gc.enable()


def test_a_scene_nobody_holds_is_freed_by_reference_counting(qapp, doc):
    """A scene must not sit in a reference cycle (say, with a helper that points back at it):
    it would then be destroyed at some later GC pass, in the middle of other work, with its
    signal connections still live."""
    assert _freed_by_reference_counting([DiagramScene(DocumentController(doc, actor="t"), LIGHT)])


def test_a_controller_with_undo_history_is_freed_by_reference_counting(qapp, doc):
    """Its undo commands must not point back at it: freed by a GC pass instead, the controller
    deleted commands whose Python side that same pass had already freed (a crash)."""
    from sopdesigner.ops import SetNodeFields

    held = [DocumentController(doc, actor="t")]
    controller = held[0]
    controller.execute(SetNodeFields("validate", {"title": "Renamed"}))
    controller.undo_stack.undo()
    controller.undo_stack.redo()
    assert doc.node("validate").title == "Renamed"
    del controller
    assert _freed_by_reference_counting(held)
