"""Prepared items (node snapshots and connector routes made ahead, off the GUI thread): a scene
built from them is the scene built without them, and they are never used once stale."""

from __future__ import annotations

from sopdesigner.model.document import Document
from sopdesigner.ops import MoveNodes, SetNodeFields
from sopdesigner.ui.canvas.prepared import prepare_items
from sopdesigner.ui.canvas.snapshot import edge_snapshot, node_snapshot
from sopdesigner.ui.controller import DocumentController


def _picture(scene) -> dict:
    """Everything the items take from the model: snapshots, positions, routes, bounds."""
    return {
        "nodes": {i: (it.snapshot, it.pos().x(), it.pos().y()) for i, it in scene._nodes.items()},
        "edges": {i: (it.snapshot, it._points, it.boundingRect()) for i, it in scene._edges.items()},
    }


def _overlapping(doc: Document) -> Document:
    """The factory document with two nodes on top of each other: their connector is clipped
    to the outlines with Qt, which the worker leaves to the item."""
    e = doc.edges[0]
    src = next(n for n in doc.nodes if n.id == e.source)
    return doc.model_copy(
        update={
            "nodes": [
                n.model_copy(update={"position": src.position.model_copy(update={"x": src.position.x + 30})})
                if n.id == e.target
                else n
                for n in doc.nodes
            ]
        }
    )


def test_prepared_snapshots_and_routes_equal_what_the_items_compute(canvas):
    scene, doc = canvas.scene, canvas.doc
    names = {r.id: r.name for r in doc.roles}
    lanes = {la.id: la.role for la in doc.lanes}
    prepared = prepare_items(doc)
    assert prepared.nodes == {n.id: node_snapshot(doc, n, names, lanes) for n in doc.nodes}
    assert prepared.edges == {e.id: edge_snapshot(e) for e in doc.edges}
    # Routes as the connector items compute them from the node items' boxes.
    assert prepared.routes == {i: it._points for i, it in scene._edges.items()}
    assert len(prepared.routes) == len(doc.edges) > 0


def test_a_scene_built_from_prepared_items_is_the_scene_built_without(qtbot, doc):
    from sopdesigner.ui.canvas.scene import DiagramScene
    from sopdesigner.ui.canvas.style import LIGHT

    doc = _overlapping(doc)
    plain = DiagramScene(DocumentController(doc, actor="t"), LIGHT)
    controller = DocumentController(doc, actor="t")
    prepared = prepare_items(doc)
    assert len(prepared.routes) == len(doc.edges) - 1  # the overlapping pair is left out
    controller.set_prepared_items(prepared)
    built = DiagramScene(controller, LIGHT)
    assert controller.prepared_items() is prepared
    assert _picture(built) == _picture(plain)
    # The items hold the prepared snapshots themselves (nothing was recomputed).
    assert all(built.node_item(i).snapshot is s for i, s in prepared.nodes.items())
    assert all(built.edge_item(i).snapshot is s for i, s in prepared.edges.items())


def test_prepared_items_are_dropped_by_the_first_edit(canvas):
    scene, controller, doc = canvas.scene, canvas.controller, canvas.doc
    controller.set_prepared_items(prepare_items(doc))
    assert controller.prepared_items() is not None
    controller.execute(SetNodeFields("validate", {"title": "Renamed"}))
    controller.execute(MoveNodes({"risk": (900.0, 240.0)}))
    assert controller.prepared_items() is None
    scene.rebuild()  # a rebuild after the edits shows them, not the prepared state
    assert scene.node_item("validate").snapshot.title == "Renamed"
    assert scene.node_item("risk").pos().x() == 900.0
    fresh = DocumentController(doc, actor="t")
    from sopdesigner.ui.canvas.scene import DiagramScene
    from sopdesigner.ui.canvas.style import LIGHT

    assert _picture(scene) == _picture(DiagramScene(fresh, LIGHT))


def test_items_prepared_from_another_document_are_refused(canvas):
    from tests.factories import make_document

    other = make_document()  # equal to the shown document, but not the same object
    canvas.controller.set_prepared_items(prepare_items(other))
    assert canvas.controller.prepared_items() is None
