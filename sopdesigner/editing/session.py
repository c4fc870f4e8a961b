"""``EditSession``: the only code that mutates a Document.

It checks and applies ops, stamps them with the actor and the time, and appends the
hash-chained audit events for record changes. Undo is not special here: the caller applies
the inverse it got back, with ``phase="undo"``, and the session records the compensating
events (marked ``"undo": true``) — the trail only ever grows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sopdesigner.errors import InvalidEditError
from sopdesigner.model.audit import make_event
from sopdesigner.model.clock import utc_now
from sopdesigner.model.document import AuditEvent, Document
from sopdesigner.ops.base import Change, Context, Op
from sopdesigner.ops.batch import is_structural

Phase = Literal["do", "undo", "redo"]


def default_actor() -> str:
    """The OS login name, used when no user name is set in the settings."""
    import getpass  # here: the editor imports this module at start-up and asks later, if ever

    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


@dataclass
class Outcome:
    """What applying an op did: its inverse (to undo it), view changes and new audit events."""

    inverse: Op
    changes: list[Change]
    events: list[AuditEvent]


class EditSession:
    def __init__(self, document: Document, actor: str | None = None, clock: Callable[[], str] = utc_now):
        self.document = document
        self.actor = (actor or "").strip() or default_actor()
        self.clock = clock
        #: While True (review mode) structural ops are refused; records are still allowed.
        self.structure_locked = False
        #: Bumped on every applied op or logged event; storage and autosave compare it.
        self.revision = 0

    def apply(self, op: Op, phase: Phase = "do") -> Outcome:
        if self.structure_locked and is_structural(op):
            raise InvalidEditError(
                "The diagram's structure is locked during a review; end the review to edit it."
            )
        now = self.clock()
        applied = op.apply(self.document, Context(self.actor, now))
        events = []
        for record in applied.records:
            details: dict[str, Any] = dict(record.details)
            if phase != "do":
                details[phase] = True
            events.append(self._append(now, record.action, record.node, details))
        self.revision += 1
        return Outcome(applied.inverse, applied.changes, events)

    def log(self, action: str, node: str | None = None, details: dict[str, Any] | None = None) -> AuditEvent:
        """Append an audit event that is not an edit (a review session started, an import…)."""
        event = self._append(self.clock(), action, node, details or {})
        self.revision += 1
        return event

    def _append(self, at: str, action: str, node: str | None, details: dict[str, Any]) -> AuditEvent:
        audit = self.document.audit
        event = make_event(
            audit[-1] if audit else None, at=at, actor=self.actor, action=action, node=node, details=details
        )
        audit.append(event)
        return event
