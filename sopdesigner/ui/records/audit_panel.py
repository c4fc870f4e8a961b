"""The audit panel: the hash-chained audit trail as a filterable table (a model, so 100,000
events stay fast), a chain indicator that verifies the trail, and row → node selection."""

from __future__ import annotations

import atexit
import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sopdesigner.model.audit import GENESIS, ChainProblem, verify_events
from sopdesigner.model.document import AuditEvent
from sopdesigner.ui.records.context import RecordsContext

COLUMNS = ("Seq", "Time (UTC)", "Actor", "Action", "Node", "Details")
ALL = "(all)"
_ROOT = QModelIndex()
SYNC_VERIFY_LIMIT = 5_000  # larger trails are verified in a worker thread
VERIFY_CHUNK = 2_000  # the worker checks for cancellation between chunks of this many events
ID_KEYS = frozenset({"item", "signoff", "evidence", "sha256"})


def summarize(details: dict[str, Any], limit: int = 160) -> str:
    """A one-line summary of an event's details for the table."""
    parts = []
    # Ids of items, sign-offs and evidence mean little to a reader; the other fields say more.
    shown = {k: v for k, v in details.items() if k not in ID_KEYS} or details
    for key, value in shown.items():
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            text = f"{key}: {value['old']!s} → {value['new']!s}"
        elif isinstance(value, str | int | float | bool) or value is None:
            text = f"{key}: {value}"
        else:
            text = f"{key}: {json.dumps(value, ensure_ascii=False)}"
        parts.append(text)
    line = "; ".join(parts).replace("\n", " ")
    return line if len(line) <= limit else line[: limit - 1] + "…"


