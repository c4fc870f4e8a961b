"""Every validation rule: a document that triggers it and a near miss that does not.

The baseline is ``tests.factories.make_document()`` (start → validation → risk checkpoint →
decision → deploy / iterate, with a rework loop), which has no problems at all. Records are
written through an ``EditSession`` with real ops, as the editor and the CLI write them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sopdesigner.model import Edge, EdgeKind, Lane, Node, NodeKind
from sopdesigner.model.status import node_status
from sopdesigner.ops import (
    AddNodes,
    Connect,
    RemoveItems,
)
from sopdesigner.rules.validation import (
    RULES,
    path_kinds,
    validate,
)
from tests.rules.support import codes, make_session, only


@pytest.fixture
def session(doc):
    return make_session(doc)


def test_baseline_document_has_no_problems(doc):
    assert validate(doc) == []


def test_every_rule_code_is_documented_with_a_severity():
    assert all(
        code.startswith(("SOP1", "SOP2")) and sev in ("error", "warning") for code, (sev, _) in RULES.items()
    )
    assert len(RULES) == 22


# -- structure -------------------------------------------------------------------------------


def test_sop101_no_start(doc):
    doc.node("start").kind = NodeKind.STEP
    assert codes(doc) == ["SOP101"]  # and no flood of "unreachable" problems


def test_sop102_two_starts(session, doc):
    session.apply(
        AddNodes(
            [Node(id="start2", kind=NodeKind.START, title="Second request")],
            [Edge(id="e-s2", source="start2", target="validate")],
        )
    )
    p = only(doc, "SOP102")
    assert p.node_ids == ("start", "start2")
    assert "'Deployment request' and 'Second request'" in p.message
    assert codes(doc) == ["SOP102"]


def test_sop103_no_end(doc):
    doc.node("deploy").kind = NodeKind.STEP
    doc.node("iterate").kind = NodeKind.STEP
    assert codes(doc) == ["SOP103"]


def test_sop104_unreachable_node(session, doc):
    session.apply(
        AddNodes(
            [Node(id="orphan", kind=NodeKind.STEP, title="Orphan step")],
            [Edge(id="e-o", source="orphan", target="deploy")],
        )
    )
    p = only(doc, "SOP104")
    assert p.node_ids == ("orphan",)
    assert p.message == "'Orphan step' cannot be reached from the start node."


def test_sop104_node_reached_only_through_rework_is_reachable(session, doc):
    session.apply(
        AddNodes(
            [Node(id="fix", kind=NodeKind.STEP, title="Remediate")],
            [
                Edge(id="e-r", source="decide", target="fix", label="revise", kind=EdgeKind.REWORK),
                Edge(id="e-f", source="fix", target="validate"),
            ],
        )
    )
    assert validate(doc) == []


def test_sop105_dead_end(session, doc):
    session.apply(
        AddNodes(
            [Node(id="dead", kind=NodeKind.STEP, title="Side analysis")],
            [Edge(id="e-d", source="validate", target="dead")],
        )
    )
    p = only(doc, "SOP105")
    assert (p.node_ids, p.severity) == (("dead",), "error")
    assert p.message == "No end node can be reached from 'Side analysis'."


def test_notes_are_ignored_by_flow_rules(session, doc):
    session.apply(AddNodes([Node(id="note", kind=NodeKind.NOTE, title="Remember the DPIA")]))
    session.apply(Connect(Edge(id="e-n", source="note", target="risk")))
    assert validate(doc) == []


def test_sop106_flow_only_loop(session, doc):
    doc.edge("e6").kind = EdgeKind.FLOW
    p = only(doc, "SOP106")
    assert set(p.node_ids) == {"validate", "risk", "decide"}
    assert set(p.edge_ids) == {"e2", "e3", "e6"}
    assert (
        "'Technical validation' → 'Risk and compliance review' → 'Final decision' → "
        "'Technical validation'" in p.message
    )


def test_sop106_not_raised_for_a_loop_through_rework(doc):
    assert doc.edge("e6").kind is EdgeKind.REWORK
    assert "SOP106" not in codes(doc)


def test_sop107_decision_without_approve_path(doc):
    doc.edge("e4").label = ""
    doc.node("deploy").title = "Production"
    p = only(doc, "SOP107")
    assert p.node_ids == ("decide",)
    assert p.message.startswith("Decision 'Final decision' has no approve path")


def test_sop107_unlabelled_connector_into_deploy_is_an_approve_path(doc):
    doc.edge("e4").label = ""
    assert validate(doc) == []


def test_sop108_decision_without_reject_or_revise_path(session, doc):
    session.apply(RemoveItems(edge_ids=["e6"]))
    doc.edge("e5").label = "archive"
    doc.node("iterate").title = "Archive"
    p = only(doc, "SOP108")
    assert p.message.startswith("Decision 'Final decision' has no reject-or-revise path")
    assert codes(doc) == ["SOP108"]


def test_sop108_a_rework_connector_alone_is_a_revise_path(session, doc):
    session.apply(RemoveItems(edge_ids=["e5"]))
    session.apply(RemoveItems(node_ids=["iterate"]))
    assert validate(doc) == []


A, R, AR = frozenset({"approve"}), frozenset({"revise"}), frozenset({"approve", "revise"})


@pytest.mark.parametrize(
    ("label", "kind", "target", "expected"),
    [
        ("approve", EdgeKind.FLOW, "Anything", A),
        ("Approved with conditions", EdgeKind.FLOW, "Anything", A),
        ("Yes", EdgeKind.FLOW, "Anything", A),
        ("Go", EdgeKind.FLOW, "Anything", A),
        ("No-go", EdgeKind.FLOW, "Anything", R),
        ("not approved", EdgeKind.FLOW, "Anything", R),
        ("approve / reject", EdgeKind.FLOW, "Proceed to deployment or iteration", AR),
        ("Reject", EdgeKind.FLOW, "Deploy", R),
        ("", EdgeKind.FLOW, "Deploy", A),
        ("", EdgeKind.FLOW, "Iterate", R),
        ("", EdgeKind.REWORK, "Deploy", R),
        ("", EdgeKind.FLOW, "Archive", frozenset()),
        ("maybe", EdgeKind.FLOW, "Archive", frozenset()),
    ],
)
def test_decision_path_heuristic(label, kind, target, expected):
    edge = Edge(id="e", source="d", target="t", label=label, kind=kind)
    assert path_kinds(edge, Node(id="t", kind=NodeKind.STEP, title=target)) == expected


def test_sop109_connector_to_missing_node(doc):
    doc.edges.append(Edge(id="ghost-edge", source="validate", target="ghost"))
    p = only(doc, "SOP109")
    assert p.edge_ids == ("ghost-edge",)
    assert (
        p.message
        == "Connector 'ghost-edge' from 'Technical validation' refers to node 'ghost', which does not exist."
    )
    assert codes(doc) == ["SOP109"]


def test_sop110_lane_with_undefined_role(doc):
    doc.lanes.append(Lane(id="lane-hr", role="hr"))
    assert only(doc, "SOP110").message == "Lane 'lane-hr' is bound to role 'hr', which is not defined."
    assert codes(doc) == ["SOP110"]


def test_sop111_required_role_undefined(doc):
    doc.node("risk").required_roles.append("hr")
    p = only(doc, "SOP111")
    assert (p.node_ids, p.message) == (
        ("risk",),
        "'Risk and compliance review' requires role 'hr', which is not defined.",
    )


def test_sop112_node_in_missing_lane(doc):
    doc.node("validate").lane = "lane-gone"
    assert only(doc, "SOP112").node_ids == ("validate",)
    assert codes(doc) == ["SOP112"]


def test_sop113_duplicate_ids(doc):
    doc.nodes.append(Node(id="validate", kind=NodeKind.NOTE, title="A copy"))
    doc.edges.append(Edge(id="e1", source="start", target="risk"))
    found = [p for p in validate(doc) if p.code == "SOP113"]
    assert [(p.node_ids, p.edge_ids) for p in found] == [(("validate",), ()), ((), ("e1",))]


def test_references_that_exist_raise_nothing(doc):
    assert not {"SOP109", "SOP110", "SOP111", "SOP112", "SOP113"} & set(codes(doc))


# -- templates -------------------------------------------------------------------------------


def _template_ids() -> list[str]:
    """Ids of the built-in templates, from the files in the repository's ``templates/``."""
    folder = Path(__file__).resolve().parents[2] / "templates"
    return sorted(p.stem for p in folder.glob("*.json"))


