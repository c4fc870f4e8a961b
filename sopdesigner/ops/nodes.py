"""Node edits: add, remove (with their edges, restored in place on undo), move, set fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sopdesigner.errors import DuplicateIdError, InvalidEditError, UnknownIdError
from sopdesigner.model.document import Document, Edge, Node, Point
from sopdesigner.model.enums import NodeKind
from sopdesigner.ops.base import Applied, Change, Context, Op, Record, diff

#: Fields SetNodeFields may change, with the audit action each one is.
NODE_FIELDS = ("title", "description", "kind", "lane", "required_roles")


def _index(doc: Document, node_id: str) -> int:
    for i, n in enumerate(doc.nodes):
        if n.id == node_id:
            return i
    raise UnknownIdError(f"There is no node with id '{node_id}'.")


def _check_lane(doc: Document, lane: str | None) -> None:
    if lane is not None and all(la.id != lane for la in doc.lanes):
        raise UnknownIdError(f"There is no lane with id '{lane}'.")


def _check_roles(doc: Document, roles: list[str]) -> None:
    known = {r.id for r in doc.roles}
    for r in roles:
        if r not in known:
            raise UnknownIdError(f"There is no role with id '{r}'.")
    if len(set(roles)) != len(roles):
        raise InvalidEditError("A role is listed twice among the required roles.")


def node_summary(node: Node) -> dict[str, Any]:
    return {"title": node.title, "kind": node.kind.value, "lane": node.lane}


@dataclass
class AddNodes(Op):
    """Add nodes (and optionally edges between them), e.g. a drop, a paste or a duplicate."""

    nodes: list[Node]
    edges: list[Edge] = field(default_factory=list)
    node_indices: list[int] | None = None
    edge_indices: list[int] | None = None
    label = "Add node"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        ids = {n.id for n in doc.nodes}
        for n in self.nodes:
            if n.id in ids:
                raise DuplicateIdError(f"A node with id '{n.id}' already exists.")
            _check_lane(doc, n.lane)
            _check_roles(doc, n.required_roles)
            ids.add(n.id)
        edge_ids = {e.id for e in doc.edges}
        for e in self.edges:
            if e.id in edge_ids:
                raise DuplicateIdError(f"An edge with id '{e.id}' already exists.")
            if e.source not in ids or e.target not in ids:
                raise UnknownIdError(f"Edge '{e.id}' refers to a node that does not exist.")
            edge_ids.add(e.id)
        _insert_all(doc.nodes, self.nodes, self.node_indices)
        _insert_all(doc.edges, self.edges, self.edge_indices)
        changes = [Change("node", "added", n.id) for n in self.nodes]
        changes += [Change("edge", "added", e.id) for e in self.edges]
        records = [Record("node.added", n.id, node_summary(n)) for n in self.nodes]
        records += [Record("edge.added", None, _edge_summary(e)) for e in self.edges]
        inverse = RemoveItems(node_ids=[n.id for n in self.nodes], edge_ids=[e.id for e in self.edges])
        return Applied(inverse, changes, records)

    def describe(self) -> str:
        return "Add node" if len(self.nodes) == 1 else f"Add {len(self.nodes)} nodes"


def _insert_all(target: list[Any], items: list[Any], indices: list[int] | None) -> None:
    """Append items, or put each back at its saved index (ascending, so every index holds)."""
    if indices is None:
        target.extend(item.model_copy(deep=True) for item in items)
        return
    for i, item in sorted(zip(indices, items, strict=True), key=lambda p: p[0]):
        target.insert(i, item.model_copy(deep=True))


def _edge_summary(e: Edge) -> dict[str, Any]:
    return {"edge": e.id, "source": e.source, "target": e.target, "kind": e.kind.value, "label": e.label}


@dataclass
class RemoveItems(Op):
    """Remove nodes and edges; a removed node takes its edges with it in the same step."""

    node_ids: list[str] = field(default_factory=list)
    edge_ids: list[str] = field(default_factory=list)
    label = "Delete"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node_set = set(self.node_ids)
        node_pos = {n.id: i for i, n in enumerate(doc.nodes)}
        for nid in node_set:
            if nid not in node_pos:
                raise UnknownIdError(f"There is no node with id '{nid}'.")
        edge_set = set(self.edge_ids)
        known_edges = {e.id for e in doc.edges}
        for eid in edge_set:
            if eid not in known_edges:
                raise UnknownIdError(f"There is no edge with id '{eid}'.")
        edge_set |= {e.id for e in doc.edges if e.source in node_set or e.target in node_set}
        removed_nodes = [(i, n) for i, n in enumerate(doc.nodes) if n.id in node_set]
        removed_edges = [(i, e) for i, e in enumerate(doc.edges) if e.id in edge_set]
        doc.nodes[:] = [n for n in doc.nodes if n.id not in node_set]
        doc.edges[:] = [e for e in doc.edges if e.id not in edge_set]
        changes = [Change("edge", "removed", e.id) for _, e in removed_edges]
        changes += [Change("node", "removed", n.id) for _, n in removed_nodes]
        records = [Record("edge.removed", None, _edge_summary(e)) for _, e in removed_edges]
        records += [Record("node.removed", n.id, node_summary(n)) for _, n in removed_nodes]
        inverse = AddNodes(
            nodes=[n for _, n in removed_nodes],
            edges=[e for _, e in removed_edges],
            node_indices=[i for i, _ in removed_nodes],
            edge_indices=[i for i, _ in removed_edges],
        )
        return Applied(inverse, changes, records)

    def describe(self) -> str:
        n = len(self.node_ids) + len(self.edge_ids)
        return "Delete" if n <= 1 else f"Delete {n} items"


@dataclass
class MoveNodes(Op):
    """Move nodes (a drag, a nudge, a layout). Layout is not a record: no audit event,
    except for nodes that change lane, because that changes the owning role."""

    positions: dict[str, tuple[float, float]]
    lanes: dict[str, str | None] = field(default_factory=dict)
    label = "Move"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        index = {n.id: n for n in doc.nodes}
        for nid in (*self.positions, *self.lanes):
            if nid not in index:
                raise UnknownIdError(f"There is no node with id '{nid}'.")
        for lane in self.lanes.values():
            _check_lane(doc, lane)
        old_pos = {nid: (index[nid].position.x, index[nid].position.y) for nid in self.positions}
        old_lanes = {nid: index[nid].lane for nid in self.lanes}
        for nid, (x, y) in self.positions.items():
            index[nid].position = Point(x=float(x), y=float(y))
        records = []
        for nid, lane in self.lanes.items():
            if index[nid].lane != lane:
                records.append(Record("node.changed", nid, {"lane": diff(index[nid].lane, lane)}))
            index[nid].lane = lane
        changes = [Change("node", "changed", nid) for nid in dict.fromkeys([*self.positions, *self.lanes])]
        return Applied(MoveNodes(old_pos, old_lanes), changes, records)

    def describe(self) -> str:
        return "Move" if len(self.positions) == 1 else f"Move {len(self.positions)} nodes"


@dataclass
class SetNodeFields(Op):
    """Change a node's title, description, kind, lane or required roles."""

    node_id: str
    fields: dict[str, Any]
    #: Set on inverses: put values back exactly as they were (no trimming of user input).
    exact: bool = False
    label = "Edit node"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        node = doc.node(self.node_id)
        unknown = set(self.fields) - set(NODE_FIELDS)
        if unknown:
            raise InvalidEditError(f"A node has no editable field '{sorted(unknown)[0]}'.")
        new = dict(self.fields)
        if "title" in new:
            new["title"] = str(new["title"]) if self.exact else str(new["title"]).strip()
            if not new["title"].strip():
                raise InvalidEditError("A node's title cannot be empty.")
            if len(new["title"]) > 500:
                raise InvalidEditError("A node's title can be at most 500 characters.")
        if "kind" in new:
            new["kind"] = NodeKind(new["kind"])
        if "lane" in new:
            _check_lane(doc, new["lane"])
        if "required_roles" in new:
            new["required_roles"] = list(new["required_roles"])
            _check_roles(doc, new["required_roles"])
        old = {k: getattr(node, k) for k in new}
        for k, v in new.items():
            setattr(node, k, v)
        details = {k: diff(_plain(old[k]), _plain(new[k])) for k in new if old[k] != new[k]}
        records = [Record("node.changed", node.id, details)] if details else []
        return Applied(SetNodeFields(node.id, old, exact=True), [Change("node", "changed", node.id)], records)

    def describe(self) -> str:
        if set(self.fields) == {"title"}:
            return "Rename node"
        return self.label


def _plain(v: Any) -> Any:
    return v.value if isinstance(v, NodeKind) else (list(v) if isinstance(v, list) else v)
