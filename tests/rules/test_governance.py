"""Every governance rule (SOP2xx) and ``check_signoff``: a record that triggers it and a near
miss that does not, on ``tests.factories.make_document()`` with records written through ops."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sopdesigner.model import ChecklistItem, Decision, Edge, EdgeKind, Evidence, Node, NodeKind, SignOff
from sopdesigner.model.status import node_status, requires_approval
from sopdesigner.ops import AddNodes, AttachEvidence, Connect, RemoveItems, StartReviewRound
from sopdesigner.rules.facts import Facts
from sopdesigner.rules.validation import Problem, check_signoff, normalize_name, validate
from tests.factories import make_document
from tests.rules.support import approve_risk, codes, make_session, only, sign, tick_all


@pytest.fixture
def session(doc):
    return make_session(doc)


# -- governance ------------------------------------------------------------------------------


def test_sop201_checkpoint_without_required_roles(doc):
    doc.node("risk").required_roles = []
    p = only(doc, "SOP201")
    assert (
        p.message
        == "Checkpoint 'Risk and compliance review' has no required roles, so nobody has to approve it."
    )
    assert p.severity == "error"


def test_sop201_decision_without_roles_but_not_a_plain_step(doc):
    doc.node("decide").required_roles = []
    assert [p.node_ids for p in validate(doc) if p.code == "SOP201"] == [("decide",)]
    assert doc.node("validate").required_roles == []  # a step needs no approvers


def test_sop202_signoff_by_a_role_not_required(session, doc):
    sign(session, "risk", "data-science", "Dana Scientist")
    p = only(doc, "SOP202")
    assert p.severity == "warning"
    assert p.message == (
        "Data Science (Dana Scientist) signed 'Risk and compliance review', which does not "
        "require Data Science."
    )


def test_sop202_not_raised_for_required_role_or_superseded_signoff(session, doc):
    sign(session, "risk", "security", "Sam Security")
    assert "SOP202" not in codes(doc)
    sign(session, "risk", "data-science", "Dana Scientist")
    session.apply(StartReviewRound(["risk"]))
    assert "SOP202" not in codes(doc)


def test_sop203_requester_may_not_sign(session, doc):
    doc.request.requester = "Jane  Doe"
    sign(session, "risk", "security", " jane DOE")
    p = only(doc, "SOP203")
    assert p.severity == "error"
    assert "may not sign 'Risk and compliance review' as Security (separation of duties)" in p.message


def test_sop203_compares_names_in_unicode_nfc(session, doc):
    doc.request.requester = "Jos\u00e9 Mart\u00ednez"  # precomposed
    sign(session, "risk", "legal", "Jose\u0301 Marti\u0301nez")  # combining accents
    assert "SOP203" in codes(doc)
    assert normalize_name("Jos\u00e9") == normalize_name("JOSE\u0301")


def test_sop203_not_raised_for_others_or_without_the_policy(session, doc):
    doc.request.requester = "Jane Doe"
    sign(session, "risk", "security", "John Doe")
    assert "SOP203" not in codes(doc)
    sign(session, "risk", "legal", "Jane Doe")
    doc.policy.separation_of_duties = False
    assert "SOP203" not in codes(doc)


def test_sop204_one_person_two_roles_on_a_node(session, doc):
    sign(session, "risk", "security", "Alex Kim")
    sign(session, "risk", "legal", "alex  kim")
    p = only(doc, "SOP204")
    assert p.message == (
        "Alex Kim signed 'Risk and compliance review' as Security and Legal; one person may sign "
        "only one role on a node (separation of duties)."
    )


def test_sop204_not_raised_for_two_people_or_without_the_policy(session, doc):
    sign(session, "risk", "security", "Alex Kim")
    sign(session, "risk", "legal", "Lee Legal")
    assert "SOP204" not in codes(doc)
    sign(session, "risk", "legal", "Alex Kim")
    doc.policy.separation_of_duties = False
    assert "SOP204" not in codes(doc)


def test_sop205_approved_while_upstream_checkpoint_is_not(session, doc):
    sign(session, "decide", "business", "Bo Business")
    p = only(doc, "SOP205")
    assert p.node_ids == ("decide", "risk")
    assert p.message == (
        "'Final decision' is approved while 'Risk and compliance review' upstream of it is not approved."
    )


def test_sop205_not_raised_when_upstream_is_approved_first(session, doc):
    approve_risk(session)
    sign(session, "decide", "business", "Bo Business")
    assert validate(doc) == []


def test_sop205_ignores_gates_entered_only_through_rework(session, doc):
    session.apply(
        AddNodes(
            [
                Node(
                    id="fix",
                    kind=NodeKind.CHECKPOINT,
                    title="Remediation review",
                    required_roles=["security"],
                )
            ],
            [
                Edge(id="e-r", source="decide", target="fix", label="revise", kind=EdgeKind.REWORK),
                Edge(id="e-f", source="fix", target="validate"),
            ],
        )
    )
    approve_risk(session)
    sign(session, "decide", "business", "Bo Business")
    assert validate(doc) == []


def test_sop205_names_an_unapproved_gate_two_steps_up(session, doc):
    session.apply(
        AddNodes(
            [
                Node(
                    id="ops",
                    kind=NodeKind.CHECKPOINT,
                    title="Operational readiness",
                    required_roles=["security"],
                )
            ]
        )
    )
    session.apply(RemoveItems(edge_ids=["e3"]))
    session.apply(Connect(Edge(id="e3a", source="risk", target="ops")))
    session.apply(Connect(Edge(id="e3b", source="ops", target="decide")))
    sign(session, "ops", "security", "Sam Security")
    sign(session, "decide", "business", "Bo Business")
    found = [p.node_ids for p in validate(doc) if p.code == "SOP205"]
    assert found == [("decide", "risk"), ("ops", "risk")]  # document order


def test_sop206_approved_with_required_item_open(session, doc):
    sign(session, "risk", "security", "Sam Security")
    sign(session, "risk", "legal", "Lee Legal")
    p = only(doc, "SOP206")
    assert p.message == (
        "'Risk and compliance review' is approved but its required checklist item "
        "'Privacy review done' is not done."
    )


def test_sop206_not_raised_once_ticked_or_for_optional_items(session, doc):
    doc.node("risk").checklist.append(ChecklistItem(id="opt", text="Optional extra", required=False))
    approve_risk(session)
    assert "SOP206" not in codes(doc)


def _call_for_evidence(doc):
    doc.node("risk").checklist.append(
        ChecklistItem(
            id="sec",
            text="Security review findings filed",
            evidence_category="Security and privacy review findings",
        )
    )


def test_sop207_approved_without_called_for_evidence(session, doc):
    _call_for_evidence(doc)
    approve_risk(session)
    p = only(doc, "SOP207")
    assert p.severity == "warning"
    assert p.message.endswith("its checklist calls for: Security and privacy review findings.")


def test_sop207_not_raised_when_evidence_of_that_category_is_attached(session, doc):
    _call_for_evidence(doc)
    session.apply(
        AttachEvidence(
            "risk",
            Evidence(
                id="ev1",
                sha256="a" * 64,
                size=3,
                filename="pentest.pdf",
                category="security and privacy  review findings",
            ),
        )
    )
    approve_risk(session)
    assert validate(doc) == []


def test_sop208_conditions_without_follow_up_step(session, doc):
    approve_risk(session)
    sign(
        session,
        "decide",
        "business",
        "Bo Business",
        Decision.APPROVE_WITH_CONDITIONS,
        conditions="Monitor drift weekly",
    )
    p = only(doc, "SOP208")
    assert p.message == (
        "Conditions were recorded on the approval of 'Final decision' by Business, but no "
        "follow-up step comes after it to carry them out."
    )


def test_sop208_not_raised_when_a_step_follows(session, doc):
    tick_all(session, "risk")
    sign(
        session,
        "risk",
        "security",
        "Sam Security",
        Decision.APPROVE_WITH_CONDITIONS,
        conditions="Re-scan in Q3",
    )
    sign(session, "risk", "legal", "Lee Legal")
    assert validate(doc) == []


def test_problems_come_errors_first_then_by_code_and_are_deterministic(session, doc):
    _call_for_evidence(doc)
    doc.node("risk").checklist[0].done = True
    sign(session, "risk", "data-science", "Dana Scientist")  # SOP202 warning
    doc.node("iterate").kind = NodeKind.STEP  # SOP105 error (iterate leads nowhere)
    doc.node("decide").required_roles = []  # SOP201 error
    first = validate(doc)
    assert [p.code for p in first] == ["SOP105", "SOP201", "SOP202"]
    assert validate(doc) == first


def test_problem_to_dict_is_plain_json():
    p = Problem("SOP104", "error", "x", ("a",), ("e",))
    assert p.to_dict() == {
        "code": "SOP104",
        "severity": "error",
        "message": "x",
        "node_ids": ["a"],
        "edge_ids": ["e"],
    }


# -- check_signoff (the sign-off dialog's warning) --------------------------------------------


def test_check_signoff_clean(doc):
    assert check_signoff(doc, "risk", "Sam Security", "security") == []


def test_check_signoff_role_not_required_or_undefined(doc):
    assert [p.code for p in check_signoff(doc, "risk", "Dana", "data-science")] == ["SOP202"]
    assert [p.code for p in check_signoff(doc, "risk", "Dana", "hr")] == ["SOP111", "SOP202"]


def test_check_signoff_separation_of_duties(session, doc):
    doc.request.requester = "Jane Doe"
    assert [p.code for p in check_signoff(doc, "risk", "JANE doe", "security")] == ["SOP203"]
    sign(session, "risk", "security", "Alex Kim")
    problems = check_signoff(doc, "risk", "alex kim", "legal")
    assert [p.code for p in problems] == ["SOP204"]
    assert "already signed 'Risk and compliance review' as Security" in problems[0].message
    assert check_signoff(doc, "risk", "Alex Kim", "security") == []  # re-signing one's own role is fine
    doc.policy.separation_of_duties = False
    assert check_signoff(doc, "risk", "alex kim", "legal") == []


def test_check_signoff_unknown_node_is_a_sop_error(doc):
    from sopdesigner.errors import UnknownIdError

    with pytest.raises(UnknownIdError):
        check_signoff(doc, "nope", "A", "security")


# -- the fast "approved" of the rules agrees with the model's node_status ---------------------

_signoffs = st.lists(
    st.builds(
        SignOff,
        id=st.uuids().map(lambda u: u.hex),
        signer=st.sampled_from(["Ann", "Bob"]),
        role=st.sampled_from(["security", "legal", "business"]),
        decision=st.sampled_from(list(Decision)),
        conditions=st.sampled_from(["", "Watch drift"]),
        at=st.just("2026-01-05T09:00:00Z"),
        round=st.integers(1, 2),
        superseded=st.booleans(),
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    roles=st.lists(st.sampled_from(["security", "legal", "business"]), unique=True, max_size=3),
    signoffs=_signoffs,
    rnd=st.integers(1, 2),
    kind=st.sampled_from(list(NodeKind)),
)
def test_approved_matches_node_status(roles, signoffs, rnd, kind):
    doc = make_document()
    node = Node(id="x", kind=kind, title="X", required_roles=roles, signoffs=signoffs, round=rnd)
    doc.nodes.append(node)
    expected = requires_approval(node) and node_status(node).is_approved
    assert ("x" in Facts(doc).approved) == expected


def test_sop209_no_approval_anywhere(session, doc):
    doc.node("risk").kind = NodeKind.STEP
    doc.node("risk").required_roles = []
    doc.node("decide").required_roles = []
    doc.node("decide").kind = NodeKind.STEP
    p = only(doc, "SOP209")
    assert p.severity == "error" and p.node_ids == ()
    assert codes(doc) == ["SOP209"]


def test_sop209_not_raised_when_one_step_requires_approval_or_sop201_already_says_it(doc):
    doc.node("risk").required_roles = []
    doc.node("decide").required_roles = []
    assert "SOP209" not in codes(doc)  # SOP201 names the checkpoint and the decision instead
    doc.node("risk").kind = NodeKind.STEP
    doc.node("decide").kind = NodeKind.STEP
    doc.node("validate").required_roles = ["data-science"]
    assert validate(doc) == []