@pytest.mark.parametrize(
    "template_id",
    _template_ids()
    or [pytest.param("none", marks=pytest.mark.skip(reason="templates/*.json not written yet"))],
)
def test_every_template_validates_without_errors(template_id):
    from sopdesigner.templates import load_template

    doc = load_template(template_id)
    assert [p for p in validate(doc) if p.severity == "error"] == []


def test_sop106_a_connector_to_itself_in_a_file_is_a_loop(doc):
    doc.edges.append(Edge(id="self", source="risk", target="risk"))  # ops refuse it; a file may not
    p = only(doc, "SOP106")
    assert (p.node_ids, p.edge_ids) == (("risk",), ("self",))


# -- the benchmark generator makes realistic, sound documents ---------------------------------


def _generator():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("sop_benchmark_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_document_is_sound_half_reviewed_and_reproducible():
    from sopdesigner.model.audit import verify_events
    from sopdesigner.rules.gate import gate

    gen = _generator()
    doc = gen.generate_document(200, seed=3)
    assert len(doc.nodes) == 200
    assert [p for p in validate(doc) if p.severity == "error"] == []
    result = gate(doc)
    assert not result.ship and result.reasons
    assert verify_events(doc.audit) is None and len(doc.audit) > 1000
    assert {len(n.checklist) for n in doc.nodes if n.kind is not NodeKind.END} == {5}
    assert {len(n.evidence) for n in doc.nodes if n.kind is not NodeKind.END} == {2}
    assert {len(n.signoffs) for n in doc.nodes if n.required_roles} <= {1, 2, 3}
    again = gen.generate_document(200, seed=3)
    assert again.model_dump() == doc.model_dump()
    direct = gen.generate_document(200, seed=3, records=False)
    assert direct.audit == []
    assert [(n.id, node_status(n)) for n in direct.nodes] == [(n.id, node_status(n)) for n in doc.nodes]


def test_generated_evidence_bytes_save_into_a_document_file(tmp_path):
    from sopdesigner.storage.document_file import DocumentFile

    gen = _generator()
    doc = gen.generate_document(20)
    with DocumentFile.create(tmp_path / "g.sop", doc, blobs=gen.evidence_blobs(doc)) as f:
        loaded = f.load()
        ev = loaded.nodes[1].evidence[0]
        assert b"".join(f.iter_blob(ev.sha256)) == gen.evidence_bytes(ev.id)
    assert loaded.model_dump() == doc.model_dump()


def test_an_empty_document_needs_a_start_an_end_and_an_approval():
    from sopdesigner.model import Document

    assert codes(Document(id="empty")) == ["SOP101", "SOP103", "SOP209"]
