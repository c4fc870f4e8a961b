"""Record edits: evidence, sign-offs and review rounds. Undoing one appends a compensating
audit event (``evidence.removed``, ``signoff.revoked``…); nothing recorded is ever erased
from the trail."""

from __future__ import annotations

from dataclasses import dataclass, field

from sopdesigner.errors import DuplicateIdError, InvalidEditError, UnknownIdError
from sopdesigner.model.document import Document, Evidence, SignOff
from sopdesigner.model.enums import Decision
from sopdesigner.model.ids import new_id
from sopdesigner.ops.base import Applied, Change, Context, Op, Record


def _evidence_details(ev: Evidence) -> dict[str, object]:
    return {
        "evidence": ev.id,
        "sha256": ev.sha256,
        "size": ev.size,
        "filename": ev.filename,
        "title": ev.title,
        "category": ev.category,
    }


@dataclass
class AttachEvidence(Op):
    """Attach evidence metadata; the bytes must already be in the document's blob store."""

    node_id: str
    evidence: Evidence
    index: int | None = None
    restore: bool = False  # keep the stamps (inverse of a detach)
    label = "Attach evidence"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        if any(e.id == self.evidence.id for e in node.evidence):
            raise DuplicateIdError(f"Evidence '{self.evidence.id}' is already attached.")
        ev = self.evidence.model_copy()
        if not self.restore:
            ev.added_by, ev.added_at = ctx.actor, ctx.now
        i = len(node.evidence) if self.index is None else self.index
        node.evidence.insert(i, ev)
        action = "evidence.restored" if self.restore else "evidence.attached"
        return Applied(
            DetachEvidence(node.id, ev.id),
            [Change("node", "changed", node.id)],
            [Record(action, node.id, _evidence_details(ev))],
        )


@dataclass
class DetachEvidence(Op):
    node_id: str
    evidence_id: str
    label = "Remove evidence"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        i = next((i for i, e in enumerate(node.evidence) if e.id == self.evidence_id), None)
        if i is None:
            raise UnknownIdError(f"Node '{node.title}' has no evidence '{self.evidence_id}'.")
        ev = node.evidence.pop(i)
        return Applied(
            AttachEvidence(node.id, ev, i, restore=True),
            [Change("node", "changed", node.id)],
            [Record("evidence.removed", node.id, _evidence_details(ev))],
        )


def _signoff_details(s: SignOff) -> dict[str, object]:
    return {
        "signoff": s.id,
        "signer": s.signer,
        "role": s.role,
        "decision": s.decision.value,
        "meaning": s.meaning,
        "comment": s.comment,
        "conditions": s.conditions,
        "round": s.round,
    }


@dataclass
class SignNode(Op):
    """Record a sign-off on a node for one role, in the node's current review round."""

    node_id: str
    signer: str
    role: str
    decision: Decision
    meaning: str = ""
    comment: str = ""
    conditions: str = ""
    signoff_id: str = field(default_factory=new_id)
    label = "Sign off"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        doc.role(self.role)
        signer = self.signer.strip()
        if not signer:
            raise InvalidEditError("A sign-off needs the signer's printed name.")
        if any(s.id == self.signoff_id for s in node.signoffs):
            raise DuplicateIdError(f"Sign-off '{self.signoff_id}' already exists.")
        decision = Decision(self.decision)
        if decision is Decision.APPROVE_WITH_CONDITIONS and not self.conditions.strip():
            raise InvalidEditError("An approval with conditions needs the conditions written down.")
        meaning = self.meaning.strip() or f"{_verb(decision)} as {doc.role_name(self.role)}"
        try:
            s = SignOff(
                id=self.signoff_id,
                signer=signer,
                role=self.role,
                decision=decision,
                meaning=meaning,
                comment=self.comment,
                conditions=self.conditions,
                at=ctx.now,
                round=node.round,
            )
        except ValueError:
            raise InvalidEditError("A sign-off field is too long.") from None
        node.signoffs.append(s)
        return Applied(
            RevokeSignOff(node.id, s.id),
            [Change("node", "changed", node.id)],
            [Record("signoff.recorded", node.id, _signoff_details(s))],
        )


