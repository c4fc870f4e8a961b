"""Undo/redo as a state machine (hypothesis): random edits, refused edits, undos, redos, saves
and reopens, mirroring what ``ui/controller.py`` and ``ui/undo.py`` do, without Qt.

Invariants: every undo returns exactly the state before its edit and every redo exactly the
state after it (model_dump minus ``audit``), so undo-all gives the first state and redo-all
the last; a refused edit changes nothing; the audit trail only grows and always verifies;
a saved and reopened file equals memory."""

from __future__ import annotations

import hashlib
import itertools
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from sopdesigner.editing.session import EditSession
from sopdesigner.errors import SopError
from sopdesigner.model.audit import verify_events
from sopdesigner.model.document import ChecklistItem, Edge, Evidence, Lane, Node, Point, Role
from sopdesigner.model.enums import Decision, EdgeKind, NodeKind
from sopdesigner.ops import (
    AddChecklistItem,
    AddLane,
    AddNodes,
    AddRole,
    AttachEvidence,
    Connect,
    DetachEvidence,
    MoveLane,
    MoveNodes,
    RemoveItems,
    RemoveLane,
    RenameRole,
    ResizeLanes,
    RevokeSignOff,
    SetDocumentFields,
    SetItemDone,
    SetNodeFields,
    SignNode,
    StartReviewRound,
)
from sopdesigner.ops.base import Op
from sopdesigner.storage.document_file import DocumentFile
from tests.factories import make_document

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda s: s.strip()
)


