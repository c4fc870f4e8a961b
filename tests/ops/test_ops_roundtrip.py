"""Every op: apply then its inverse gives the identical dump; the inverse of the inverse
re-applies the same state; a refused op changes nothing."""

from __future__ import annotations

import pytest

from sopdesigner.errors import SopError
from sopdesigner.model import (
    ChecklistItem,
    Decision,
    Edge,
    EdgeKind,
    Evidence,
    Lane,
    Node,
    NodeKind,
    Point,
    Role,
)
from sopdesigner.ops import (
    AddChecklistItem,
    AddLane,
    AddNodes,
    AddRole,
    AttachEvidence,
    Batch,
    Connect,
    Context,
    DetachEvidence,
    MoveChecklistItem,
    MoveLane,
    MoveNodes,
    RemoveChecklistItem,
    RemoveItems,
    RemoveLane,
    RemoveRole,
    RenameRole,
    ResizeLanes,
    RevokeSignOff,
    SetChecklistItemFields,
    SetDocumentFields,
    SetEdgeFields,
    SetItemDone,
    SetNodeFields,
    SignNode,
    StartReviewRound,
)
from tests.factories import make_document

CTX = Context(actor="tester", now="2026-11-26T10:00:00.000000Z")
SHA = "b" * 64


def _signed(doc):
    SignNode("risk", "Ana Ruiz", "security", Decision.APPROVE, signoff_id="so1").apply(doc, CTX)
    return doc


def _with_evidence(doc):
    AttachEvidence("validate", Evidence(id="ev1", sha256=SHA, size=3, filename="m.csv")).apply(doc, CTX)
    return doc


def _ticked(doc):
    SetItemDone("validate", "metrics", True).apply(doc, CTX)
    return doc


