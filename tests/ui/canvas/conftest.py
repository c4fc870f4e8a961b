"""Fixtures for canvas tests: a real controller, scene and view on the factory document, shown
at 100 % so scene coordinates map to viewport pixels, and helpers that drive the viewport with
real mouse and key events."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from sopdesigner.ui.canvas.scene import DiagramScene
from sopdesigner.ui.canvas.style import LIGHT
from sopdesigner.ui.canvas.view import DiagramView
from sopdesigner.ui.controller import DocumentController


@dataclass
class Canvas:
    controller: DocumentController
    scene: DiagramScene
    view: DiagramView
    errors: list[str]

    @property
    def doc(self):
        return self.controller.document

    def vp(self, x: float, y: float) -> QPoint:
        """Viewport pixel of scene point (x, y)."""
        return self.view.mapFromScene(QPointF(x, y))

    def press(self, x, y, button=Qt.MouseButton.LeftButton, modifier=Qt.KeyboardModifier.NoModifier):
        QTest.mousePress(self.view.viewport(), button, modifier, self.vp(x, y))

    def move(self, x, y):
        QTest.mouseMove(self.view.viewport(), self.vp(x, y))

    def release(self, x, y, button=Qt.MouseButton.LeftButton):
        QTest.mouseRelease(self.view.viewport(), button, Qt.KeyboardModifier.NoModifier, self.vp(x, y))

    def drag(self, start: tuple[float, float], end: tuple[float, float], steps: int = 6):
        self.press(*start)
        sx, sy = start
        ex, ey = end
        for i in range(1, steps + 1):
            self.move(sx + (ex - sx) * i / steps, sy + (ey - sy) * i / steps)
        self.release(*end)

    def key(self, key, modifier=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(self.view.viewport(), key, modifier)

    def undo(self):
        self.controller.undo_stack.undo()

    def redo(self):
        self.controller.undo_stack.redo()


@pytest.fixture
def canvas(qtbot, doc):
    controller = DocumentController(doc, actor="tester")
    errors: list[str] = []
    controller.error_raised.connect(errors.append)
    scene = DiagramScene(controller, LIGHT)
    view = DiagramView(scene)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    view.reset_zoom()
    view.centerOn(560, 300)
    view.setFocus()
    return Canvas(controller, scene, view, errors)