class Blobs:
    """Evidence bytes by hash, for saves (a BlobSource)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def add(self, content: bytes) -> tuple[str, int]:
        sha = hashlib.sha256(content).hexdigest()
        self.data[sha] = content
        return sha, len(content)

    def has_blob(self, sha256: str) -> bool:
        return sha256 in self.data

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        yield self.data[sha256]


@dataclass
class Step:
    inverse: Op
    before: str
    after: str


def state(session: EditSession) -> str:
    return session.document.model_dump_json(exclude={"audit"})


class UndoRedoMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        ticks = itertools.count()
        # A clock that moves on every call: a redo that re-stamped records would show.
        clock = lambda: f"2026-01-01T00:{next(ticks) // 60 % 60:02d}:{next(ticks) % 60:02d}Z"  # noqa: E731
        self.session = EditSession(make_document(), "prop", clock=clock)
        self.first = state(self.session)
        self.undo: list[Step] = []
        self.redo: list[Step] = []
        self.blobs = Blobs()
        self.ids = itertools.count()
        self.audit_hashes: list[str] = []
        self.folder = Path(
            tempfile.mkdtemp(prefix="undo-props-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
        )
        self.path = self.folder / "doc.sop"
        self.refused = 0

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def doc(self):
        return self.session.document

    def fresh(self, prefix: str) -> str:
        return f"{prefix}{next(self.ids)}"

    # ---- the command path (controller.execute / OpCommand.undo / OpCommand.redo) ----------
    def execute(self, op: Op) -> None:
        before = state(self.session)
        full = self.doc.model_dump_json()
        try:
            outcome = self.session.apply(op, "do")
        except SopError:
            self.refused += 1
            assert self.doc.model_dump_json() == full, f"refused {op!r} changed the document"
            return
        self.undo.append(Step(outcome.inverse, before, state(self.session)))
        self.redo.clear()

    def _undo(self) -> None:
        step = self.undo.pop()
        op = step.inverse
        step.inverse = self.session.apply(op, "undo").inverse
        assert state(self.session) == step.before, f"undo by {op!r} did not restore the state before"
        self.redo.append(step)

    def _redo(self) -> None:
        step = self.redo.pop()
        op = step.inverse
        step.inverse = self.session.apply(op, "redo").inverse
        assert state(self.session) == step.after, f"redo by {op!r} did not restore the state after"
        self.undo.append(step)

    # ---- choosing things that exist ---------------------------------------------------------
    def pick(self, data: st.DataObject, items: list, label: str):
        return data.draw(st.sampled_from(items), label=label) if items else None

    # ---- edits -----------------------------------------------------------------------------
    @rule(data=st.data(), kind=st.sampled_from(list(NodeKind)), title=TEXT)
    def add_node(self, data, kind, title):
        lane = self.pick(data, [lane.id for lane in self.doc.lanes] + [None], "lane")
        node = Node(id=self.fresh("n"), kind=kind, title=title, lane=lane, position=Point(x=10, y=10))
        self.execute(AddNodes([node]))

    @rule(data=st.data())
    def remove_node(self, data):
        node = self.pick(data, self.doc.nodes, "node")
        if node is not None:
            self.execute(RemoveItems(node_ids=[node.id]))

    @rule(data=st.data())
    def remove_edge(self, data):
        edge = self.pick(data, self.doc.edges, "edge")
        if edge is not None:
            self.execute(RemoveItems(edge_ids=[edge.id]))

    @rule(data=st.data(), x=st.floats(-5000, 5000), y=st.floats(-100, 3000))
    def move_node(self, data, x, y):
        node = self.pick(data, self.doc.nodes, "node")
        lane = self.pick(data, [lane.id for lane in self.doc.lanes], "lane")
        if node is not None:
            self.execute(MoveNodes({node.id: (x, y)}, {node.id: lane} if lane else {}))

    @rule(data=st.data(), title=TEXT)
    def retitle(self, data, title):
        node = self.pick(data, self.doc.nodes, "node")
        if node is not None:
            self.execute(SetNodeFields(node.id, {"title": title}))

    @rule(data=st.data(), rework=st.booleans())
    def connect(self, data, rework):
        a, b = self.pick(data, self.doc.nodes, "source"), self.pick(data, self.doc.nodes, "target")
        if a is not None and b is not None:  # self loops and duplicates are refused: also tested
            kind = EdgeKind.REWORK if rework else EdgeKind.FLOW
            self.execute(Connect(Edge(id=self.fresh("e"), source=a.id, target=b.id, kind=kind)))

    @rule(data=st.data(), text=TEXT)
    def add_item(self, data, text):
        node = self.pick(data, self.doc.nodes, "node")
        if node is not None:
            self.execute(AddChecklistItem(node.id, ChecklistItem(id=self.fresh("i"), text=text)))

    @rule(data=st.data(), done=st.booleans())
    def tick(self, data, done):
        node = self.pick(data, [n for n in self.doc.nodes if n.checklist], "node")
        if node is not None:
            item = self.pick(data, node.checklist, "item")
            self.execute(SetItemDone(node.id, item.id, done))

    @rule(
        data=st.data(),
        decision=st.sampled_from(list(Decision)),
        conditions=st.sampled_from(["", "Monitor drift"]),
    )
    def sign(self, data, decision, conditions):
        node = self.pick(data, self.doc.nodes, "node")
        role = self.pick(data, self.doc.roles, "role")
        if node is not None and role is not None:
            self.execute(
                SignNode(
                    node.id,
                    "Alex Signer",
                    role.id,
                    decision,
                    conditions=conditions,
                    signoff_id=self.fresh("s"),
                )
            )

    @rule(data=st.data())
    def revoke(self, data):
        node = self.pick(data, [n for n in self.doc.nodes if n.signoffs], "node")
        if node is not None:
            self.execute(RevokeSignOff(node.id, self.pick(data, node.signoffs, "signoff").id))

    @rule(data=st.data(), content=st.binary(max_size=64))
    def attach(self, data, content):
        node = self.pick(data, self.doc.nodes, "node")
        if node is not None:
            sha, size = self.blobs.add(content)
            ev = Evidence(id=self.fresh("ev"), sha256=sha, size=size, filename="report.pdf")
            self.execute(AttachEvidence(node.id, ev))

    @rule(data=st.data())
    def detach(self, data):
        node = self.pick(data, [n for n in self.doc.nodes if n.evidence], "node")
        if node is not None:
            self.execute(DetachEvidence(node.id, self.pick(data, node.evidence, "evidence").id))

    @rule(data=st.data())
    def review_round(self, data):
        node = self.pick(data, self.doc.nodes, "node")
        if node is not None:
            self.execute(StartReviewRound([node.id]))

    @rule(name=TEXT)
    def add_role_and_lane(self, name):
        role = Role(id=self.fresh("r"), name=name)
        self.execute(AddRole(role))
        self.execute(AddLane(Lane(id=self.fresh("l"), role=role.id)))

    @rule(data=st.data(), name=TEXT)
    def rename_role(self, data, name):
        role = self.pick(data, self.doc.roles, "role")
        if role is not None:
            self.execute(RenameRole(role.id, name))

    @rule(data=st.data(), index=st.integers(0, 6))
    def move_lane(self, data, index):
        lane = self.pick(data, self.doc.lanes, "lane")
        if lane is not None:
            self.execute(MoveLane(lane.id, index))

    @rule(data=st.data())
    def remove_lane(self, data):
        lane = self.pick(data, self.doc.lanes, "lane")
        if lane is not None:
            self.execute(RemoveLane(lane.id))

    @rule(data=st.data(), height=st.floats(40, 900))
    def resize_lane(self, data, height):
        lane = self.pick(data, self.doc.lanes, "lane")
        if lane is not None:
            self.execute(ResizeLanes({lane.id: height}))

    @rule(name=TEXT)
    def edit_request(self, name):
        self.execute(SetDocumentFields("request", {"model_name": name}))

    # ---- undo, redo, save, reopen ----------------------------------------------------------
    @precondition(lambda self: self.undo)
    @rule()
    def undo_one(self) -> None:
        self._undo()

    @precondition(lambda self: self.redo)
    @rule()
    def redo_one(self) -> None:
        self._redo()

    @rule()
    def undo_all_then_redo_all(self) -> None:
        # The last state is the one at the far end of the redo stack, if there is one.
        last = self.redo[0].after if self.redo else state(self.session)
        while self.undo:
            self._undo()
        assert state(self.session) == self.first, "undo-all did not return the first state"
        while self.redo:
            self._redo()
        assert state(self.session) == last, "redo-all did not return the last state"

    @rule()
    def save_and_reopen(self) -> None:
        if self.path.exists():
            with DocumentFile.open(self.path) as f:
                f.save(self.doc, blobs=self.blobs)
        else:
            DocumentFile.create(self.path, self.doc, blobs=self.blobs).close()
        with DocumentFile.open(self.path, read_only=True) as f:
            assert f.load().model_dump_json() == self.doc.model_dump_json(), (
                "reopened file differs from memory"
            )
            for node in self.doc.nodes:
                for ev in node.evidence:
                    assert b"".join(f.iter_blob(ev.sha256)) == self.blobs.data[ev.sha256]

    # ---- invariants --------------------------------------------------------------------------
    @invariant()
    def audit_only_grows_and_verifies(self) -> None:
        hashes = [e.hash for e in self.doc.audit]
        assert hashes[: len(self.audit_hashes)] == self.audit_hashes, "the audit trail lost or changed events"
        self.audit_hashes = hashes
        assert verify_events(self.doc.audit) is None, "the audit chain does not verify"


UndoRedoMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
test_undo_redo_properties = UndoRedoMachine.TestCase


@pytest.mark.parametrize("kind", ["role", "node", "document"])
def test_undo_of_a_rename_restores_an_untrimmed_name(kind):
    """Found by the state machine: a name stored with surrounding spaces (a template, an import,
    AddRole) is renamed, and undo brings it back trimmed, so undo does not restore the state."""
    doc = make_document()
    session = EditSession(doc, "prop")
    if kind == "role":
        session.apply(AddRole(Role(id="r", name="Ops ")))
        op: Op = RenameRole("r", "Operations")
    elif kind == "node":
        session.apply(AddNodes([Node(id="n", kind=NodeKind.STEP, title=" Step")]))
        op = SetNodeFields("n", {"title": "Work"})
    else:
        doc.title = "SOP "
        op = SetDocumentFields("document", {"title": "Policy"})
    before = doc.model_dump_json(exclude={"audit"})
    inverse = session.apply(op).inverse
    session.apply(inverse, "undo")
    assert doc.model_dump_json(exclude={"audit"}) == before
