"""The measured interactions that the warm benchmark runs on the product's window and on its
floor's bare view alike: drags driven by real mouse events, repaints at fit and at 100 %, a
zoom step, a pan step, and medians with a collection before each round."""

from __future__ import annotations

import gc
import math
import statistics
import time
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsView

from benchmarks.perf.common import median_ms
from sopdesigner.model.document import Document, Node

ROUNDS = 9
DRAG_STEPS = 40


def pump() -> None:
    # The scene reports dirty regions on a queued call, the view then paints them
    # (MinimalViewportUpdate): two passes so each step pays for its own paint.
    QApplication.processEvents()
    QApplication.processEvents()


def drag(view: QGraphicsView, start: QPoint) -> tuple[float, float]:
    """(median, p95) ms per mouse move of a left-button drag starting at ``start``."""
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    pump()
    steps = []
    for i in range(1, DRAG_STEPS + 1):
        # One grid step (20 px at 100 %) per move, so every move lands on a new snapped position.
        p = QPoint(start.x() + 20 * i, start.y() + (i % 7))
        t0 = time.perf_counter()
        QTest.mouseMove(vp, p)
        pump()
        steps.append((time.perf_counter() - t0) * 1000)
    QTest.mouseRelease(
        vp,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(start.x() + 20 * DRAG_STEPS, start.y()),
    )
    pump()
    steps.sort()
    return statistics.median(steps), steps[max(0, math.ceil(len(steps) * 0.95) - 1)]


def nearest(doc: Document, centre: Node, k: int) -> list[str]:
    c = centre.position
    ranked = sorted(doc.nodes, key=lambda n: (n.position.x - c.x) ** 2 + (n.position.y - c.y) ** 2)
    return [n.id for n in ranked[:k]]


def view_measures(view: QGraphicsView, fit, hundred, centre: QPointF) -> dict[str, float]:
    out: dict[str, float] = {}
    fit()
    QApplication.processEvents()
    out["T6"] = median_ms(view.viewport().repaint, ROUNDS)

    def zoom_step() -> None:  # a wheel step is a scale and a full repaint
        view.scale(1.1, 1.1)
        view.viewport().repaint()
        view.scale(1 / 1.1, 1 / 1.1)

    out["T7"] = median_ms(zoom_step, ROUNDS)
    hundred()
    view.centerOn(centre)
    QApplication.processEvents()
    out["T8 repaint"] = median_ms(view.viewport().repaint, ROUNDS)
    bar = view.horizontalScrollBar()
    direction = [1]

    def pan() -> None:
        direction[0] = -direction[0]
        bar.setValue(bar.value() + 24 * direction[0])
        QApplication.processEvents()

    out["T8 pan"] = median_ms(pan, ROUNDS * 2)
    view.centerOn(centre)
    QApplication.processEvents()
    return out


def median_collected(fn: Any, rounds: int) -> float:
    """Median ms of ``fn`` with an untimed full collection before each call (each load leaves
    a whole document as garbage; the next round must not pay for collecting it)."""
    fn()
    times = []
    for _ in range(rounds):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)