class AuditTableModel(QAbstractTableModel):
    """Rows are indexes into the document's event list that pass the filters."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._events: list[AuditEvent] = []
        self._titles: dict[str, str] = {}
        self._rows: list[int] = []
        self._filters: dict[str, str | None] = {"node": None, "actor": None, "action": None}

    def set_events(self, events: list[AuditEvent], titles: dict[str, str]) -> None:
        self.beginResetModel()
        self._events, self._titles = events, titles
        if any(v is not None for v in self._filters.values()):
            self._rows = [i for i, e in enumerate(events) if self._accepts(e)]
        else:
            self._rows = list(range(len(events)))
        self.endResetModel()

    def appended(self, start: int) -> None:
        """Events from index ``start`` on were appended to the same list."""
        new = [i for i in range(start, len(self._events)) if self._accepts(self._events[i])]
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def set_filter(self, key: str, value: str | None) -> None:
        self._filters[key] = value
        self.set_events(self._events, self._titles)

    def _accepts(self, e: AuditEvent) -> bool:
        f = self._filters
        return (
            (f["node"] is None or e.node == f["node"])
            and (f["actor"] is None or e.actor == f["actor"])
            and (f["action"] is None or e.action == f["action"])
        )

    def event_at(self, row: int) -> AuditEvent:
        return self._events[self._rows[row]]

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if role not in (Qt.DisplayRole, Qt.ToolTipRole) or not index.isValid():
            return None
        e = self._events[self._rows[index.row()]]
        col = index.column()
        if role == Qt.ToolTipRole:
            return f"hash {e.hash}\n" + json.dumps(e.details, ensure_ascii=False, indent=1)[:2000]
        if col == 0:
            return e.seq
        if col == 1:
            return e.at[:19].replace("T", " ")
        if col == 2:
            return e.actor
        if col == 3:
            return e.action
        if col == 4:
            return self._titles.get(e.node, e.node or "") if e.node else ""
        return summarize(e.details)


_RUNNING: set[_VerifyWorker] = set()
# A verification still running when the app quits is waited for, not destroyed mid-run.
atexit.register(lambda: [w.wait() for w in list(_RUNNING)])


class _VerifyWorker(QThread):
    done = Signal(int, object, int, str)  # generation, problem, events verified, head

    def __init__(self, events: list[AuditEvent], generation: int):
        super().__init__()
        # Events are append-only and never mutated, so reading this snapshot here is safe.
        self._events, self._generation = events, generation
        #: Set when another document is shown: the rest of this chain is not worth hashing.
        self.cancelled = False

    def run(self) -> None:
        events, problem, head = self._events, None, GENESIS
        # Let go of the snapshot now: this finished thread object is never deleted (nothing
        # parents it and its ``finished`` slot holds it), and it kept the whole trail of a
        # closed document alive (10,201 events at 1,000 nodes, walked by every full GC pass).
        self._events = []
        for start in range(0, len(events), VERIFY_CHUNK):
            if self.cancelled:
                return
            chunk = events[start : start + VERIFY_CHUNK]
            problem = verify_events(chunk, first_seq=start + 1, prev_hash=head)
            if problem is not None:
                break
            head = chunk[-1].hash
        head = events[-1].hash if events else GENESIS
        self.done.emit(self._generation, problem, len(events), head)


class ChainIndicator(QLabel):
    """Green "Chain verified — head 3f2a…" or red "Chain broken at event N"."""

    def show_result(self, problem: ChainProblem | None, head: str, count: int) -> None:
        self.problem = problem
        self.pending = False
        if problem is None:
            text = (
                f"✔ Chain verified — head {head[:8]}… ({count} events)" if count else "✔ No audit events yet"
            )
            self.setStyleSheet(
                "QLabel { background: #009E73; color: white; padding: 4px; font-weight: bold; }"
            )
        else:
            text = f"✖ Chain broken at event {problem.seq} — {problem.message}"
            self.setStyleSheet(
                "QLabel { background: #D55E00; color: white; padding: 4px; font-weight: bold; }"
            )
        self.setText(text)
        self.setToolTip(problem.message if problem else f"Head hash {head}")

    def show_pending(self, count: int, *, loading: bool = False) -> None:
        self.problem = None
        self.pending = True
        what = "Loading the audit trail" if loading else "Verifying the audit chain"
        self.setText(f"… {what} ({count} events)")
        self.setStyleSheet("QLabel { background: #0072B2; color: white; padding: 4px; font-weight: bold; }")

    @property
    def verified(self) -> bool:
        if getattr(self, "pending", False):
            return False
        return getattr(self, "problem", None) is None


class AuditPanel(QWidget):
    #: str: the user clicked a row about this node.
    node_clicked = Signal(str)

    def __init__(self, context: RecordsContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("AuditPanel")
        self._ctx = context
        self._seen = 0  # events already in the model
        self._verified = 0  # events already verified (-1 while a worker verifies)
        self._verified_head = GENESIS
        self._generation = 0
        self._problem: ChainProblem | None = None
        self._loaded = False
        self._worker: _VerifyWorker | None = None

        self.indicator = ChainIndicator()
        self.node_filter = QComboBox()
        self.actor_filter = QComboBox()
        self.action_filter = QComboBox()
        filters = QHBoxLayout()
        for label, box in (
            ("Node", self.node_filter),
            ("Actor", self.actor_filter),
            ("Action", self.action_filter),
        ):
            filters.addWidget(QLabel(label + ":"))
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(10)
            filters.addWidget(box, 1)
        self.model = AuditTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights and no content-based sizing keep 100,000 rows instant.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        for col, width in enumerate((50, 160, 100, 150, 160)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.indicator)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        for key, box in (
            ("node", self.node_filter),
            ("actor", self.actor_filter),
            ("action", self.action_filter),
        ):
            box.currentIndexChanged.connect(
                lambda _i, k=key, b=box: self.model.set_filter(k, b.currentData())
            )
        self.table.clicked.connect(self._on_clicked)
        context.controller_changed.connect(self.reload)
        self._connected = None
        self.reload()

    # -- data --
    def reload(self) -> None:
        ctrl = self._ctx.controller
        if self._connected is not None:
            try:
                self._connected.audit_appended.disconnect(self._on_appended)
                self._connected.changes_applied.disconnect(self._on_changes)
            except (RuntimeError, TypeError):
                pass
        self._connected = ctrl
        if ctrl is not None:
            ctrl.audit_appended.connect(self._on_appended)
            ctrl.changes_applied.connect(self._on_changes)
        self._generation += 1
        if self._worker is not None:
            self._worker.cancelled = True  # its document is no longer shown
            self._worker = None
        # Filling the table and verifying the chain wait for the canvas's first frame of a
        # large document; until then the panel is empty and says it is loading.
        self._loaded = False
        self._verified = -1
        self.model.set_events([], {})
        self.indicator.show_pending(len(ctrl.document.audit) if ctrl else 0, loading=True)
        generation = self._generation
        self._ctx.defer(lambda: self._load(generation))

    def _load(self, generation: int) -> None:
        if generation != self._generation:
            return  # another document was shown meanwhile
        self._loaded = True
        ctrl = self._ctx.controller
        events = ctrl.document.audit if ctrl else []
        self._seen = len(events)
        if len(events) <= SYNC_VERIFY_LIMIT:
            self._problem = verify_events(events)
            self._verified = len(events)
            self._verified_head = events[-1].hash if events else GENESIS
        else:
            # Hashing 100,000 events takes seconds: verify off the GUI thread.
            self._verified = -1
            worker = self._worker = _VerifyWorker(list(events), self._generation)
            worker.done.connect(self._on_verified)
            # Held here, not by the panel, so closing the panel never destroys a running thread.
            _RUNNING.add(worker)
            worker.finished.connect(lambda w=worker: _RUNNING.discard(w))
            worker.start()
        self.model.set_events(events, self._titles())
        self._fill_filters()
        self._show_chain()

    def _titles(self) -> dict[str, str]:
        ctrl = self._ctx.controller
        return {n.id: n.title for n in ctrl.document.nodes} if ctrl else {}

    def _on_appended(self, _events: list) -> None:
        ctrl = self._ctx.controller
        if ctrl is None or not self._loaded:
            return  # the pending load reads the whole trail, these events included
        events = ctrl.document.audit
        new = events[self._seen :]
        if self._verified >= 0:
            self._verify_rest(events)
        start, self._seen = self._seen, len(events)
        self._learn_titles({e.node for e in new if e.node and e.node not in self.model._titles})
        self.model.appended(start)
        self._add_filter_values(new)
        self._show_chain()
        self.table.scrollToBottom()

    def _verify_rest(self, events: list[AuditEvent]) -> None:
        """Verify only the links after the part already verified, continuing from its head."""
        if self._problem is None and len(events) > self._verified:
            self._problem = verify_events(events[self._verified :], first_seq=self._verified + 1, prev_hash=self._verified_head)
            self._verified_head = events[-1].hash
        self._verified = len(events)

    def _on_verified(self, generation: int, problem: ChainProblem | None, count: int, head: str) -> None:
        if generation != self._generation or self._ctx.controller is None:
            return  # a different document is shown now
        self._problem, self._verified, self._verified_head = problem, count, head
        self._verify_rest(self._ctx.controller.document.audit)
        self._show_chain()

    @property
    def verifying(self) -> bool:
        return self._verified < 0

    def _on_changes(self, changes: list) -> None:
        if self._loaded:
            self._learn_titles({c.id for c in changes if c.what == "node" and c.id})

    def _learn_titles(self, node_ids: set[str]) -> None:
        """Refresh the titles of these nodes only: an edit must not rebuild the title map of
        every node (the panel keeps the titles of removed nodes, as before)."""
        ctrl = self._ctx.controller
        if ctrl is None or not node_ids:
            return
        titles = self.model._titles
        for nid in node_ids:
            node = ctrl.node(nid)
            if node is not None:
                titles[nid] = node.title

    def _show_chain(self) -> None:
        ctrl = self._ctx.controller
        events = ctrl.document.audit if ctrl else []
        if self.verifying:
            self.indicator.show_pending(len(events))
            return
        self.indicator.show_result(self._problem, events[-1].hash if events else GENESIS, len(events))

    # -- filters --
    def _fill_filters(self) -> None:
        ctrl = self._ctx.controller
        events = ctrl.document.audit if ctrl else []
        nodes = {n.id: n.title for n in ctrl.document.nodes} if ctrl else {}
        node_ids = {e.node for e in events if e.node}
        self._set_items(self.node_filter, sorted((nodes.get(n, n), n) for n in node_ids | set(nodes)))
        self._set_items(self.actor_filter, [(a, a) for a in sorted({e.actor for e in events})])
        self._set_items(self.action_filter, [(a, a) for a in sorted({e.action for e in events})])

    def _add_filter_values(self, events: list[AuditEvent]) -> None:
        for box, values in (
            (self.actor_filter, {e.actor for e in events}),
            (self.action_filter, {e.action for e in events}),
        ):
            for v in sorted(values):
                if box.findData(v) < 0:
                    box.addItem(v, v)

    @staticmethod
    def _set_items(box: QComboBox, items: list[tuple[str, str]]) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(ALL, None)
        for label, value in items:
            box.addItem(label, value)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)

    def set_filter(self, key: str, value: str | None) -> None:
        box = {"node": self.node_filter, "actor": self.actor_filter, "action": self.action_filter}[key]
        box.setCurrentIndex(max(0, box.findData(value)))

    def _on_clicked(self, index) -> None:
        event = self.model.event_at(index.row())
        if event.node:
            self.node_clicked.emit(event.node)
