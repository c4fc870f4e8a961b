"""Zoomed far out, one overview layer draws the nodes and connectors (see overview_layer).

What it draws must be what the items draw themselves, and nothing may be left behind on
screen when something changes: the tests compare the window's real backing store (what the
user sees, after Qt's partial repaints) with a full repaint and with the items drawing
themselves, on a generated document with every status, rework connectors and labels.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsItem

from benchmarks.generate import generate_document
from sopdesigner.model.enums import NodeKind
from sopdesigner.ops.nodes import RemoveItems, SetNodeFields
from sopdesigner.ui.canvas import overview_layer
from sopdesigner.ui.canvas.overview_layer import OVERVIEW_ZOOM
from sopdesigner.ui.canvas.scene import DiagramScene
from sopdesigner.ui.canvas.style import LIGHT
from sopdesigner.ui.canvas.view import DiagramView
from sopdesigner.ui.controller import DocumentController

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
ZOOM = 0.12


@pytest.fixture
def far(qtbot):
    controller = DocumentController(generate_document(60), actor="tester")
    scene = DiagramScene(controller, LIGHT)
    view = DiagramView(scene)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_zoom(ZOOM)
    view.centerOn(scene.content_rect().center())
    _settle()
    return controller, scene, view


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _on_screen(view: DiagramView) -> QImage:
    """The viewport as it is on screen: the backing store after Qt's partial repaints."""
    vp = view.viewport()
    whole = vp.screen().grabWindow(view.window().winId()).toImage()
    origin = vp.mapTo(view.window(), QPoint(0, 0))
    return whole.copy(origin.x(), origin.y(), vp.width(), vp.height())


def _repainted(view: DiagramView) -> QImage:
    view.viewport().repaint()
    return _on_screen(view)


def _drawn_by_items(scene: DiagramScene, view: DiagramView) -> QImage:
    """The same zoom, every item drawing itself (then the overview is restored)."""
    scene.set_overview(False)
    image = _repainted(view)
    scene.set_overview(True)
    _repainted(view)
    return image


def test_the_overview_layer_draws_what_the_items_would(far):
    _, scene, view = far
    assert ZOOM < OVERVIEW_ZOOM and scene.overview()
    items = [*scene.node_items(), *scene._edges.values()]
    assert items and all(it.in_layer and it.flags() & NO_CONTENTS for it in items)
    assert _repainted(view) == _drawn_by_items(scene, view)
    view.set_zoom(1.0)  # reading zoom: every item draws itself again
    assert not scene.overview() and not any(it.in_layer or it.flags() & NO_CONTENTS for it in items)


def test_selected_items_draw_themselves_and_return_to_the_layer(far):
    _, scene, view = far
    node = scene.node_items()[5]
    edge = node.edges[0]
    scene.select_ids([node.node_id], [edge.edge_id])
    _settle()
    assert not node.in_layer and not edge.in_layer
    assert sum(1 for it in scene.node_items() if not it.in_layer) == 1
    assert _on_screen(view) == _repainted(view) == _drawn_by_items(scene, view)
    scene.select_ids([])
    _settle()
    assert node.in_layer and edge.in_layer
    assert _on_screen(view) == _repainted(view)  # the selection ring left nothing behind


def test_a_drag_in_the_overview_leaves_nothing_behind(far):
    controller, scene, view = far
    node = next(it for it in scene.node_items() if len(it.edges) >= 2)
    y0 = controller.document.node(node.node_id).position.y
    start = view.mapFromScene(node.scenePos())
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 6):
        QTest.mouseMove(vp, start + QPoint(0, 12 * i))
        _settle()
        # Mid-drag: the node draws itself where it is, its connectors follow, no trail.
        assert _on_screen(view) == _repainted(view)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(0, 60))
    _settle()
    assert controller.document.node(node.node_id).position.y > y0 + 200  # 60 px at 12 %
    assert _on_screen(view) == _repainted(view)
    scene.select_ids([])
    _settle()
    assert _on_screen(view) == _repainted(view) == _drawn_by_items(scene, view)
    controller.undo_stack.undo()  # the move comes back through the model: repainted too
    _settle()
    assert _on_screen(view) == _repainted(view) == _drawn_by_items(scene, view)


def test_a_change_through_the_model_in_the_overview_is_repainted(far):
    controller, scene, view = far
    node = scene.node_items()[3]
    before = _on_screen(view)
    assert controller.execute(SetNodeFields(node.node_id, {"kind": NodeKind.DECISION}))
    _settle()
    after = _on_screen(view)
    assert after != before  # its outline changed shape where it stands
    assert after == _repainted(view) == _drawn_by_items(scene, view)


def test_zooming_across_the_threshold_switches_who_draws(far):
    _, scene, view = far
    view.set_zoom(OVERVIEW_ZOOM * 1.3)
    _settle()
    assert not scene.overview()
    assert _on_screen(view) == _repainted(view)
    view.set_zoom(OVERVIEW_ZOOM / 1.3, QPointF(450, 300))
    _settle()
    assert scene.overview()
    assert _on_screen(view) == _repainted(view) == _drawn_by_items(scene, view)


def test_removing_and_restoring_nodes_in_the_overview_is_repainted(far):
    controller, scene, view = far
    node = next(it for it in scene.node_items() if len(it.edges) >= 2)
    assert controller.execute(RemoveItems([node.node_id], []))
    _settle()
    assert scene.node_item(node.node_id) is None
    assert _on_screen(view) == _repainted(view) == _drawn_by_items(scene, view)
    controller.undo_stack.undo()  # back, with its connectors
    _settle()
    assert scene.node_item(node.node_id) is not None
    assert _on_screen(view) == _repainted(view) == _drawn_by_items(scene, view)


def test_dragging_a_selection_with_carried_connectors_in_the_overview(far):
    _, scene, view = far
    node = next(it for it in scene.node_items() if len(it.edges) >= 2)
    edge = node.edges[0]
    other = edge.target if edge.source is node else edge.source
    scene.select_ids([node.node_id, other.node_id])  # their connector is carried by a proxy
    _settle()
    assert edge.in_layer  # not selected itself: the layer drew it until the drag
    start = view.mapFromScene(node.scenePos())
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 5):
        QTest.mouseMove(vp, start + QPoint(15 * i, 0))
        _settle()
        assert edge.opacity() == 0.0  # the proxy draws it while it moves
        assert _on_screen(view) == _repainted(view)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(60, 0))
    _settle()
    assert edge.opacity() == 1.0
    assert _on_screen(view) == _repainted(view)
    scene.select_ids([])
    _settle()
    assert _on_screen(view) == _repainted(view) == _drawn_by_items(scene, view)


def test_selecting_and_clearing_everything_in_the_overview(far, monkeypatch):
    """Many items changing hands at once take one full repaint instead of one each."""
    _, scene, view = far
    monkeypatch.setattr(overview_layer, "_BULK", 50)  # the fixture has 142 items
    assert len(scene.node_items()) + len(scene._edges) > overview_layer._BULK
    scene.select_all()
    _settle()
    assert not any(it.in_layer for it in scene.node_items())
    assert _on_screen(view) == _repainted(view)
    scene.select_ids([])
    _settle()
    assert all(it.in_layer for it in scene.node_items())
    assert _on_screen(view) == _repainted(view) == _drawn_by_items(scene, view)
