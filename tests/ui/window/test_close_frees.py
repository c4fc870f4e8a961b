"""File → Close frees the closed document and its canvas items by reference counting.

The window keeps the heap frozen when it closes a document (no full GC pass over everything
else), so whatever the close leaves in a reference cycle would stay until the next open: the
node and connector items, which point at each other, must not be such a cycle.
"""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QCoreApplication, QEvent

from sopdesigner.ui import release
from sopdesigner.ui.canvas.edge_item import EdgeItem
from sopdesigner.ui.canvas.node_item import NodeItem


def test_close_frees_document_and_items_without_a_gc_pass(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc.model_copy(deep=True))  # the fixture keeps its own
    answers.save_path = str(tmp_path / "closed.sop")
    assert window.files.save()
    node_item = next(it for it in window.scene.node_items() if it.edges)
    refs = {
        "node item": weakref.ref(node_item),
        "edge item": weakref.ref(node_item.edges[0]),
        "document": weakref.ref(window.controller.document),
        "model node": weakref.ref(window.controller.document.nodes[0]),
    }
    del node_item
    while release.release_step():  # what earlier tests left to release
        pass
    gc.collect()
    gc.disable()  # only reference counting may free them
    try:
        window.actions["close"].trigger()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert window.workspace is None
        # The start page hides the canvas: the closed document's items leave the scene later,
        # in slices, as the document itself does (release_later). Nothing reaches them now.
        assert not window.view.isVisible()
        assert window.scene.node_count() == 0 and window.scene.selectedItems() == []
        assert release.pending() == 2  # the retired items, the document
        slices = 0
        while release.release_step():
            slices += 1
        alive = [name for name, ref in refs.items() if ref() is not None]
        left = [it for it in window.scene.items() if isinstance(it, (NodeItem, EdgeItem))]
    finally:
        gc.enable()
    assert slices >= 1
    assert alive == []
    assert left == []


def test_a_document_shown_before_the_slices_end_clears_what_is_left(window, answers, qtbot, tmp_path):
    from tests.factories import chain_document

    window.new_from_document(chain_document(release.ITEM_SLICE * 2))
    answers.save_path = str(tmp_path / "first.sop")
    assert window.files.save()
    while release.release_step():  # what earlier tests left to release
        pass
    node_item = window.scene.node_items()[0]
    ref = weakref.ref(node_item)
    del node_item
    window.actions["close"].trigger()
    assert release.pending() == 2  # the retired items, the document
    assert release.release_step()  # one slice: most items are still in the scene
    window.new_from_document(chain_document(3))  # its rebuild clears the scene at once
    kinds = [it for it in window.scene.items() if isinstance(it, NodeItem)]
    assert len(kinds) == 3 and window.scene.node_count() == 3
    while release.release_step():  # the rest: dead wrappers, dropped without error
        pass
    assert ref() is None
    assert len([it for it in window.scene.items() if isinstance(it, NodeItem)]) == 3


def test_a_closed_document_is_released_in_slices_on_later_turns(window, answers, qtbot, tmp_path):
    from tests.factories import chain_document

    doc = chain_document(300)  # a few slices of nodes
    window.new_from_document(doc)
    answers.save_path = str(tmp_path / "big.sop")
    assert window.files.save()
    held = window.controller.document
    while release.release_step():  # what earlier tests left to release
        pass
    window.actions["close"].trigger()
    assert window.workspace is None
    # Nothing of the document is freed during the close (its retired items are pending too).
    assert release.pending() == 2 and len(held.nodes) == 300
    qtbot.waitUntil(lambda: release.pending() == 0, timeout=5000)
    assert held.nodes == [] and held.edges == [] and held.audit == []
    # The window goes on as usual: a document opens again after the release.
    window.files.open_path(tmp_path / "big.sop")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=5000)
    assert len(window.controller.document.nodes) == 300


def test_release_waits_while_a_mouse_button_is_held(window, qtbot):
    """A drag started right after an open gets every event-loop turn: slices wait for the
    button to come up."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    while release.release_step():  # what earlier tests left to release
        pass
    held = {i: object() for i in range(release.ITEM_SLICE * 2)}
    vp = window.view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    try:
        release.release_later(held)
        qtbot.wait(release.START_DELAY_MS + 3 * release.BUSY_RETRY_MS)
        assert release.pending() == 1 and len(held) == release.ITEM_SLICE * 2
    finally:
        QTest.mouseRelease(vp, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    qtbot.waitUntil(lambda: release.pending() == 0, timeout=5000)
    assert held == {}


class _Busy:
    def __init__(self) -> None:
        self.on = True

    def busy(self) -> bool:
        return self.on


def test_release_waits_while_a_registered_hold_is_busy(qtbot):
    """A background open registers such a hold: the closed document's memory waits for it."""
    while release.release_step():  # what earlier tests left to release
        pass
    flag = _Busy()
    release.hold_while(flag.busy)
    held = {i: object() for i in range(release.ITEM_SLICE + 1)}
    release.release_later(held)
    qtbot.wait(release.START_DELAY_MS + 3 * release.BUSY_RETRY_MS)
    assert release.pending() == 1 and len(held) == release.ITEM_SLICE + 1
    flag.on = False
    qtbot.waitUntil(lambda: release.pending() == 0, timeout=5000)
    assert held == {}
    del flag  # held weakly: a hold whose object is gone is dropped, not called
    release.release_later({0: object()})
    qtbot.waitUntil(lambda: release.pending() == 0, timeout=5000)
