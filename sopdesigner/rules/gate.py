"""The ship gate: may this model ship, and if not, exactly why not.

The contract (PRODUCT.md): the model may ship only when validation finds no errors, every node
that requires approvals is approved (or approved with conditions), and every required
checklist item is done. Reasons come in a fixed order: validation errors (by code), then node
by node in document order its sign-off reasons (one per required role that has not approved,
in the node's role order) and its open required checklist items. SOP206 ("approved with
required items open") is left out of the reasons because the item reasons already say it.
``conditions`` lists every condition attached to a current approval, shipping or not.
Last come record-integrity reasons (``integrity.py``): a broken audit chain, or a sign-off or
tick that the trail does not back, blocks shipping whatever the records say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sopdesigner.model.document import Document, SignOff
from sopdesigner.model.enums import Decision, NodeKind

if TYPE_CHECKING:
    from sopdesigner.rules.facts import Facts
    from sopdesigner.rules.problems import Problem

#: Validation codes whose message the gate's own reasons already cover.
_COVERED = frozenset({"SOP206"})


@dataclass
class GateResult:
    ship: bool
    reasons: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Exactly the contract's ``gate --json`` object."""
        return {"ship": self.ship, "reasons": list(self.reasons), "conditions": list(self.conditions)}


def gate(doc: Document, checked: tuple[list[Problem], Facts] | None = None) -> GateResult:
    """``checked`` is ``validate_with_view(doc)`` when the caller already ran it (the PDF
    report validates for its problems section): the document is not validated twice."""
    from sopdesigner.rules.validation import validate_with_view

    problems, view = checked if checked is not None else validate_with_view(doc)
    reasons = [
        f"Validation error {p.code}: {p.message}"
        for p in problems
        if p.severity == "error" and p.code not in _COVERED
    ]
    conditions = []
    gates = set(view.gates)
    empty: dict[str, SignOff] = {}
    for node in doc.nodes:
        if node.kind is NodeKind.NOTE:
            continue
        if node.id in gates:
            latest = view.latest.get(node.id, empty)
            for role_id in node.required_roles:
                role = view.role(role_id)
                s = latest.get(role_id)
                if s is None:
                    reasons.append(f"{role} sign-off missing on '{node.title}'")
                elif s.decision is Decision.REJECT:
                    reasons.append(
                        f"'{node.title}' was rejected by {role} ({s.signer})" + _because(s.comment)
                    )
                elif s.decision is Decision.REQUEST_CHANGES:
                    reasons.append(
                        f"{role} ({s.signer}) requested changes to '{node.title}'" + _because(s.comment)
                    )
                elif s.conditions.strip() or s.decision is Decision.APPROVE_WITH_CONDITIONS:
                    text = " ".join(s.conditions.split()) or "(conditions not written down)"
                    conditions.append(f"{node.title} — {role}: {text}")
        reasons += [
            f"Required checklist item '{item.text}' not done on '{node.title}'"
            for item in node.checklist
            if item.required and not item.done
        ]
    from sopdesigner.rules.integrity import integrity_reasons

    reasons += integrity_reasons(doc)
    return GateResult(ship=not reasons, reasons=reasons, conditions=conditions)


def _because(comment: str) -> str:
    text = " ".join(comment.split())
    return f": {text}" if text else ""
