"""``Facts`` narrows the nodes the reference and record rules look at (``review_*``): narrowing
must never hide a problem. Each rule's findings on the narrowed lists equal its findings when
every candidate node is under review, on random records."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sopdesigner.model import ChecklistItem, Decision, Evidence, Node, NodeKind, SignOff
from sopdesigner.rules.facts import Facts
from sopdesigner.rules.governance import approved_node_problems, signoff_problems
from sopdesigner.rules.graph import process_graph
from sopdesigner.rules.structure import reference_problems
from tests.factories import make_document

_ROLES = ["security", "legal", "business", "nobody"]
_CATEGORIES = ["Security review", " security  REVIEW", "Metrics", ""]


def _signoff(role):
    return st.builds(
        SignOff,
        id=st.uuids().map(lambda u: u.hex),
        signer=st.sampled_from(["Ann", "ann ", "Bob", "Cy", "Rita Requester"]),
        role=role,
        # Mostly approvals, so that whole nodes come out approved often.
        decision=st.sampled_from([Decision.APPROVE] * 3 + list(Decision)),
        conditions=st.sampled_from(["", "", "  ", "Watch drift"]),
        at=st.just("2026-01-05T09:00:00Z"),
        round=st.sampled_from([1, 1, 2]),
        superseded=st.sampled_from([False, False, True]),
    )


_checklist = st.lists(
    st.builds(
        ChecklistItem,
        id=st.uuids().map(lambda u: u.hex),
        text=st.just("Item"),
        required=st.booleans(),
        done=st.sampled_from([True, True, False]),
        evidence_category=st.sampled_from([None, *_CATEGORIES]),
    ),
    max_size=4,
)
_evidence = st.lists(
    st.builds(
        Evidence,
        id=st.uuids().map(lambda u: u.hex),
        sha256=st.just("a" * 64),
        size=st.just(1),
        filename=st.just("f.pdf"),
        category=st.sampled_from(_CATEGORIES),
    ),
    max_size=2,
)


@st.composite
def _node(draw):
    """A node whose required roles have sign-offs more often than not, plus stray ones."""
    roles = draw(st.lists(st.sampled_from(_ROLES), unique=True, max_size=3))
    signoffs = [draw(_signoff(st.just(r))) for r in roles if draw(st.integers(0, 4))]
    signoffs += draw(st.lists(_signoff(st.sampled_from(_ROLES)), max_size=2))
    return Node(
        id=draw(st.uuids()).hex,
        kind=draw(st.sampled_from(list(NodeKind))),
        title="X",
        lane=draw(st.sampled_from([None, "lane-security", "lane-gone"])),
        required_roles=roles,
        checklist=draw(_checklist),
        evidence=draw(_evidence),
        signoffs=draw(st.permutations(signoffs)),
        round=draw(st.sampled_from([1, 1, 2])),
    )


@settings(max_examples=300, deadline=None)
@given(nodes=st.lists(_node(), min_size=1, max_size=4), separation=st.booleans())
def test_review_lists_hide_no_problem(nodes, separation):
    doc = make_document()
    doc.request.requester = "rita  requester"
    doc.policy.separation_of_duties = separation
    doc.nodes += nodes
    graph = process_graph(doc)
    narrowed = Facts(doc)
    found = (
        reference_problems(narrowed),
        signoff_problems(narrowed),
        approved_node_problems(narrowed, graph),
    )
    every = Facts(doc)
    every.review_references = list(every.nodes)
    every.review_signoffs = list(every.active)
    every.review_records = list(every.gates)
    every.review_conditions = list(every.gates)
    assert found == (
        reference_problems(every),
        signoff_problems(every),
        approved_node_problems(every, graph),
    )
