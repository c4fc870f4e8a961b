"""Roles and swimlanes: add, rename, reorder, resize and remove (nodes leave a removed lane)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sopdesigner.errors import DuplicateIdError, InvalidEditError, UnknownIdError
from sopdesigner.model.document import Document, Lane, Role
from sopdesigner.ops.base import Applied, Change, Context, Op, Record, diff


@dataclass
class AddRole(Op):
    role: Role
    index: int | None = None
    label = "Add role"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        if any(r.id == self.role.id for r in doc.roles):
            raise DuplicateIdError(f"A role with id '{self.role.id}' already exists.")
        if not self.role.name.strip():
            raise InvalidEditError("A role needs a name.")
        i = len(doc.roles) if self.index is None else self.index
        doc.roles.insert(i, self.role.model_copy())
        return Applied(
            RemoveRole(self.role.id),
            [Change("role", "added", self.role.id)],
            [Record("role.added", None, {"role": self.role.id, "name": self.role.name})],
        )


@dataclass
class RemoveRole(Op):
    """Remove a role nobody uses (no lane, no required role, no sign-off refers to it)."""

    role_id: str
    label = "Remove role"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        i = next((i for i, r in enumerate(doc.roles) if r.id == self.role_id), None)
        if i is None:
            raise UnknownIdError(f"There is no role with id '{self.role_id}'.")
        if any(lane.role == self.role_id for lane in doc.lanes) or any(
            self.role_id in n.required_roles for n in doc.nodes
        ):
            raise InvalidEditError(f"Role '{doc.roles[i].name}' is still used by a lane or a node.")
        role = doc.roles.pop(i)
        return Applied(
            AddRole(role, i),
            [Change("role", "removed", role.id)],
            [Record("role.removed", None, {"role": role.id, "name": role.name})],
        )


@dataclass
class RenameRole(Op):
    role_id: str
    name: str
    exact: bool = False  # inverses put the old name back untrimmed
    label = "Rename role"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        role = doc.role(self.role_id)
        name = self.name if self.exact else self.name.strip()
        if not name.strip():
            raise InvalidEditError("A role needs a name.")
        if len(name) > 500:
            raise InvalidEditError("A role name can be at most 500 characters.")
        old = role.name
        role.name = name
        records = (
            [Record("role.changed", None, {"role": role.id, "name": diff(old, name)})] if old != name else []
        )
        return Applied(RenameRole(role.id, old, exact=True), [Change("role", "changed", role.id)], records)


@dataclass
class AddLane(Op):
    lane: Lane
    index: int | None = None
    label = "Add lane"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        if any(la.id == self.lane.id for la in doc.lanes):
            raise DuplicateIdError(f"A lane with id '{self.lane.id}' already exists.")
        doc.role(self.lane.role)
        i = len(doc.lanes) if self.index is None else self.index
        doc.lanes.insert(i, self.lane.model_copy())
        return Applied(
            RemoveLane(self.lane.id),
            [Change("lane", "added", self.lane.id)],
            [Record("lane.added", None, {"lane": self.lane.id, "role": self.lane.role})],
        )


@dataclass
class RemoveLane(Op):
    """Remove a lane; nodes in it stay where they are but lose their owner role."""

    lane_id: str
    label = "Remove lane"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        i = next((i for i, la in enumerate(doc.lanes) if la.id == self.lane_id), None)
        if i is None:
            raise UnknownIdError(f"There is no lane with id '{self.lane_id}'.")
        orphans = [n.id for n in doc.nodes if n.lane == self.lane_id]
        for n in doc.nodes:
            if n.lane == self.lane_id:
                n.lane = None
        lane = doc.lanes.pop(i)
        changes = [Change("lane", "removed", lane.id)] + [Change("node", "changed", nid) for nid in orphans]
        return Applied(
            RestoreLane(lane, i, orphans),
            changes,
            [Record("lane.removed", None, {"lane": lane.id, "role": lane.role, "nodes": orphans})],
        )


@dataclass
class RestoreLane(Op):
    lane: Lane
    index: int
    members: list[str] = field(default_factory=list)
    label = "Remove lane"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        applied = AddLane(self.lane, self.index).apply(doc, ctx)
        members = set(self.members)
        for n in doc.nodes:
            if n.id in members:
                n.lane = self.lane.id
        applied.changes += [Change("node", "changed", nid) for nid in self.members]
        return applied


@dataclass
class MoveLane(Op):
    lane_id: str
    index: int
    label = "Reorder lanes"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        i = next((i for i, la in enumerate(doc.lanes) if la.id == self.lane_id), None)
        if i is None:
            raise UnknownIdError(f"There is no lane with id '{self.lane_id}'.")
        if not 0 <= self.index < len(doc.lanes):
            raise InvalidEditError("That lane position does not exist.")
        lane = doc.lanes.pop(i)
        doc.lanes.insert(self.index, lane)
        return Applied(MoveLane(lane.id, i), [Change("lane", "changed", lane.id)], [])


@dataclass
class ResizeLanes(Op):
    """Set lane heights (a drag of a lane border, or auto layout); layout, not a record."""

    heights: dict[str, float]
    label = "Resize lanes"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        lanes = {la.id: la for la in doc.lanes}
        for lid, h in self.heights.items():
            if lid not in lanes:
                raise UnknownIdError(f"There is no lane with id '{lid}'.")
            if not 40.0 <= h <= 100_000.0:
                raise InvalidEditError("A lane must be between 40 and 100,000 units high.")
        old = {lid: lanes[lid].height for lid in self.heights}
        for lid, h in self.heights.items():
            lanes[lid].height = float(h)
        return Applied(ResizeLanes(old), [Change("lane", "changed", lid) for lid in self.heights], [])
