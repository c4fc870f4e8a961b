"""Record integrity for the gate: the records a ship decision rests on must be the ones the
tamper-evident audit trail says were made.

A ``.sop`` file is the lead's own SQLite file; anyone can edit a sign-off in it with a database
tool. The hash chain makes such an edit detectable, so before a pipeline is told "ship", the
gate checks that the chain verifies and that every sign-off and tick it counts is backed by the
latest matching event in the trail (not revoked, not unticked, same signer, role and decision).
"""

from __future__ import annotations

from typing import Any

from sopdesigner.model.audit import verify_events
from sopdesigner.model.document import Document, Node, SignOff
from sopdesigner.model.status import active_signoffs

_SIGNOFF_ACTIONS = {"signoff.recorded", "signoff.restored", "signoff.revoked"}
_TICK_ACTIONS = {"checklist.ticked", "checklist.unticked"}


def integrity_reasons(doc: Document) -> list[str]:
    """Why the records cannot be trusted, one sentence each; empty when they can."""
    problem = verify_events(doc.audit)
    if problem is not None:
        return [f"The audit trail does not verify: {problem.message.rstrip('.')}"]
    last_signoff: dict[str, dict[str, Any]] = {}
    last_tick: dict[tuple[str | None, str], str] = {}
    for event in doc.audit:
        if event.action in _SIGNOFF_ACTIONS:
            sid = event.details.get("signoff")
            if isinstance(sid, str):
                last_signoff[sid] = {"action": event.action, "node": event.node, **event.details}
        elif event.action in _TICK_ACTIONS:
            item = event.details.get("item")
            if isinstance(item, str):
                last_tick[(event.node, item)] = event.action
    reasons: list[str] = []
    for node in doc.nodes:
        for s in active_signoffs(node):
            if not _backed(s, node, last_signoff.get(s.id)):
                reasons.append(
                    f"Sign-off by {s.signer} ({doc.role_name(s.role)}) on '{node.title}' does not match the audit trail"
                )
        for item in node.checklist:
            if item.done and item.required and last_tick.get((node.id, item.id)) != "checklist.ticked":
                reasons.append(f"Tick of '{item.text}' on '{node.title}' is not in the audit trail")
    return reasons


def _backed(s: SignOff, node: Node, event: dict[str, Any] | None) -> bool:
    return (
        event is not None
        and event["action"] != "signoff.revoked"
        and event["node"] == node.id
        and event.get("signer") == s.signer
        and event.get("role") == s.role
        and event.get("decision") == s.decision.value
        and event.get("conditions", "") == s.conditions
    )
