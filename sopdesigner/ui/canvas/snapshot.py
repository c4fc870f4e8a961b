"""Immutable snapshots of what an item draws, taken from the model by the scene.

Items never see the pydantic objects: the scene reads the model once per change and hands
each item a small immutable record, so an item can never write the model by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from sopdesigner.model.document import Document, Edge, Node
from sopdesigner.model.enums import Decision, EdgeKind, NodeKind, Status
from sopdesigner.model.status import latest_by_role, node_status


@dataclass(frozen=True)
class RoleBadge:
    role_id: str
    name: str
    abbrev: str
    decision: Decision | None  # the role's latest active decision, None while pending


class NodeSnapshot(NamedTuple):
    """A tuple rather than a frozen dataclass: built for every node on each rebuild, where a
    frozen dataclass's per-field ``object.__setattr__`` was a tenth of the snapshot's cost."""

    id: str
    kind: NodeKind
    title: str
    owner: str
    status: Status
    checklist_done: int
    checklist_total: int
    evidence: int
    roles: tuple[RoleBadge, ...]
    x: float
    y: float
    lane: str | None


class EdgeSnapshot(NamedTuple):
    """A tuple, as ``NodeSnapshot``: one is made per connector on every rebuild."""

    id: str
    source: str
    target: str
    label: str
    kind: EdgeKind


@cache
def abbreviate(name: str) -> str:
    """Three letters that tell roles apart on a small badge ("Security" → "SEC", "Data Science" → "DS")."""
    words = [w for w in name.replace("-", " ").split() if w]
    if len(words) >= 2:
        return "".join(w[0] for w in words[:3]).upper()
    return (words[0][:3] if words else "?").upper()


def node_snapshot(
    doc: Document,
    node: Node,
    role_names: dict[str, str] | None = None,
    lane_roles: dict[str, str] | None = None,
) -> NodeSnapshot:
    names = role_names if role_names is not None else {r.id: r.name for r in doc.roles}
    lane_role = lane_roles.get(node.lane) if (lane_roles is not None and node.lane) else doc.owner_role(node)
    required = node.required_roles
    if required:
        # One pass over the sign-offs serves both the badges and the status (a rebuild takes
        # a snapshot of every node).
        latest = latest_by_role(node)
        badges = tuple([_badge(r, names.get(r, r), latest[r].decision if r in latest else None) for r in required])
        status = node_status(node, latest)
    else:
        badges = ()
        status = node_status(node)
    checklist = node.checklist
    position = node.position
    return NodeSnapshot(
        node.id,
        node.kind,
        node.title,
        names.get(lane_role, lane_role or "") if lane_role else "",
        status,
        [i.done for i in checklist].count(True),
        len(checklist),
        len(node.evidence),
        badges,
        position.x,
        position.y,
        node.lane,
    )


@lru_cache(maxsize=4096)
def _badge(role_id: str, name: str, decision: Decision | None) -> RoleBadge:
    """Badges are few distinct values shared by many nodes (role × decision)."""
    return RoleBadge(role_id, name, abbreviate(name), decision)


def edge_snapshot(edge: Edge) -> EdgeSnapshot:
    return EdgeSnapshot(edge.id, edge.source, edge.target, edge.label, edge.kind)
