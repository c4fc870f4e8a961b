"""Edge edits: connect (refusing self loops and duplicates) and change label, kind or ends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sopdesigner.errors import InvalidEditError
from sopdesigner.model.document import Document, Edge
from sopdesigner.model.enums import EdgeKind
from sopdesigner.ops.base import Applied, Change, Context, Op, Record, diff
from sopdesigner.ops.nodes import AddNodes

EDGE_FIELDS = ("label", "kind", "source", "target")


def check_connect(doc: Document, source: str, target: str, ignore_edge: str | None = None) -> None:
    """Raise before connecting ``source`` → ``target`` if that is not allowed."""
    doc.node(source)
    doc.node(target)
    if source == target:
        raise InvalidEditError("A node cannot be connected to itself.")
    for e in doc.edges:
        if e.id != ignore_edge and e.source == source and e.target == target:
            raise InvalidEditError("These two nodes are already connected in this direction.")


@dataclass
class Connect(Op):
    edge: Edge
    label = "Connect"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        check_connect(doc, self.edge.source, self.edge.target)
        applied = AddNodes(nodes=[], edges=[self.edge]).apply(doc, ctx)
        return applied


@dataclass
class SetEdgeFields(Op):
    """Change an edge's label or kind, or reconnect one of its ends."""

    edge_id: str
    fields: dict[str, Any]
    label = "Edit connector"

    def apply(self, doc: Document, ctx: Context) -> Applied:
        edge = doc.edge(self.edge_id)
        unknown = set(self.fields) - set(EDGE_FIELDS)
        if unknown:
            raise InvalidEditError(f"A connector has no editable field '{sorted(unknown)[0]}'.")
        new = dict(self.fields)
        if "kind" in new:
            new["kind"] = EdgeKind(new["kind"])
        if "label" in new:
            new["label"] = str(new["label"])
            if len(new["label"]) > 500:
                raise InvalidEditError("A connector label can be at most 500 characters.")
        if "source" in new or "target" in new:
            check_connect(
                doc, new.get("source", edge.source), new.get("target", edge.target), ignore_edge=edge.id
            )
        old = {k: getattr(edge, k) for k in new}
        for k, v in new.items():
            setattr(edge, k, v)
        details: dict[str, Any] = {k: diff(_plain(old[k]), _plain(new[k])) for k in new if old[k] != new[k]}
        records = [Record("edge.changed", None, {"edge": edge.id, **details})] if details else []
        return Applied(SetEdgeFields(edge.id, old), [Change("edge", "changed", edge.id)], records)

    def describe(self) -> str:
        if "source" in self.fields or "target" in self.fields:
            return "Reconnect"
        return self.label


def _plain(v: Any) -> Any:
    return v.value if isinstance(v, EdgeKind) else v
