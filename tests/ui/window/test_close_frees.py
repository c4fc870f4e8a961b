"""File → Close frees the closed document and its canvas items by reference counting.

The window keeps the heap frozen when it closes a document (no full GC pass over everything
else), so whatever the close leaves in a reference cycle would stay until the next open: the
node and connector items, which point at each other, must not be such a cycle.
"""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QCoreApplication, QEvent


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
    gc.collect()
    gc.disable()  # only reference counting may free them
    try:
        window.actions["close"].trigger()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert window.workspace is None
        alive = [name for name, ref in refs.items() if ref() is not None]
    finally:
        gc.enable()
    assert alive == []
