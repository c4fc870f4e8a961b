"""Benchmark the editor window (PERFORMANCE.md T1 and T3): a fresh process from spawn to the
painted start page, next to a floor measured in the same run (a bare PySide6 ``QMainWindow``
spawned and painted the same way); and, in one running window, opening a generated document
(SQLite read + validation + scene build + first frame at fit) at several sizes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_window.py [N ...]
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 5

FLOOR_CHILD = """
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.menuBar().addMenu("File")
w.resize(1600, 1000); w.show(); app.processEvents(); w.repaint()
print("painted", flush=True)
"""

PRODUCT_CHILD = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sopdesigner.ui import app as ui_app
ui_app.run(None)
w = ui_app.windows[-1]
w.resize(1600, 1000); app.processEvents(); w.repaint()
heavy = [m for m in ("networkx", "reportlab") if m in sys.modules]
print("painted", ",".join(heavy) or "-", flush=True)
"""


def spawn_to_paint(code: str, home: str) -> tuple[float, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SOPDESIGNER_HOME=home)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.kill()
    proc.wait()
    if not line.startswith("painted"):
        raise RuntimeError(f"child failed: {line!r}")
    return elapsed, line.split()[1] if len(line.split()) > 1 else "-"


def bench_start() -> None:
    with tempfile.TemporaryDirectory() as home:
        spawn_to_paint(PRODUCT_CHILD, home)  # warm the OS file cache, and the preview folders
        floor = statistics.median(spawn_to_paint(FLOOR_CHILD, home)[0] for _ in range(ROUNDS))
        runs = [spawn_to_paint(PRODUCT_CHILD, home) for _ in range(ROUNDS)]
        product = statistics.median(t for t, _ in runs)
    print(
        f"T1 spawn -> painted start page: product {product * 1000:.0f} ms, bare floor {floor * 1000:.0f} ms, "
        f"ratio {product / floor:.2f}; heavy modules imported at start: {runs[-1][1]}"
    )


def bench_open(sizes: list[int]) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    os.environ["SOPDESIGNER_HOME"] = tempfile.mkdtemp()
    from benchmarks.generate import evidence_blobs, generate_document
    from sopdesigner.storage.document_file import DocumentFile
    from sopdesigner.ui import app as ui_app

    ui_app.run(None)
    window = ui_app.windows[-1]
    window.resize(1600, 1000)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"doc{n}.sop"
            doc = generate_document(n)
            DocumentFile.create(path, doc, blobs=evidence_blobs(doc)).close()
            times = []
            for _ in range(ROUNDS):
                t0 = time.perf_counter()
                assert window.open_path(path)
                while window.files.open_in_progress:  # large files are read in a worker
                    app.processEvents()
                    time.sleep(0.001)
                app.processEvents()
                window.view.fit_to_window()
                window.view.viewport().repaint()
                times.append(time.perf_counter() - t0)
                window.files.close_document()
                app.processEvents()
            print(
                f"T3 open a {n}-node document in the running window -> first frame at fit: "
                f"median {statistics.median(times) * 1000:.0f} ms"
            )
    window.close()


if __name__ == "__main__":
    print(
        f"{platform.node()} {platform.python_version()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    bench_start()
    bench_open([int(a) for a in sys.argv[1:]] or [100, 1000])
