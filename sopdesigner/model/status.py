"""Derived status: the one place that decides a node's status, and how each status looks.

Rules (documented in the README, one test per status):

* ``note`` nodes have no workflow status: always ``not_started``.
* A node that **requires approvals** (non-empty ``required_roles``) is judged on the *active*
  sign-offs (current round, not superseded), taking each required role's latest decision:
  any ``reject`` → ``rejected``; else any ``request_changes`` → ``needs_revision``; else every
  required role approved → ``approved_with_conditions`` if any approval carries conditions
  (or was given as ``approve_with_conditions``), otherwise ``approved``; else some approval
  recorded, or every required checklist item done → ``in_review``; else any item ticked or any
  evidence attached → ``in_progress``; else ``not_started``.
* Any other node (start, step, end, a decision without roles) is judged on its checklist:
  it has items and every required one is done → ``complete``; any item done or evidence
  attached → ``in_progress``; else ``not_started``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopdesigner.model.document import Node, SignOff
from sopdesigner.model.enums import Decision, NodeKind, Status


def active_signoffs(node: Node) -> list[SignOff]:
    """Sign-offs of the node's current review round that have not been superseded."""
    return [s for s in node.signoffs if not s.superseded and s.round == node.round]


def latest_by_role(node: Node) -> dict[str, SignOff]:
    """Each role's latest active sign-off (later in the list wins)."""
    current = node.round
    # One loop, no intermediate list: a canvas rebuild asks this for every node.
    return {s.role: s for s in node.signoffs if not s.superseded and s.round == current}


def required_items_done(node: Node) -> bool:
    return not [item for item in node.checklist if item.required and not item.done]


def node_status(node: Node, latest: dict[str, SignOff] | None = None) -> Status:
    """``latest``: ``latest_by_role(node)`` when the caller has it already (the canvas does).

    Written for speed (a canvas rebuild derives every node's status): list comprehensions
    instead of generators, and the checklist read once."""
    if node.kind is NodeKind.NOTE:
        return Status.NOT_STARTED
    checklist = node.checklist
    started = True in [item.done for item in checklist] or bool(node.evidence)
    required = node.required_roles
    if required:
        if latest is None:
            latest = latest_by_role(node)
        signed = [latest[r] for r in required if r in latest]
        if signed:
            decisions = [s.decision for s in signed]
            if Decision.REJECT in decisions:
                return Status.REJECTED
            if Decision.REQUEST_CHANGES in decisions:
                return Status.NEEDS_REVISION
            if len(signed) == len(required):
                conditional = [
                    s for s in signed if s.decision is Decision.APPROVE_WITH_CONDITIONS or s.conditions.strip()
                ]
                return Status.APPROVED_WITH_CONDITIONS if conditional else Status.APPROVED
            return Status.IN_REVIEW
        if started and checklist and required_items_done(node):
            return Status.IN_REVIEW
        return Status.IN_PROGRESS if started else Status.NOT_STARTED
    if started and checklist and required_items_done(node):
        return Status.COMPLETE
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


@dataclass(frozen=True)
class StatusStyle:
    """How a status is shown: colour is never the only signal (WCAG 1.4.1)."""

    label: str
    glyph: str
    colour: str  # fill/accent, Okabe–Ito (colour-blind safe)
    text_on: str  # readable text colour on top of ``colour``


STATUS_STYLES: dict[Status, StatusStyle] = {
    Status.NOT_STARTED: StatusStyle("Not started", "○", "#9E9E9E", "#000000"),
    Status.IN_PROGRESS: StatusStyle("In progress", "◐", "#0072B2", "#FFFFFF"),
    Status.IN_REVIEW: StatusStyle("In review", "◎", "#E69F00", "#000000"),
    Status.COMPLETE: StatusStyle("Complete", "●", "#56B4E9", "#000000"),
    Status.APPROVED: StatusStyle("Approved", "✔", "#009E73", "#FFFFFF"),
    Status.APPROVED_WITH_CONDITIONS: StatusStyle("Approved with conditions", "☑", "#F0E442", "#000000"),
    Status.NEEDS_REVISION: StatusStyle("Needs revision", "↺", "#D55E00", "#FFFFFF"),
    Status.REJECTED: StatusStyle("Rejected", "✖", "#CC79A7", "#000000"),
}

DECISION_LABELS: dict[Decision, str] = {
    Decision.APPROVE: "Approve",
    Decision.APPROVE_WITH_CONDITIONS: "Approve with conditions",
    Decision.REQUEST_CHANGES: "Request changes",
    Decision.REJECT: "Reject",
}

DECISION_STATUS: dict[Decision, Status] = {
    Decision.APPROVE: Status.APPROVED,
    Decision.APPROVE_WITH_CONDITIONS: Status.APPROVED_WITH_CONDITIONS,
    Decision.REQUEST_CHANGES: Status.NEEDS_REVISION,
    Decision.REJECT: Status.REJECTED,
}


def requires_approval(node: Node) -> bool:
    return bool(node.required_roles) and node.kind is not NodeKind.NOTE
