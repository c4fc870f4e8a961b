"""Helpers shared by the rules tests: run validation, and write records through real ops."""

from __future__ import annotations

from sopdesigner.editing.session import EditSession
from sopdesigner.model import Decision
from sopdesigner.ops import SetItemDone, SignNode
from sopdesigner.rules.validation import Problem, validate


def codes(doc) -> list[str]:
    return [p.code for p in validate(doc)]


def only(doc, code: str) -> Problem:
    found = [p for p in validate(doc) if p.code == code]
    assert len(found) == 1, validate(doc)
    return found[0]


def make_session(doc) -> EditSession:
    return EditSession(doc, actor="Test Runner", clock=lambda: "2026-01-05T09:00:00Z")


def sign(session, node, role, signer, decision=Decision.APPROVE, conditions="", comment=""):
    session.apply(SignNode(node, signer, role, decision, comment=comment, conditions=conditions))


def tick_all(session, node_id):
    node = session.document.node(node_id)
    for item in node.checklist:
        if item.required and not item.done:
            session.apply(SetItemDone(node_id, item.id, True))


def approve_risk(session):
    tick_all(session, "risk")
    sign(session, "risk", "security", "Sam Security")
    sign(session, "risk", "legal", "Lee Legal")
