"""Every edit of a document, as a small op with an inverse (see ``base.Op``)."""

from sopdesigner.ops.base import Applied, Change, Context, Op, Record
from sopdesigner.ops.batch import Batch, is_structural
from sopdesigner.ops.checklist import (
    AddChecklistItem,
    MoveChecklistItem,
    RemoveChecklistItem,
    SetChecklistItemFields,
    SetItemDone,
)
from sopdesigner.ops.document import SetDocumentFields
from sopdesigner.ops.edges import Connect, SetEdgeFields, check_connect
from sopdesigner.ops.lanes import AddLane, AddRole, MoveLane, RemoveLane, RemoveRole, RenameRole, ResizeLanes
from sopdesigner.ops.nodes import AddNodes, MoveNodes, RemoveItems, SetNodeFields
from sopdesigner.ops.records import (
    AttachEvidence,
    DetachEvidence,
    RevokeSignOff,
    SignNode,
    StartReviewRound,
)

__all__ = [
    "AddChecklistItem",
    "AddLane",
    "AddNodes",
    "AddRole",
    "Applied",
    "AttachEvidence",
    "Batch",
    "Change",
    "Connect",
    "Context",
    "DetachEvidence",
    "MoveChecklistItem",
    "MoveLane",
    "MoveNodes",
    "Op",
    "Record",
    "RemoveChecklistItem",
    "RemoveItems",
    "RemoveLane",
    "RemoveRole",
    "RenameRole",
    "ResizeLanes",
    "RevokeSignOff",
    "SetChecklistItemFields",
    "SetDocumentFields",
    "SetEdgeFields",
    "SetItemDone",
    "SetNodeFields",
    "SignNode",
    "StartReviewRound",
    "check_connect",
    "is_structural",
]
