"""What every edit is: an ``Op`` whose ``apply`` checks, mutates and returns its inverse.

``apply(doc, ctx)`` must raise a ``SopError`` *before* changing anything when the edit is not
allowed, so a refused edit leaves the document untouched. The inverse is computed from the
document as it is at apply time (never in ``__init__``). ``records`` are the audit events the
session appends for record changes; pure layout edits (moves) return none.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from sopdesigner.model.document import Document

What = Literal["node", "edge", "lane", "role", "document"]
Action = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Context:
    """Who is editing and when; the only source of actor names and time stamps in records."""

    actor: str
    now: str


@dataclass(frozen=True)
class Change:
    """A model change the view must reflect (``id`` is None for document-wide changes)."""

    what: What
    action: Action
    id: str | None = None


@dataclass(frozen=True)
class Record:
    """An audit event an op asks for: the session adds seq, time, actor and hashes."""

    action: str
    node: str | None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Applied:
    inverse: Op
    changes: list[Change]
    records: list[Record]


class Op(ABC):
    #: Text for Edit → Undo "<label>".
    label: ClassVar[str] = "Edit"
    #: Structural edits (shape of the diagram) are refused while structure is locked (review mode).
    structural: ClassVar[bool] = True

    @abstractmethod
    def apply(self, doc: Document, ctx: Context) -> Applied: ...

    def describe(self) -> str:
        return self.label


def diff(old: Any, new: Any) -> dict[str, Any]:
    """The details payload for a field change."""
    return {"old": old, "new": new}
