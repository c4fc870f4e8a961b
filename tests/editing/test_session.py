"""The session writes the audit trail exactly as the contract says, and only ever appends."""

from __future__ import annotations

import hashlib
import json

import pytest

from sopdesigner.editing import EditSession
from sopdesigner.errors import InvalidEditError
from sopdesigner.model import Decision
from sopdesigner.model.audit import verify_chain, verify_events
from sopdesigner.ops import MoveNodes, RemoveItems, SetDocumentFields, SetItemDone, SignNode


def contract_hash(event: dict) -> str:
    """Re-computed from the words of PRODUCT.md, independently of sopdesigner.model.audit."""
    body = {k: v for k, v in event.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def session(doc):
    return EditSession(doc, actor="Zoë Łukasiewicz")


def test_record_changes_append_a_chain_that_matches_the_contract(session, doc):
    session.apply(SetDocumentFields("request", {"model_name": "Кредит v2"}))
    session.apply(SetItemDone("validate", "metrics", True))
    session.apply(SignNode("risk", "Σωκράτης", "security", Decision.APPROVE))
    events = [e.model_dump(mode="json") for e in doc.audit]
    assert [e["action"] for e in events] == ["request.changed", "checklist.ticked", "signoff.recorded"]
    prev = "0" * 64
    for i, e in enumerate(events, start=1):
        assert e["seq"] == i and e["prev_hash"] == prev and e["at"].endswith("Z")
        assert e["hash"] == contract_hash(e)
        prev = e["hash"]
    assert events[1]["node"] == "validate" and events[0]["actor"] == "Zoë Łukasiewicz"


def test_moving_is_not_an_audit_event(session, doc):
    session.apply(MoveNodes({"start": (10.0, 10.0)}))
    assert doc.audit == []


def test_undo_appends_compensating_event_and_never_removes(session, doc):
    out = session.apply(SignNode("risk", "Ana", "security", Decision.APPROVE))
    undo = session.apply(out.inverse, "undo")
    assert [e.action for e in doc.audit] == ["signoff.recorded", "signoff.revoked"]
    assert doc.audit[1].details["undo"] is True
    assert doc.node("risk").signoffs == []
    session.apply(undo.inverse, "redo")
    assert [e.action for e in doc.audit][-1] == "signoff.restored"
    assert len(doc.node("risk").signoffs) == 1
    assert verify_events(doc.audit) is None


def test_removing_a_node_records_its_edges_too(session, doc):
    session.apply(RemoveItems(node_ids=["risk"]))
    actions = [e.action for e in doc.audit]
    assert actions.count("edge.removed") == 2 and actions[-1] == "node.removed"


def test_tampered_event_is_found_at_its_seq(session, doc):
    for item in ("metrics", "data"):
        session.apply(SetItemDone("validate", item, True))
    session.apply(SignNode("risk", "Ana", "security", Decision.APPROVE))
    events = [e.model_dump(mode="json") for e in doc.audit]
    events[1]["details"]["text"] = "something else"
    problem = verify_chain(events)
    assert problem is not None and problem.seq == 2 and "altered" in problem.message
    events = [e.model_dump(mode="json") for e in doc.audit]
    del events[1]
    assert verify_chain(events).seq == 2


def test_verify_events_on_models_finds_what_verify_chain_finds_on_dicts(session, doc):
    # verify_events hashes the model's fields directly (the fast path the gate and the PDF
    # use); it must hash exactly the contract's keys and report the same problems.
    from sopdesigner.model.audit import EVENT_KEYS
    from sopdesigner.model.document import AuditEvent

    assert set(AuditEvent.model_fields) == {*EVENT_KEYS, "hash"}
    for item in ("metrics", "data"):
        session.apply(SetItemDone("validate", item, True))
    session.apply(SignNode("risk", "Ana", "security", Decision.APPROVE))
    assert verify_events(doc.audit) is None
    assert verify_events(doc.audit[1:], first_seq=2, prev_hash=doc.audit[0].hash) is None
    altered = [e.model_copy(deep=True) for e in doc.audit]
    altered[1].details["text"] = "something else"
    relinked = [e.model_copy(deep=True) for e in doc.audit]
    relinked[2] = relinked[2].model_copy(update={"prev_hash": "f" * 64})
    for events in (altered, relinked, doc.audit[:1] + doc.audit[2:]):
        fast = verify_events(events)
        general = verify_chain([e.model_dump(mode="json") for e in events])
        assert fast is not None and fast == general


def test_structure_lock_refuses_structural_edits_but_not_records(session, doc):
    session.structure_locked = True
    with pytest.raises(InvalidEditError):
        session.apply(MoveNodes({"start": (0.0, 0.0)}))
    session.apply(SetItemDone("validate", "metrics", True))
    assert doc.node("validate").checklist[0].done_by == "Zoë Łukasiewicz"


def test_refused_op_appends_nothing(session, doc):
    with pytest.raises(InvalidEditError):
        session.apply(SetItemDone("validate", "metrics", False))
    assert doc.audit == []
    assert session.revision == 0


def test_log_appends_non_edit_events(session, doc):
    session.log("review.started", None, {"attendees": ["Ana", "Юлия"]})
    assert doc.audit[0].details == {"attendees": ["Ana", "Юлия"]}
    assert verify_events(doc.audit) is None
