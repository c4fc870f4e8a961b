"""Lane bands draw only the part a repaint exposes (a drag repaints a few nodes' worth of a
band thousands of units wide): what is on screen after many partial repaints must be exactly
what a full repaint draws, at reading zoom and zoomed out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.canvas.test_overview_layer import _on_screen, _repainted


@pytest.mark.parametrize("zoom", [1.0, 2.5, 0.3])
def test_a_drag_across_lanes_leaves_the_screen_as_a_full_repaint_draws_it(canvas, zoom):
    view, scene = canvas.view, canvas.scene
    view.set_zoom(zoom)
    node = scene.node_item("validate")
    view.centerOn(node)
    for _ in range(3):
        QApplication.processEvents()
    start = view.mapFromScene(node.scenePos())
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 9):  # down across lane borders and sideways, one partial repaint each
        QTest.mouseMove(vp, start + QPoint(9 * i, 23 * i))
        QApplication.processEvents()
        assert _on_screen(view) == _repainted(view)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(72, 184))
    QApplication.processEvents()
    assert _on_screen(view) == _repainted(view)
