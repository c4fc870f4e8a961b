"""The BSP index must stay effective: a hit test or a paint of a small area looks at the items
there, not at every edge. (Blocking the scene's signals during a rebuild once hid the scene
rect from the index and made every edge a candidate everywhere.)"""

from __future__ import annotations

from PySide6.QtCore import QRectF

from sopdesigner.ui.canvas import edge_item
from sopdesigner.ui.canvas.scene import DiagramScene
from sopdesigner.ui.canvas.style import LIGHT
from sopdesigner.ui.controller import DocumentController
from tests.factories import chain_document

_chain = chain_document


def test_small_area_queries_touch_few_edges(qapp, monkeypatch):
    scene = DiagramScene(DocumentController(_chain(300), actor="t"), LIGHT)
    calls = []
    original = edge_item.EdgeItem.boundingRect

    def counting(self):
        calls.append(self.edge_id)
        return original(self)

    monkeypatch.setattr(edge_item.EdgeItem, "boundingRect", counting)
    area = QRectF(120 + 260 * 150 - 20, 70, 40, 20)  # on node 150
    scene.items(area)  # lets the index settle
    calls.clear()
    found = scene.items(area)
    assert scene.node_item("n150") in found
    # Only edges in the index cells near node 150 are considered, never all 299.
    assert 0 < len(set(calls)) < 30
    # Still true after an edit rebuilt lanes and the scene rect.
    scene.select_all()
    scene.rebuild()
    scene.items(area)
    calls.clear()
    scene.items(area)
    assert 0 < len(set(calls)) < 30
