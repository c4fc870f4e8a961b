"""Cold paths in freshly spawned processes: T1 (spawn → empty editor window painted) and T2
(spawn → a stored document open and painted at fit), each next to its floor, plus the resident
memory of each process at that moment (T18).

Floors (PERFORMANCE.md tables 1 and 10): T1 is a bare PySide6 ``QMainWindow`` with a menu and
a label, shown and painted. T2 is the same work with nothing else: sqlite3 reads the stored
document and audit rows, the product's pydantic model validates them with the GC paused and
frozen after, a bare BSP-indexed scene of one painted item per node (with level of detail) and
one line per connector is built, fitted and painted.
"""

from __future__ import annotations

import statistics
import tempfile

from benchmarks.perf.common import spawn_until_line

FLOOR_START = """
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.menuBar().addMenu("File")
w.resize(1600, 1000); w.show(); app.processEvents(); w.repaint()
from benchmarks.perf.common import rss_mib
import json; print(json.dumps({"rss": rss_mib()}), flush=True)
"""

PRODUCT_START = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sopdesigner.ui import app as ui_app
ui_app.run(None)
w = ui_app.windows[-1]
w.resize(1600, 1000); app.processEvents(); w.repaint()
from benchmarks.perf.common import rss_mib
heavy = [m for m in ("networkx", "reportlab") if m in sys.modules]
import json; print(json.dumps({"rss": rss_mib(), "heavy": heavy}), flush=True)
"""

PRODUCT_OPEN = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sopdesigner.ui import app as ui_app
import time
ui_app.run(sys.argv[1])
w = ui_app.windows[-1]
while w.files.open_in_progress:  # a file of 2 MB or more is read in a worker thread
    app.processEvents(); time.sleep(0.001)
w.resize(1600, 1000); app.processEvents()  # runs the queued fit-to-window
w.view.viewport().repaint()
n = len(w.controller.document.nodes)
from benchmarks.perf.common import rss_mib
import json; print(json.dumps({"rss": rss_mib(), "nodes": n}), flush=True)
"""

FLOOR_OPEN = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from benchmarks.floors import floor_open
doc, view = floor_open(sys.argv[1], 1600, 1000)
from benchmarks.perf.common import rss_mib
print(json.dumps({"rss": rss_mib(), "nodes": len(doc.nodes)}), flush=True)
"""


def _median_runs(code: str, home: str, rounds: int, *args: str) -> tuple[float, float, dict]:
    runs = [spawn_until_line(code, home, *args) for _ in range(rounds)]
    return (
        statistics.median(t for t, _ in runs) * 1000,
        statistics.median(r["rss"] for _, r in runs),
        runs[-1][1],
    )


def start(rounds: int) -> dict:
    """T1 and T18 (empty window)."""
    with tempfile.TemporaryDirectory() as home:
        spawn_until_line(PRODUCT_START, home)  # warm the OS file cache and the preview cache
        spawn_until_line(FLOOR_START, home)
        f_ms, f_rss, _ = _median_runs(FLOOR_START, home, rounds)
        p_ms, p_rss, info = _median_runs(PRODUCT_START, home, rounds)
    return {
        "T1": {"product": p_ms, "floor": f_ms, "unit": "ms", "heavy_imports": info["heavy"]},
        "T18 empty": {"product": p_rss, "floor": f_rss, "unit": "MiB"},
    }


def open_document(path: str, rounds: int) -> dict:
    """T2 and T18 (document open) for one stored document."""
    with tempfile.TemporaryDirectory() as home:
        spawn_until_line(PRODUCT_OPEN, home, path)  # warm the OS file cache
        f_ms, f_rss, _ = _median_runs(FLOOR_OPEN, home, rounds, path)
        p_ms, p_rss, _ = _median_runs(PRODUCT_OPEN, home, rounds, path)
    return {
        "T2": {"product": p_ms, "floor": f_ms, "unit": "ms"},
        "T18 open": {"product": p_rss, "floor": f_rss, "unit": "MiB"},
    }
