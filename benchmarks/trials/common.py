"""What the trial scripts share: a realistic large document, file snapshots, the summary line.

The document is built through an ``EditSession`` so its audit trail is a real hash chain, and
it is big enough (hundreds of nodes, a multi-megabyte body) that a save spans many pages: a
kill or a fault lands inside SQLite's commit, not only before or after it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # scripts run as ``python benchmarks/trials/x.py``
    sys.path.insert(0, str(ROOT))

from sopdesigner.editing.session import EditSession  # noqa: E402
from sopdesigner.model.document import ChecklistItem, Document, Edge, Node, Point  # noqa: E402
from sopdesigner.model.enums import Decision, NodeKind  # noqa: E402
from sopdesigner.ops import AddNodes, SetItemDone, SignNode  # noqa: E402
from tests.factories import make_document  # noqa: E402


def big_document(n_nodes: int = 400, seed: int = 1) -> Document:
    """``make_document()`` grown to ``n_nodes`` extra steps with checklists, ticks and sign-offs."""
    rnd = random.Random(seed)
    doc = make_document()
    session = EditSession(doc, "trial-builder", clock=lambda: "2026-01-01T00:00:00Z")
    lanes = [lane.id for lane in doc.lanes]
    nodes, edges = [], []
    for i in range(n_nodes):
        kind = NodeKind.CHECKPOINT if i % 5 == 0 else NodeKind.STEP
        nodes.append(
            Node(
                id=f"n{i}",
                kind=kind,
                title=f"Step {i} — Überprüfung {rnd.random():.6f}",
                description="Review the evidence and record the outcome. " * rnd.randint(1, 20),
                lane=lanes[i % len(lanes)],
                position=Point(x=200 + 240 * (i // 4), y=80 + 160 * (i % 4)),
                required_roles=["security"] if kind is NodeKind.CHECKPOINT else [],
                checklist=[
                    ChecklistItem(id=f"c{i}-{j}", text=f"Item {j} of step {i}: {'x' * rnd.randint(10, 200)}")
                    for j in range(rnd.randint(1, 6))
                ],
            )
        )
        if i:
            edges.append(Edge(id=f"ne{i}", source=f"n{i - 1}", target=f"n{i}"))
    session.apply(AddNodes(nodes, edges))
    for i in range(0, n_nodes, 3):
        session.apply(SetItemDone(f"n{i}", f"c{i}-0", True))
    for i in range(0, n_nodes, 10):
        session.apply(SignNode(f"n{i}", "Dana Reviewer", "security", Decision.APPROVE, signoff_id=f"s{i}"))
    return doc


def doc_json(doc: Document) -> str:
    """The canonical comparison form: the whole model dump, as JSON text."""
    return doc.model_dump_json()


def sha_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity_ok(path: Path) -> bool:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()


def write_random_file(path: Path, size: int, seed: int) -> Path:
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


@dataclass
class Summary:
    """The figures every trial script prints and the README records."""

    name: str
    trials: int = 0
    faults_injected: int = 0
    bad_inputs: int = 0
    files_broken: int = 0
    data_lost: int = 0
    failures: list[str] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)

    def fail(self, message: str) -> None:
        self.failures.append(message)

    @property
    def ok(self) -> bool:
        return not self.failures and self.files_broken == 0 and self.data_lost == 0

    def line(self) -> str:
        parts = [
            f"{self.name}: trials run {self.trials}",
            f"faults injected {self.faults_injected}",
            f"bad inputs tried {self.bad_inputs}",
            f"files broken {self.files_broken}",
            f"data lost {self.data_lost}",
            *(f"{k} {v}" for k, v in sorted(self.extra.items())),
            f"failures {len(self.failures)}",
        ]
        return ", ".join(parts)

    def report(self) -> int:
        print(self.line())
        for message in self.failures[:20]:
            print("  FAIL:", message)
        print(
            json.dumps(
                {
                    "summary": self.name,
                    "ok": self.ok,
                    **{k: v for k, v in vars(self).items() if k != "failures"},
                }
            )
        )
        return 0 if self.ok else 1


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SOPDESIGNER_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)
    env.pop("QT_QPA_PLATFORM", None)
    return env
