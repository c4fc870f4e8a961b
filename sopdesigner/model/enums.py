"""The closed vocabularies of a SOP document: node kinds, edge kinds, decisions and statuses."""

from __future__ import annotations

from enum import StrEnum


class NodeKind(StrEnum):
    START = "start"
    STEP = "step"
    CHECKPOINT = "checkpoint"
    DECISION = "decision"
    END = "end"
    NOTE = "note"


class EdgeKind(StrEnum):
    FLOW = "flow"
    REWORK = "rework"


class Decision(StrEnum):
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"

    @property
    def is_approval(self) -> bool:
        return self in (Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS)


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"
    COMPLETE = "complete"
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    NEEDS_REVISION = "needs_revision"
    REJECTED = "rejected"

    @property
    def is_approved(self) -> bool:
        return self in (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS)
