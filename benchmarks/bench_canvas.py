"""Benchmark the canvas on large generated documents: scene build, full repaint at fit, a zoom
step, repaint at 100 %, and a one-node drag driven by real mouse events on the viewport.

Each figure is the median of several rounds, reported next to a floor measured in the same run
(PERFORMANCE.md): a bare custom ``QGraphicsItem`` that paints a rounded rectangle and its title,
edges as stock ``QGraphicsLineItem``s centre to centre, in the same BSP-indexed scene with the
same view settings (antialiasing off below 40 % zoom, as the product), and the ratio product / floor.
Target (issue 4): drag step and fit repaint under 16 ms at 1,000 nodes. Run:

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_canvas.py [N ...]
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView

from benchmarks.floors import FloorItem
from benchmarks.generate import generate_document
from sopdesigner.model.geometry import NODE_SIZES
from sopdesigner.ui.canvas.scene import DiagramScene
from sopdesigner.ui.canvas.style import LIGHT
from sopdesigner.ui.canvas.view import DiagramView
from sopdesigner.ui.controller import DocumentController

VIEW_W, VIEW_H = 1600, 1000
DRAG_STEPS = 60


def median_ms(fn: Callable[[], None], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _view(view: QGraphicsView) -> QGraphicsView:
    view.resize(VIEW_W, VIEW_H)
    view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
    view.show()
    QApplication.processEvents()
    return view


def _fit(view: QGraphicsView, rect: QRectF) -> None:
    if isinstance(view, DiagramView):
        view.fit_to_window()
    else:
        view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        view.setRenderHint(QPainter.RenderHint.Antialiasing, view.transform().m11() >= 0.4)
    QApplication.processEvents()


def _measure(view: QGraphicsView, rect: QRectF, node_pos: QPointF) -> dict[str, float]:
    out: dict[str, float] = {}
    _fit(view, rect)
    out["repaint at fit"] = median_ms(view.viewport().repaint, 9)

    def zoom_step() -> None:
        view.scale(1.1, 1.1)
        view.viewport().repaint()
        view.scale(1 / 1.1, 1 / 1.1)

    out["zoom step at fit"] = median_ms(zoom_step, 9)  # scale + full repaint
    if isinstance(view, DiagramView):
        view.reset_zoom()  # also switches the view to its reading-zoom settings
    else:
        view.resetTransform()
        view.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    view.centerOn(node_pos)
    QApplication.processEvents()
    out["repaint at 100 %"] = median_ms(view.viewport().repaint, 9)

    vp = view.viewport()
    start = view.mapFromScene(node_pos)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QApplication.processEvents()
    steps = []
    for i in range(1, DRAG_STEPS + 1):
        p = QPoint(start.x() + 3 * i, start.y() + (i % 7))
        t0 = time.perf_counter()
        QTest.mouseMove(vp, p)
        # The scene reports dirty items on a queued call, the view then paints the dirty region
        # (MinimalViewportUpdate): two passes so each step pays for its own paint.
        QApplication.processEvents()
        QApplication.processEvents()
        steps.append((time.perf_counter() - t0) * 1000)
    QTest.mouseRelease(
        vp,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(start.x() + 3 * DRAG_STEPS, start.y()),
    )
    QApplication.processEvents()
    steps.sort()
    out["drag step (median)"] = statistics.median(steps)
    out["drag step (p95)"] = steps[int(len(steps) * 0.95) - 1]
    return out


def bench(n: int) -> list[tuple[str, float, float]]:
    doc = generate_document(n, records=False)
    node = doc.nodes[len(doc.nodes) // 2]
    node_pos = QPointF(node.position.x, node.position.y - 8)

    # Product.
    gc.collect()
    gc.disable()
    build = []
    for _ in range(3):
        controller = DocumentController(doc.model_copy(deep=True), actor="bench")
        t0 = time.perf_counter()
        scene = DiagramScene(controller, LIGHT)
        build.append((time.perf_counter() - t0) * 1000)
    gc.enable()
    view = _view(DiagramView(scene))
    product = {"scene build": statistics.median(build)}
    product.update(_measure(view, scene.content_rect(), node_pos))
    moved = scene.controller.document.node(node.id).position
    assert (moved.x, moved.y) != (node.position.x, node.position.y), "the drag did not move the node"
    view.close()

    # Floor: bare items at the same positions, edges as stock straight lines, same view settings.
    edge_pen = QPen(QColor("#3E4C59"), 1.8)
    gc.collect()
    gc.disable()
    build = []
    for _ in range(3):
        t0 = time.perf_counter()
        floor_scene = QGraphicsScene()
        floor_scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        centres = {}
        for nd in doc.nodes:
            w, h = NODE_SIZES[nd.kind]
            it = FloorItem(w, h, nd.title)
            it.setPos(nd.position.x, nd.position.y)
            floor_scene.addItem(it)
            centres[nd.id] = (nd.position.x, nd.position.y)
        for e in doc.edges:
            (x1, y1), (x2, y2) = centres[e.source], centres[e.target]
            floor_scene.addLine(x1, y1, x2, y2, edge_pen).setZValue(-1)
        floor_scene.setSceneRect(floor_scene.itemsBoundingRect().adjusted(-400, -400, 400, 400))
        build.append((time.perf_counter() - t0) * 1000)
    gc.enable()
    floor_view = _view(QGraphicsView(floor_scene))
    floor = {"scene build": statistics.median(build)}
    floor.update(_measure(floor_view, floor_scene.itemsBoundingRect(), node_pos))
    floor_view.close()
    return [(k, product[k], floor[k]) for k in product]


def main(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([])
    sizes = [int(a) for a in argv] or [1000]
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, CPython {platform.python_version()}, "
        f"PySide6 {PYSIDE_VERSION}, QPA {app.platformName()}, view {VIEW_W}×{VIEW_H}"
    )
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    for n in sizes:
        print(f"\n{n} nodes")
        print(f"  {'operation':22s} {'product ms':>11s} {'floor ms':>9s} {'ratio':>6s}")
        for name, p, f in bench(n):
            print(f"  {name:22s} {p:11.2f} {f:9.2f} {p / f if f else float('nan'):6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
