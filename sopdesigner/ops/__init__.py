"""Every edit of a document, as a small op with an inverse (see ``base.Op``).

The names below are imported from their modules on first use (PEP 562 ``__getattr__``): each
op is a dataclass, whose creation is not free, and the empty editor window needs only the op
modules its canvas imports (PERFORMANCE.md T1).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from sopdesigner.ops.lanes import (
        AddLane,
        AddRole,
        MoveLane,
        RemoveLane,
        RemoveRole,
        RenameRole,
        ResizeLanes,
    )
    from sopdesigner.ops.nodes import AddNodes, MoveNodes, RemoveItems, SetNodeFields
    from sopdesigner.ops.records import (
        AttachEvidence,
        DetachEvidence,
        RevokeSignOff,
        SignNode,
        StartReviewRound,
    )

#: Each public name and the module (in this package) that defines it.
_HOME: dict[str, str] = {
    **dict.fromkeys(("Applied", "Change", "Context", "Op", "Record"), "base"),
    **dict.fromkeys(("Batch", "is_structural"), "batch"),
    **dict.fromkeys(
        (
            "AddChecklistItem",
            "MoveChecklistItem",
            "RemoveChecklistItem",
            "SetChecklistItemFields",
            "SetItemDone",
        ),
        "checklist",
    ),
    "SetDocumentFields": "document",
    **dict.fromkeys(("Connect", "SetEdgeFields", "check_connect"), "edges"),
    **dict.fromkeys(
        ("AddLane", "AddRole", "MoveLane", "RemoveLane", "RemoveRole", "RenameRole", "ResizeLanes"), "lanes"
    ),
    **dict.fromkeys(("AddNodes", "MoveNodes", "RemoveItems", "SetNodeFields"), "nodes"),
    **dict.fromkeys(
        ("AttachEvidence", "DetachEvidence", "RevokeSignOff", "SignNode", "StartReviewRound"), "records"
    ),
}

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


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
