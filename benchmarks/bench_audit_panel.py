"""How long the audit panel takes to show (and verify) a trail of N events, and to append one.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_audit_panel.py [N]
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from sopdesigner.editing.session import EditSession
from sopdesigner.model.document import Document
from sopdesigner.ops.document import SetDocumentFields
from sopdesigner.ui.controller import DocumentController
from sopdesigner.ui.records.audit_panel import AuditPanel
from sopdesigner.ui.records.context import RecordsContext


def main(n: int) -> None:
    app = QApplication.instance() or QApplication([])
    doc = Document(id="bench")
    session = EditSession(doc, "Bench")
    for i in range(n):
        session.log("checklist.ticked", f"node-{i % 500}", {"item": f"i{i}", "text": f"Item {i}"})
    ctx = RecordsContext(DocumentController(doc, "Bench"))
    t0 = time.perf_counter()
    panel = AuditPanel(ctx)
    panel.resize(1000, 400)
    panel.show()
    app.processEvents()
    t1 = time.perf_counter()
    while panel.verifying:  # the chain is verified in a worker thread; the window stays live
        app.processEvents()
        time.sleep(0.005)
    tv = time.perf_counter()
    t_f = time.perf_counter()
    panel.set_filter("node", "node-7")
    app.processEvents()
    t2 = time.perf_counter()
    ctx.controller.execute(SetDocumentFields("request", {"model_name": "m"}))
    app.processEvents()
    t3 = time.perf_counter()
    assert panel.indicator.verified and len(doc.audit) == n + 1
    print(
        f"{n} events: panel shown {t1 - t0:.2f} s, chain verified (background) after {tv - t0:.2f} s, "
        f"filter {t2 - t_f:.3f} s, append one {1000 * (t3 - t2):.1f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
