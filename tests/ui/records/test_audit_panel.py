"""The audit panel: live rows, filters, row → node, and the chain indicator, including a
file whose audit event was altered outside the app with sqlite3."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt

from sopdesigner.model.enums import Decision
from sopdesigner.ops.checklist import SetItemDone
from sopdesigner.ops.records import SignNode
from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.workspace import Workspace
from sopdesigner.ui.controller import DocumentController
from sopdesigner.ui.records.audit_panel import AuditPanel, summarize
from sopdesigner.ui.records.context import RecordsContext
from tests.ui.records.helpers import make_context


def _edit(ctrl):
    assert ctrl.execute(SetItemDone("validate", "metrics", True))
    assert ctrl.execute(SetItemDone("risk", "privacy", True))
    ctrl.set_actor("Lee Legal")
    assert ctrl.execute(SignNode("risk", "Lee Legal", "legal", Decision.APPROVE))


def test_rows_follow_the_trail_and_filters_narrow_them(qtbot):
    ctx, ctrl, _ws = make_context("Ada Reviewer")
    panel = AuditPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 0
    assert panel.indicator.text() == "✔ No audit events yet"
    _edit(ctrl)
    assert panel.model.rowCount() == 3
    m = panel.model
    assert [m.index(r, 3).data() for r in range(3)] == [
        "checklist.ticked",
        "checklist.ticked",
        "signoff.recorded",
    ]
    assert m.index(2, 4).data() == "Risk and compliance review"
    assert m.index(2, 2).data() == "Lee Legal"
    assert "decision: approve" in m.index(2, 5).data()
    head = ctrl.document.audit[-1].hash
    assert panel.indicator.text().startswith(f"✔ Chain verified — head {head[:8]}…")
    assert panel.indicator.verified

    panel.set_filter("actor", "Lee Legal")
    assert m.rowCount() == 1
    panel.set_filter("actor", None)
    panel.set_filter("node", "risk")
    assert [m.index(r, 0).data() for r in range(m.rowCount())] == [2, 3]
    panel.set_filter("node", None)
    panel.set_filter("action", "checklist.ticked")
    assert m.rowCount() == 2


def test_clicking_a_row_names_its_node(qtbot):
    ctx, ctrl, _ws = make_context()
    panel = AuditPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(800, 300)
    panel.show()
    _edit(ctrl)
    rect = panel.table.visualRect(panel.model.index(2, 3))
    with qtbot.waitSignal(panel.node_clicked) as blocker:
        qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert blocker.args == ["risk"]


def test_chain_turns_red_for_a_file_altered_outside_the_app(qtbot, tmp_path):
    _ctx, ctrl, _ws = make_context()
    _edit(ctrl)
    path = tmp_path / "altered.sop"
    DocumentFile.create(path, ctrl.document).close()

    # Someone edits event 2's details in the SQLite file with another tool.
    con = sqlite3.connect(path)
    (raw,) = con.execute("SELECT event FROM audit WHERE seq = 2").fetchone()
    event = json.loads(raw)
    event["details"]["text"] = "Privacy review skipped"
    con.execute("UPDATE audit SET event = ? WHERE seq = 2", (json.dumps(event),))
    con.commit()
    con.close()

    opened = Workspace.open(path)
    try:
        ctx2 = RecordsContext(DocumentController(opened.document, "Auditor"))
        panel = AuditPanel(ctx2)
        qtbot.addWidget(panel)
        assert not panel.indicator.verified
        assert panel.indicator.text().startswith("✖ Chain broken at event 2")
        # It stays red when more events are appended after the broken link.
        assert ctx2.controller.execute(SetItemDone("validate", "data", True))
        assert panel.indicator.text().startswith("✖ Chain broken at event 2")
        assert panel.model.rowCount() == 4
    finally:
        opened.close()


def test_summary_is_one_line_and_bounded():
    text = summarize({"text": {"old": "a", "new": "b\nc"}, "attendees": ["A", "B"], "n": 3})
    assert text == 'text: a → b c; attendees: ["A", "B"]; n: 3'
    assert len(summarize({"comment": "x" * 1000})) == 160


def test_a_hundred_thousand_events_load_into_the_model(qtbot):
    """Correctness at scale (speed is measured in benchmarks/bench_audit_panel.py)."""
    from sopdesigner.editing.session import EditSession

    ctx, ctrl, _ws = make_context()
    session = EditSession(ctrl.document, "Bulk")
    for i in range(100_000):
        session.log("note.added", "risk" if i % 2 else None, {"i": i})
    panel = AuditPanel(ctx)
    qtbot.addWidget(panel)
    panel.reload()
    assert panel.model.rowCount() == 100_000
    assert panel.indicator.text().startswith("… Verifying the audit chain")  # in a worker thread
    # An event appended while the worker runs is verified once it is done.
    assert ctx.controller.execute(SetItemDone("validate", "data", True))
    qtbot.waitUntil(lambda: panel.indicator.verified, timeout=60_000)
    assert panel.indicator.text().startswith(f"✔ Chain verified — head {ctrl.document.audit[-1].hash[:8]}…")
    assert panel.model.index(99_999, 0).data() == 100_000
    panel.set_filter("node", "risk")
    assert panel.model.rowCount() == 50_000


def test_a_large_tampered_trail_turns_red_after_background_verification(qtbot):
    from sopdesigner.editing.session import EditSession

    ctx, ctrl, _ws = make_context()
    session = EditSession(ctrl.document, "Bulk")
    for i in range(6_000):
        session.log("note.added", None, {"i": i})
    ctrl.document.audit[4_321].details["i"] = -1  # altered after it was hashed
    panel = AuditPanel(ctx)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.verifying, timeout=60_000)
    assert panel.indicator.text().startswith("✖ Chain broken at event 4322")


def test_a_deferred_load_fills_the_table_once_with_events_appended_meanwhile(qtbot):
    ctx, ctrl, _ws = make_context()
    queued: list = []
    ctx.defer = queued.append  # as the window does for a large document: after the first frame
    panel = AuditPanel(ctx)
    qtbot.addWidget(panel)
    assert len(queued) == 1
    assert panel.model.rowCount() == 0
    assert panel.indicator.text().startswith("… Loading the audit trail")
    assert not panel.indicator.verified
    _edit(ctrl)  # appended while the load waits: the load reads them, nothing is doubled
    queued.pop()()
    assert panel.model.rowCount() == len(ctrl.document.audit) > 0
    assert panel.indicator.verified
    assert ctrl.execute(SetItemDone("validate", "data", True))
    assert panel.model.rowCount() == len(ctrl.document.audit)
    assert panel.indicator.text().startswith(f"✔ Chain verified — head {ctrl.document.audit[-1].hash[:8]}…")


def test_a_load_queued_for_a_document_no_longer_shown_does_nothing(qtbot):
    ctx, ctrl, _ws = make_context()
    _edit(ctrl)
    queued: list = []
    ctx.defer = queued.append
    panel = AuditPanel(ctx)
    qtbot.addWidget(panel)
    other = make_context("Other")[1]
    assert other.execute(SetItemDone("validate", "data", True))
    ctx.set_controller(other)
    stale, fresh = queued
    stale()
    assert panel.model.rowCount() == 0  # the first document's rows never appear
    fresh()
    assert panel.model.rowCount() == len(other.document.audit) != len(ctrl.document.audit)


def test_showing_another_document_stops_the_previous_chain_check(qtbot):
    from sopdesigner.editing.session import EditSession
    from sopdesigner.ui.records.audit_panel import SYNC_VERIFY_LIMIT

    ctx, ctrl, _ws = make_context()
    session = EditSession(ctrl.document, "Bulk")
    for i in range(SYNC_VERIFY_LIMIT * 4):
        session.log("note.added", None, {"i": i})
    panel = AuditPanel(ctx)
    qtbot.addWidget(panel)
    worker = panel._worker
    assert worker is not None and panel.verifying
    small = make_context()[1]
    _edit(small)
    ctx.set_controller(small)
    assert worker.cancelled
    assert worker.wait(60_000)
    qtbot.wait(50)  # a late result, if any, would be delivered now
    # The shown document's own chain is what the indicator reports.
    assert panel.indicator.verified
    assert panel.indicator.text().startswith(f"✔ Chain verified — head {small.document.audit[-1].hash[:8]}…")


def test_a_checked_trail_is_not_kept_once_its_document_is_gone(qtbot):
    """The worker thread that checked a large trail held a copy of its event list for the
    rest of the process: every large document opened kept its whole trail in memory after it
    was closed (10,201 events at 1,000 nodes), and each later full collection walked them."""
    import gc
    import weakref

    from sopdesigner.editing.session import EditSession
    from sopdesigner.ui.records.audit_panel import SYNC_VERIFY_LIMIT
    from tests.factories import make_document

    ctrl = DocumentController(make_document(), "Ada Reviewer")
    session = EditSession(ctrl.document, "Bulk")
    for i in range(SYNC_VERIFY_LIMIT * 2):
        session.log("note.added", None, {"i": i})
    ctx = RecordsContext(ctrl)  # no evidence store, which would keep its own document
    panel = AuditPanel(ctx)
    qtbot.addWidget(panel)
    assert panel._worker is not None
    qtbot.waitUntil(lambda: not panel.verifying, timeout=60_000)
    assert panel.indicator.verified
    last = weakref.ref(ctrl.document.audit[-1])
    ctx.set_controller(make_context()[1])
    del session, ctrl
    gc.collect()
    assert last() is None
