"""Pure data model of a SOP document: pydantic models, derived status, geometry, audit chain."""

from sopdesigner.model.document import (
    IDENTITY_FIELDS,
    REQUEST_FIELDS,
    SCHEMA_VERSION,
    AuditEvent,
    ChecklistItem,
    Document,
    Edge,
    Evidence,
    Identity,
    Lane,
    Node,
    Point,
    Policy,
    Request,
    Role,
    SignOff,
)
from sopdesigner.model.enums import Decision, EdgeKind, NodeKind, Status
from sopdesigner.model.status import STATUS_STYLES, node_status

__all__ = [
    "IDENTITY_FIELDS",
    "REQUEST_FIELDS",
    "SCHEMA_VERSION",
    "STATUS_STYLES",
    "AuditEvent",
    "ChecklistItem",
    "Decision",
    "Document",
    "Edge",
    "EdgeKind",
    "Evidence",
    "Identity",
    "Lane",
    "Node",
    "NodeKind",
    "Point",
    "Policy",
    "Request",
    "Role",
    "SignOff",
    "Status",
    "node_status",
]