CASES = {
    "add-node": (
        None,
        lambda: AddNodes(
            [Node(id="n9", kind=NodeKind.STEP, title="New", lane="lane-legal", position=Point(x=5, y=6))]
        ),
    ),
    "add-nodes-with-edges": (
        None,
        lambda: AddNodes(
            [Node(id="p1", kind=NodeKind.STEP, title="P1"), Node(id="p2", kind=NodeKind.NOTE, title="P2")],
            [Edge(id="pe", source="p1", target="p2")],
        ),
    ),
    "remove-node-cascades": (None, lambda: RemoveItems(node_ids=["risk"])),
    "remove-nodes-and-edge": (None, lambda: RemoveItems(node_ids=["start", "deploy"], edge_ids=["e5"])),
    "remove-edge": (None, lambda: RemoveItems(edge_ids=["e3"])),
    "move": (None, lambda: MoveNodes({"start": (1.0, 2.0), "risk": (300.0, 400.0)})),
    "move-into-lane": (None, lambda: MoveNodes({"start": (1.0, 300.0)}, {"start": "lane-legal"})),
    "set-node-fields": (
        None,
        lambda: SetNodeFields(
            "risk", {"title": "Risk review", "description": "d", "required_roles": ["legal"], "lane": None}
        ),
    ),
    "set-node-kind": (None, lambda: SetNodeFields("validate", {"kind": "checkpoint"})),
    "connect": (None, lambda: Connect(Edge(id="new", source="start", target="deploy", label="skip"))),
    "set-edge-fields": (None, lambda: SetEdgeFields("e6", {"label": "rework", "kind": EdgeKind.FLOW})),
    "reconnect": (None, lambda: SetEdgeFields("e1", {"target": "risk"})),
    "add-role": (None, lambda: AddRole(Role(id="hr", name="HR"))),
    "remove-role": (
        lambda d: AddRole(Role(id="hr", name="HR")).apply(d, CTX) and d,
        lambda: RemoveRole("hr"),
    ),
    "rename-role": (None, lambda: RenameRole("legal", "Legal & Privacy")),
    "add-lane": (
        lambda d: AddRole(Role(id="hr", name="HR")).apply(d, CTX) and d,
        lambda: AddLane(Lane(id="lane-hr", role="hr"), 1),
    ),
    "remove-lane": (None, lambda: RemoveLane("lane-security")),
    "move-lane": (None, lambda: MoveLane("lane-business", 0)),
    "resize-lanes": (None, lambda: ResizeLanes({"lane-legal": 300.0})),
    "set-request": (
        None,
        lambda: SetDocumentFields("request", {"model_name": "Credit v2", "requester": "Zoë"}),
    ),
    "set-identity": (None, lambda: SetDocumentFields("identity", {"sop_version": "2.0"})),
    "set-policy": (None, lambda: SetDocumentFields("policy", {"separation_of_duties": False})),
    "set-title": (None, lambda: SetDocumentFields("document", {"title": "Новый SOP"})),
    "add-item": (None, lambda: AddChecklistItem("risk", ChecklistItem(id="c9", text="Bias report"), 0)),
    "remove-item": (None, lambda: RemoveChecklistItem("validate", "data")),
    "edit-item": (
        None,
        lambda: SetChecklistItemFields("validate", "data", {"text": "Data OK", "required": False}),
    ),
    "move-item": (None, lambda: MoveChecklistItem("validate", "extra", 0)),
    "tick": (None, lambda: SetItemDone("validate", "metrics", True)),
    "untick": (_ticked, lambda: SetItemDone("validate", "metrics", False)),
    "attach": (
        None,
        lambda: AttachEvidence("validate", Evidence(id="e2", sha256=SHA, size=1, filename="a.pdf")),
    ),
    "detach": (_with_evidence, lambda: DetachEvidence("validate", "ev1")),
    "sign": (
        None,
        lambda: SignNode("risk", "Ana", "security", Decision.REJECT, comment="no", signoff_id="s9"),
    ),
    "revoke": (_signed, lambda: RevokeSignOff("risk", "so1")),
    "new-round": (_signed, lambda: StartReviewRound(["risk", "decide"])),
    "batch": (
        None,
        lambda: Batch([MoveNodes({"start": (0.0, 0.0)}), SetNodeFields("start", {"title": "Go"})], "Two"),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_apply_then_inverse_restores_identical_dump(name):
    prepare, make_op = CASES[name]
    doc = make_document()
    if prepare:
        doc = prepare(doc)
    before = doc.model_dump(mode="json")
    applied = make_op().apply(doc, CTX)
    after = doc.model_dump(mode="json")
    assert after != before, "the op changed nothing"
    assert applied.changes, "the op reported no change for the view"
    redo = applied.inverse.apply(doc, CTX)
    assert doc.model_dump(mode="json") == before
    redo.inverse.apply(doc, CTX)
    assert doc.model_dump(mode="json") == after


REFUSED = {
    "self-loop": lambda: Connect(Edge(id="x", source="start", target="start")),
    "duplicate-edge": lambda: Connect(Edge(id="x", source="start", target="validate")),
    "unknown-node": lambda: SetNodeFields("nope", {"title": "x"}),
    "empty-title": lambda: SetNodeFields("start", {"title": "   "}),
    "unknown-lane": lambda: MoveNodes({"start": (0, 0)}, {"start": "no-lane"}),
    "duplicate-node": lambda: AddNodes([Node(id="start", kind=NodeKind.STEP, title="Dup")]),
    "tick-twice": lambda: Batch(
        [SetItemDone("validate", "metrics", True), SetItemDone("validate", "metrics", True)]
    ),
    "role-in-use": lambda: RemoveRole("security"),
    "conditions-missing": lambda: SignNode("risk", "Ana", "security", Decision.APPROVE_WITH_CONDITIONS),
    "unknown-required-role": lambda: SetNodeFields("risk", {"required_roles": ["ghost"]}),
    "bad-request-type": lambda: SetDocumentFields("request", {"model_name": ["not", "text"]}),
    "reconnect-to-self": lambda: SetEdgeFields("e1", {"target": "start"}),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_op_changes_nothing(name):
    doc = make_document()
    before = doc.model_dump(mode="json")
    with pytest.raises(SopError) as info:
        REFUSED[name]().apply(doc, CTX)
    assert str(info.value).endswith(".")
    assert doc.model_dump(mode="json") == before


def test_remove_node_restores_edges_in_original_places():
    doc = make_document()
    order = [e.id for e in doc.edges]
    applied = RemoveItems(node_ids=["decide"]).apply(doc, CTX)
    assert {e.id for e in doc.edges} == {"e1", "e2"}
    applied.inverse.apply(doc, CTX)
    assert [e.id for e in doc.edges] == order
