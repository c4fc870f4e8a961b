"""Disposable views of a document's process, built on demand for the rules.

The document is the truth; these views are rebuilt for every check and never edited.
Notes are annotations, not steps, so they are left out of every view, and so are connectors
whose ends do not exist (validation reports those separately). ``ProcessGraph`` holds the
``flow`` connectors (what runs forward) as plain adjacency dicts, and the ``rework``
connectors, which go back and are few, beside them, so reachability can follow them too.

Validation runs after every edit, so the common case (no flow loop) uses only these dicts:
a networkx DiGraph costs about twice as much to build and, its inner dicts holding edge-data
dicts, is traversed by every garbage collection during the run, while dicts of strings to
``None`` are not tracked by the collector at all. networkx is kept for what it does better
(strongly connected parts and cycles, only when the flow loops) and for callers that want
its algorithms; it is imported lazily, so importing the rules does not slow start-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sopdesigner.model.document import Document
from sopdesigner.model.enums import EdgeKind, NodeKind

if TYPE_CHECKING:
    import networkx as nx


@dataclass
class ProcessGraph:
    """The process of a document over node ids (notes excluded): ``succ``/``pred`` are the
    flow connectors (node id → {neighbour id: None}, in document order, one entry per pair),
    ``rework_succ``/``rework_pred`` the rework connectors."""

    doc: Document
    succ: dict[str, dict[str, None]]
    pred: dict[str, dict[str, None]]
    rework_succ: dict[str, list[str]] = field(default_factory=dict)
    rework_pred: dict[str, list[str]] = field(default_factory=dict)
    #: Flow connectors from a node to itself (the editor refuses them; a file may have them).
    self_loops: int = 0
    _flow: nx.DiGraph | None = field(default=None, repr=False)

    @property
    def flow(self) -> nx.DiGraph:
        """The flow connectors as a networkx DiGraph (nodes and connectors in document order),
        built on first use."""
        if self._flow is None:
            import networkx as nx

            flow: nx.DiGraph = nx.DiGraph()
            flow.add_nodes_from(self.succ)
            succ = self.succ
            flow.add_edges_from(
                (e.source, e.target)
                for e in self.doc.edges
                if e.kind is EdgeKind.FLOW and e.source in succ and e.target in succ
            )
            self._flow = flow
        return self._flow


def process_graph(doc: Document, step_ids: Iterable[str] | None = None) -> ProcessGraph:
    """``step_ids``, when the caller has them, are the ids of the document's nodes that are
    not notes, in order and without repeats (validation's ``Facts.flow_ids`` when no two nodes
    share an id): it saves reading every node again."""
    if step_ids is None:
        step_ids = dict.fromkeys(n.id for n in doc.nodes if n.kind is not NodeKind.NOTE)
    succ: dict[str, dict[str, None]] = {nid: {} for nid in step_ids}
    pred: dict[str, dict[str, None]] = {nid: {} for nid in succ}
    rework_succ: dict[str, list[str]] = defaultdict(list)
    rework_pred: dict[str, list[str]] = defaultdict(list)
    self_loops = 0
    flow_kind = EdgeKind.FLOW
    for e in doc.edges:
        source, target = e.source, e.target
        if source in succ and target in succ:
            if e.kind is flow_kind:
                succ[source][target] = None
                pred[target][source] = None
                if source == target:
                    self_loops += 1
            else:
                rework_succ[source].append(target)
                rework_pred[target].append(source)
    return ProcessGraph(doc, succ, pred, dict(rework_succ), dict(rework_pred), self_loops)


def flow_graph(doc: Document, *, include_rework: bool = False) -> nx.DiGraph:
    """The process as one DiGraph over node ids (notes excluded), flow connectors only unless
    ``include_rework``; for callers that want networkx algorithms on the whole picture."""
    g = process_graph(doc)
    if include_rework:
        g.flow.add_edges_from((u, v) for u, targets in g.rework_succ.items() for v in targets)
    return g.flow


def reachable(g: ProcessGraph, sources: Iterable[str], *, rework: bool = True) -> set[str]:
    """Every node reachable from any of ``sources`` (included), following flow connectors and,
    unless ``rework=False``, rework connectors."""
    seen = {s for s in sources if s in g.succ}
    return _walk(g.succ, g.rework_succ if rework else {}, seen, list(seen))


def reachable_beyond(g: ProcessGraph, reached: set[str]) -> set[str]:
    """``reachable(g, sources)`` given ``reached = reachable(g, sources, rework=False)``: the
    rework connectors out of ``reached`` extend it, without walking the flow again (validation
    needs both sets). ``reached`` itself is left as it is."""
    seen = set(reached)
    stack = []
    for here, targets in g.rework_succ.items():
        if here in reached:
            for nxt in targets:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
    return _walk(g.succ, g.rework_succ, seen, stack)


def reaching(g: ProcessGraph, targets: Iterable[str]) -> set[str]:
    """Every node from which some node of ``targets`` (included) can be reached, along flow
    and rework connectors."""
    seen = {t for t in targets if t in g.pred}
    return _walk(g.pred, g.rework_pred, seen, list(seen))


def _walk(
    adjacency: Mapping[str, Iterable[str]], extra: Mapping[str, list[str]], seen: set[str], stack: list[str]
) -> set[str]:
    """Adds to ``seen`` everything reachable from the nodes on ``stack`` (each already in
    ``seen``) and returns it."""
    # One multi-source walk instead of one networkx call per source: many ends are common.
    empty: list[str] = []
    while stack:
        here = stack.pop()
        for nxt in adjacency[here]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
        for nxt in extra.get(here, empty):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def topological_order(graph: ProcessGraph) -> list[str] | None:
    """The flow nodes in topological order, or None when the flow loops.

    The same order as ``networkx.topological_sort``: its generations one after the other
    (Kahn's algorithm), each in document order.
    """
    succ = graph.succ
    indegree = {n: len(p) for n, p in graph.pred.items() if p}
    order = [n for n, p in graph.pred.items() if not p]
    # ``order`` is also the queue: appending while iterating visits the new items, so the
    # nodes come out generation after generation, exactly as networkx yields them.
    for here in order:
        for child in succ[here]:
            left = indegree[child] - 1
            if left:
                indegree[child] = left
            else:
                del indegree[child]
                order.append(child)
    return None if indegree else order


def topological_parts(
    graph: ProcessGraph, index: Mapping[str, int]
) -> tuple[list[list[str]], dict[str, int]]:
    """The flow graph's strongly connected parts in topological order.

    Returns ``(members, part_of)``: ``members[c]`` are the node ids of part ``c`` in document
    order (``index``) and ``part_of[node]`` is its part; every connector between two parts
    goes from a lower to a higher part number. Without flow loops every part is one node.
    """
    order = topological_order(graph)
    if order is not None:
        return [[n] for n in order], {n: i for i, n in enumerate(order)}
    import networkx as nx

    cond = nx.condensation(graph.flow)
    renumber = {c: i for i, c in enumerate(nx.topological_sort(cond))}
    members: list[list[str]] = [[] for _ in renumber]
    for c, i in renumber.items():
        members[i] = sorted(cond.nodes[c]["members"], key=index.__getitem__)
    part_of = {n: renumber[c] for n, c in cond.graph["mapping"].items()}
    return members, part_of


def loops(flow: nx.DiGraph, parts: list[list[str]]) -> list[list[tuple[str, str]]]:
    """One cycle per part that has one (a part of several nodes, or a node with a connector to
    itself), as its connectors in walking order from the part's first node; parts in the
    order given."""
    import networkx as nx

    found = []
    for part in parts:
        if len(part) > 1 or flow.has_edge(part[0], part[0]):
            found.append([(u, v) for u, v in nx.find_cycle(flow.subgraph(part), source=part[0])])
    return found
