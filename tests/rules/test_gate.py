"""The ship gate: reasons and conditions, driven through real ops in an ``EditSession``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sopdesigner.editing.session import EditSession
from sopdesigner.model import ChecklistItem, Decision, EdgeKind, Node, NodeKind
from sopdesigner.ops import AddNodes, SetItemDone, SignNode, StartReviewRound
from sopdesigner.rules.gate import GateResult, gate

FRESH_REASONS = [
    "Required checklist item 'Performance metrics reviewed' not done on 'Technical validation'",
    "Required checklist item 'Data quality checked' not done on 'Technical validation'",
    "Security sign-off missing on 'Risk and compliance review'",
    "Legal sign-off missing on 'Risk and compliance review'",
    "Required checklist item 'Privacy review done' not done on 'Risk and compliance review'",
    "Business sign-off missing on 'Final decision'",
]


def session_for(doc):
    return EditSession(doc, actor="Gate Tester", clock=lambda: "2026-01-05T09:00:00Z")


def complete_everything(session):
    """Tick every required item and sign every required role, one distinct person per role."""
    doc = session.document
    names = {r.id: r.name for r in doc.roles}
    for node in list(doc.nodes):
        for item in node.checklist:
            if item.required and not item.done:
                session.apply(SetItemDone(node.id, item.id, True))
        for role in node.required_roles:
            session.apply(SignNode(node.id, f"{names[role]} Reviewer", role, Decision.APPROVE))


def test_fresh_document_lists_every_missing_signoff_and_item(doc):
    result = gate(doc)
    assert result == GateResult(ship=False, reasons=FRESH_REASONS, conditions=[])


def test_ships_once_every_item_is_ticked_and_every_role_signed(doc):
    complete_everything(session_for(doc))
    assert gate(doc) == GateResult(ship=True, reasons=[], conditions=[])


def test_one_reject_stops_shipping_again(doc):
    s = session_for(doc)
    complete_everything(s)
    s.apply(SignNode("risk", "Jane Doe", "legal", Decision.REJECT, comment="No DPIA  on file."))
    result = gate(doc)
    assert not result.ship
    assert result.reasons == [
        "Validation error SOP205: 'Final decision' is approved while 'Risk and compliance review' upstream of it "
        "is not approved.",
        "'Risk and compliance review' was rejected by Legal (Jane Doe): No DPIA on file.",
    ]


def test_request_changes_is_a_reason_with_its_comment_or_without(doc):
    s = session_for(doc)
    s.apply(
        SignNode("decide", "Bo Business", "business", Decision.REQUEST_CHANGES, comment="Add a rollback plan")
    )
    assert (
        "Business (Bo Business) requested changes to 'Final decision': Add a rollback plan"
        in gate(doc).reasons
    )
    s.apply(SignNode("decide", "Bo Business", "business", Decision.REJECT))
    assert "'Final decision' was rejected by Business (Bo Business)" in gate(doc).reasons


def test_conditions_are_listed_whether_or_not_it_ships(doc):
    s = session_for(doc)
    complete_everything(s)
    s.apply(
        SignNode(
            "risk",
            "Sam Security",
            "security",
            Decision.APPROVE_WITH_CONDITIONS,
            conditions="Re-run the\npenetration test in Q3",
        )
    )
    result = gate(doc)
    assert result.ship
    assert result.conditions == ["Risk and compliance review — Security: Re-run the penetration test in Q3"]
    s.apply(SignNode("decide", "Bo Business", "business", Decision.REJECT, comment="Budget"))
    result = gate(doc)
    assert not result.ship
    assert result.conditions == ["Risk and compliance review — Security: Re-run the penetration test in Q3"]


def test_validation_errors_stop_shipping_and_warnings_do_not(doc):
    s = session_for(doc)
    complete_everything(s)
    s.apply(SignNode("risk", "Dana Scientist", "data-science", Decision.APPROVE))  # SOP202 warning only
    assert gate(doc).ship
    doc.edge("e6").kind = EdgeKind.FLOW  # a flow-only loop: SOP106 error
    result = gate(doc)
    assert not result.ship
    assert len(result.reasons) == 1
    assert result.reasons[0].startswith("Validation error SOP106: The flow 'Technical validation' → ")


def test_approved_node_with_open_item_is_reported_once(doc):
    s = session_for(doc)
    complete_everything(s)
    s.apply(SetItemDone("risk", "privacy", False))
    assert gate(doc).reasons == [
        "Required checklist item 'Privacy review done' not done on 'Risk and compliance review'"
    ]


def test_optional_items_and_notes_do_not_block(doc):
    s = session_for(doc)
    s.apply(
        AddNodes(
            [
                Node(
                    id="n",
                    kind=NodeKind.NOTE,
                    title="Reminder",
                    checklist=[ChecklistItem(id="c", text="Something on a note")],
                )
            ]
        )
    )
    complete_everything(s)
    assert not doc.node("validate").checklist[2].done  # the optional robustness probe
    assert gate(doc).ship


def test_a_new_review_round_needs_fresh_signoffs(doc):
    s = session_for(doc)
    complete_everything(s)
    s.apply(StartReviewRound(["decide"]))
    assert gate(doc).reasons == ["Business sign-off missing on 'Final decision'"]


def test_to_json_is_exactly_the_contract(doc):
    data = gate(doc).to_json()
    assert list(data) == ["ship", "reasons", "conditions"]
    assert data == {"ship": False, "reasons": FRESH_REASONS, "conditions": []}
    json.dumps(data)


# -- the built-in templates ------------------------------------------------------------------


def _template_ids() -> list[str]:
    folder = Path(__file__).resolve().parents[2] / "templates"
    return sorted(p.stem for p in folder.glob("*.json"))


@pytest.mark.parametrize(
    "template_id",
    _template_ids()
    or [pytest.param("none", marks=pytest.mark.skip(reason="templates/*.json not written yet"))],
)
def test_template_gate_lifecycle(template_id):
    from sopdesigner.templates import load_template

    doc = load_template(template_id)
    names = {r.id: r.name for r in doc.roles}
    result = gate(doc)
    assert not result.ship
    expected_missing = {
        f"{names[r]} sign-off missing on '{n.title}'" for n in doc.nodes for r in n.required_roles
    }
    assert expected_missing  # every template has approvals to gather
    assert expected_missing <= set(result.reasons)

    s = session_for(doc)
    complete_everything(s)
    assert gate(doc) == GateResult(ship=True, reasons=[], conditions=[])

    gated = next(n for n in doc.nodes if n.required_roles)
    role = gated.required_roles[0]
    s.apply(SignNode(gated.id, "Late Objector", role, Decision.REJECT, comment="Not ready"))
    result = gate(doc)
    assert not result.ship
    assert f"'{gated.title}' was rejected by {names[role]} (Late Objector): Not ready" in result.reasons
