"""Clipboard and drag formats of the canvas, and the copy/paste fragment (nodes + edges JSON).

A pasted fragment gets new ids, and loses its records (sign-offs, evidence, ticks): a copy of
a step is a new step, never a copy of somebody's approval.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sopdesigner.errors import SopError
from sopdesigner.model.document import Edge, Node, Point
from sopdesigner.model.ids import new_id

#: Palette drags carry a ``NodeKind`` value ("step", "checkpoint"…) as UTF-8.
NODE_KIND_MIME = "application/x-sopdesigner-node-kind"
#: Copied nodes and the edges between them: ``{"nodes": [...], "edges": [...]}``.
FRAGMENT_MIME = "application/x-sopdesigner-fragment"


class FragmentError(SopError):
    """The clipboard holds something that is not a diagram fragment."""


@dataclass
class Fragment:
    nodes: list[Node]
    edges: list[Edge]

    def to_bytes(self) -> bytes:
        data = {
            "nodes": [n.model_dump(mode="json") for n in self.nodes],
            "edges": [e.model_dump(mode="json") for e in self.edges],
        }
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Fragment:
        try:
            data: Any = json.loads(bytes(raw).decode("utf-8"))
            nodes = [Node.model_validate(n) for n in data["nodes"]]
            edges = [Edge.model_validate(e) for e in data.get("edges", [])]
        except (ValueError, KeyError, TypeError) as err:
            raise FragmentError("The clipboard does not hold diagram nodes.") from err
        return cls(nodes, edges)

    def fresh_copy(self, dx: float, dy: float, known_roles: set[str]) -> Fragment:
        """New ids, positions shifted by (dx, dy), records cleared, unknown roles dropped."""
        ids = {n.id: new_id() for n in self.nodes}
        nodes = []
        for n in self.nodes:
            copy = n.model_copy(deep=True)
            copy.id = ids[n.id]
            copy.position = Point(x=n.position.x + dx, y=n.position.y + dy)
            copy.signoffs, copy.evidence, copy.round = [], [], 1
            copy.required_roles = [r for r in n.required_roles if r in known_roles]
            for item in copy.checklist:
                item.done, item.done_by, item.done_at = False, None, None
            nodes.append(copy)
        edges = [
            Edge(id=new_id(), source=ids[e.source], target=ids[e.target], label=e.label, kind=e.kind)
            for e in self.edges
            if e.source in ids and e.target in ids
        ]
        return Fragment(nodes, edges)
