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
        # The canvas items are gone with the close; the document itself is handed to
        # release_later, which gives its memory back slice by slice on later turns.
        qt_alive = [name for name in ("node item", "edge item") if refs[name]() is not None]
        assert release.pending() == 1
        slices = 0
        while release.release_step():
            slices += 1
        alive = [name for name, ref in refs.items() if ref() is not None]
    finally:
        gc.enable()
    assert qt_alive == []
    assert slices >= 1
    assert alive == []


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
    assert release.pending() == 1 and len(held.nodes) == 300  # nothing freed during the close
    qtbot.waitUntil(lambda: release.pending() == 0, timeout=5000)
    assert held.nodes == [] and held.edges == [] and held.audit == []
    # The window goes on as usual: a document opens again after the release.
    window.files.open_path(tmp_path / "big.sop")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=5000)
    assert len(window.controller.document.nodes) == 300
