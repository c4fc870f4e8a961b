"""Work queued after the next frame: ``AfterFrame`` on a real widget, and the view's rule that
only a large document shown in a visible view waits for its first paint."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from sopdesigner.ui.canvas import after_frame
from sopdesigner.ui.canvas.after_frame import AfterFrame
from sopdesigner.ui.canvas.scene import DiagramScene
from sopdesigner.ui.canvas.style import LIGHT
from sopdesigner.ui.canvas.view import DEFER_FROM_NODES, DiagramView
from sopdesigner.ui.controller import DocumentController
from tests.factories import chain_document


@pytest.fixture
def shown(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(200, 100)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_tasks_run_after_the_next_paint_in_order(shown, qtbot):
    queue = AfterFrame(shown)
    done: list[str] = []
    queue.call(lambda: done.append("validate"))
    queue.call(lambda: done.append("audit"))
    assert done == [] and queue.pending == 2
    shown.repaint()  # the paint itself runs nothing: the tasks follow it
    assert done == []
    qtbot.waitUntil(lambda: done == ["validate", "audit"], timeout=5000)
    assert queue.pending == 0


def test_tasks_run_one_per_event_loop_turn(shown):
    queue = AfterFrame(shown)
    done: list[int] = []
    for i in range(3):
        queue.call(lambda i=i: done.append(i))
    shown.repaint()
    seen: list[int] = []
    deadline = time.monotonic() + 5
    while len(done) < 3 and time.monotonic() < deadline:
        time.sleep(0.002)
        QApplication.processEvents()
        seen.append(len(done))
    # Each pass of the event loop ran at most one task: input gets in between them.
    assert done == [0, 1, 2]
    assert all(b - a <= 1 for a, b in zip([0, *seen], seen, strict=False))


def test_without_a_paint_the_fallback_timer_runs_the_queue(qtbot, monkeypatch):
    monkeypatch.setattr(after_frame, "FALLBACK_MS", 50)
    hidden = QWidget()  # never shown, so never painted
    qtbot.addWidget(hidden)
    queue = AfterFrame(hidden)
    done: list[str] = []
    queue.call(lambda: done.append("validate"))
    qtbot.waitUntil(lambda: done == ["validate"], timeout=5000)


def test_flush_runs_everything_at_once(shown):
    queue = AfterFrame(shown)
    done: list[int] = []
    queue.call(lambda: done.append(1))
    queue.call(lambda: done.append(2))
    queue.flush()
    assert done == [1, 2] and queue.pending == 0


def test_a_failing_task_does_not_drop_the_ones_after_it(shown, qtbot):
    queue = AfterFrame(shown)
    done: list[str] = []

    def broken() -> None:
        raise RuntimeError("rule bug")

    queue.call(broken)
    queue.call(lambda: done.append("audit"))
    with qtbot.capture_exceptions() as raised:
        shown.repaint()
        qtbot.waitUntil(lambda: done == ["audit"], timeout=5000)
    assert [str(e[1]) for e in raised] == ["rule bug"]


def _view(qtbot, nodes: int) -> DiagramView:
    controller = DocumentController(chain_document(nodes), "Tester")
    view = DiagramView(DiagramScene(controller, LIGHT, controller))  # the scene lives as long
    view.controller = controller  # kept alive with the view
    qtbot.addWidget(view)
    view.resize(400, 300)
    return view


def test_the_view_defers_only_a_large_document_it_shows(qtbot):
    small = _view(qtbot, 10)
    small.show()
    done: list[str] = []
    small.after_next_frame(lambda: done.append("small"))
    assert done == ["small"]  # a few nodes: the work is cheap and runs at once

    large = _view(qtbot, DEFER_FROM_NODES)
    large.after_next_frame(lambda: done.append("hidden"))
    assert done == ["small", "hidden"]  # not shown: no frame to wait for
    large.show()
    qtbot.waitExposed(large)
    large.after_next_frame(lambda: done.append("large"))
    assert done == ["small", "hidden"] and large.deferred_pending == 1
    qtbot.waitUntil(lambda: done[-1] == "large", timeout=5000)
    assert large.deferred_pending == 0
