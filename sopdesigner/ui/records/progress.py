"""Flow order of review steps and the one-line progress summary for the status bar
(pure functions over a Document: no Qt, easy to test)."""

from __future__ import annotations

import heapq
from collections.abc import Callable

from sopdesigner.model.document import Document, Node
from sopdesigner.model.enums import EdgeKind, NodeKind
from sopdesigner.model.status import node_status, requires_approval
from sopdesigner.ops.base import Change

REVIEW_KINDS = (NodeKind.CHECKPOINT, NodeKind.DECISION)


def flow_order(doc: Document) -> list[Node]:
    """All non-note nodes in topological order of the flow edges (rework edges ignored),
    starting from the start nodes; ties (and nodes on a flow cycle) go by position, left to
    right then top to bottom."""
    nodes = {n.id: n for n in doc.nodes if n.kind is not NodeKind.NOTE}
    indegree = dict.fromkeys(nodes, 0)
    out: dict[str, list[str]] = {nid: [] for nid in nodes}
    for e in doc.edges:
        if e.kind is EdgeKind.FLOW and e.source in nodes and e.target in nodes and e.source != e.target:
            out[e.source].append(e.target)
            indegree[e.target] += 1

    def key(nid: str) -> tuple[int, float, float, str]:
        n = nodes[nid]
        return (0 if n.kind is NodeKind.START else 1, n.position.x, n.position.y, nid)

    ready = [key(nid) for nid, d in indegree.items() if d == 0]
    heapq.heapify(ready)
    order: list[str] = []
    done: set[str] = set()
    while len(done) < len(nodes):
        if not ready:
            # A flow cycle: release the left-most remaining node and carry on.
            nid = min((n for n in nodes if n not in done), key=key)
            indegree[nid] = 0
            heapq.heappush(ready, key(nid))
        nid = heapq.heappop(ready)[-1]
        if nid in done:
            continue
        done.add(nid)
        order.append(nid)
        for t in out[nid]:
            indegree[t] -= 1
            if indegree[t] == 0 and t not in done:
                heapq.heappush(ready, key(t))
    return [nodes[nid] for nid in order]


def review_steps(doc: Document) -> list[Node]:
    """The checkpoints and decisions a review walks through, in flow order."""
    return [n for n in flow_order(doc) if n.kind in REVIEW_KINDS]


def is_pending(node: Node) -> bool:
    status = node_status(node)
    return not (status.is_approved or status.value == "complete")


def progress_summary(doc: Document) -> str:
    gated = [n for n in doc.nodes if requires_approval(n)]
    return _summary(sum(1 for n in gated if node_status(n).is_approved), len(gated))


def _summary(approved: int, gated: int) -> str:
    if not gated:
        return "No checkpoints need approval"
    noun = "checkpoint" if gated == 1 else "checkpoints"
    return f"{approved} of {gated} {noun} approved"


class ProgressTally:
    """``progress_summary`` kept up to date from model changes: an edit re-counts the nodes it
    changed, not the whole document (thousands of statuses per keystroke at 5,000 nodes)."""

    def __init__(self) -> None:
        self.document: Document | None = None
        self._approved: dict[str, bool] = {}  # gated node id → approved

    def reset(self, doc: Document | None) -> None:
        self.document = doc
        nodes = doc.nodes if doc is not None else []
        self._approved = {n.id: node_status(n).is_approved for n in nodes if requires_approval(n)}

    def apply(self, changes: list[Change], node_of: Callable[[str], Node | None] | None = None) -> None:
        """Recount the nodes ``changes`` name; ``node_of`` looks a node up by id (the
        controller's map; without it the document is scanned)."""
        if self.document is None:
            return
        if any(c.what not in ("node", "edge") for c in changes):
            self.reset(self.document)  # roles, lanes, document: rare, recount everything
            return
        ids = {c.id for c in changes if c.what == "node" and c.id}
        if not ids:
            return
        if node_of is None:
            index = {n.id: n for n in self.document.nodes}
            node_of = index.get
        for nid in ids:
            n = node_of(nid)
            if n is not None and requires_approval(n):
                self._approved[nid] = node_status(n).is_approved
            else:
                self._approved.pop(nid, None)

    def summary(self) -> str:
        return _summary(sum(self._approved.values()), len(self._approved))