def _verb(d: Decision) -> str:
    return {
        Decision.APPROVE: "Approved",
        Decision.APPROVE_WITH_CONDITIONS: "Approved with conditions",
        Decision.REQUEST_CHANGES: "Changes requested",
        Decision.REJECT: "Rejected",
    }[d]


@dataclass
class RevokeSignOff(Op):
    """Take a sign-off off the node (undo of a signing); the trail keeps both events."""

    node_id: str
    signoff_id: str
    label = "Revoke sign-off"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        i = next((i for i, s in enumerate(node.signoffs) if s.id == self.signoff_id), None)
        if i is None:
            raise UnknownIdError(f"Node '{node.title}' has no sign-off '{self.signoff_id}'.")
        s = node.signoffs.pop(i)
        return Applied(
            RestoreSignOff(node.id, s, i),
            [Change("node", "changed", node.id)],
            [Record("signoff.revoked", node.id, _signoff_details(s))],
        )


@dataclass
class RestoreSignOff(Op):
    node_id: str
    signoff: SignOff
    index: int
    label = "Sign off"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        if any(s.id == self.signoff.id for s in node.signoffs):
            raise DuplicateIdError(f"Sign-off '{self.signoff.id}' already exists.")
        node.signoffs.insert(self.index, self.signoff.model_copy())
        return Applied(
            RevokeSignOff(node.id, self.signoff.id),
            [Change("node", "changed", node.id)],
            [Record("signoff.restored", node.id, _signoff_details(self.signoff))],
        )


@dataclass
class StartReviewRound(Op):
    """Start a new review round on nodes: earlier sign-offs stay but are marked superseded,
    so the nodes' statuses reset and they can be reviewed again."""

    node_ids: list[str]
    label = "Start new review round"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        nodes = [doc.node(nid) for nid in self.node_ids]
        if not nodes:
            raise InvalidEditError("Choose at least one node to start a new review round on.")
        before = {n.id: (n.round, [s.superseded for s in n.signoffs]) for n in nodes}
        records = []
        for n in nodes:
            superseded = [s.id for s in n.signoffs if not s.superseded]
            for s in n.signoffs:
                s.superseded = True
            n.round += 1
            records.append(Record("review.round_started", n.id, {"round": n.round, "superseded": superseded}))
        return Applied(RestoreRounds(before), [Change("node", "changed", n.id) for n in nodes], records)


@dataclass
class RestoreRounds(Op):
    """Inverse of StartReviewRound: puts rounds and superseded flags back (recorded)."""

    state: dict[str, tuple[int, list[bool]]]
    action: str = "review.round_restored"
    label = "Start new review round"
    structural = False

    def apply(self, doc: Document, ctx: Context) -> Applied:
        nodes = [doc.node(nid) for nid in self.state]
        for n in nodes:
            if len(n.signoffs) != len(self.state[n.id][1]):
                raise InvalidEditError(f"The sign-offs of '{n.title}' changed since the round started.")
        before = {n.id: (n.round, [s.superseded for s in n.signoffs]) for n in nodes}
        records = []
        for n in nodes:
            rnd, flags = self.state[n.id]
            n.round = rnd
            for s, flag in zip(n.signoffs, flags, strict=True):
                s.superseded = flag
            records.append(Record(self.action, n.id, {"round": rnd}))
        # Redo after undo swaps the state back and is recorded as a round start again.
        flipped = (
            "review.round_started" if self.action == "review.round_restored" else "review.round_restored"
        )
        return Applied(
            RestoreRounds(before, flipped), [Change("node", "changed", n.id) for n in nodes], records
        )
