"""Disposable networkx views of a document, built on demand for the rules.

The document is the truth; these graphs are rebuilt for every check and never edited.
Notes are annotations, not steps, so they are left out of every view, and so are connectors
whose ends do not exist (validation reports those separately). The one DiGraph holds the
``flow`` connectors (what runs forward); ``rework`` connectors, which go back, are few and
kept beside it as plain adjacency so reachability can follow them too. networkx is imported
lazily, inside the functions, so importing the rules does not slow start-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sopdesigner.model.document import Document
from sopdesigner.model.enums import EdgeKind, NodeKind

if TYPE_CHECKING:
    import networkx as nx


@dataclass
class ProcessGraph:
    """The process of a document: ``flow`` is a DiGraph over node ids (notes excluded) with
    the flow connectors; ``rework_succ``/``rework_pred`` are the rework connectors."""

    flow: nx.DiGraph
    rework_succ: dict[str, list[str]] = field(default_factory=dict)
    rework_pred: dict[str, list[str]] = field(default_factory=dict)
    #: Flow connectors from a node to itself (the editor refuses them; a file may have them).
    self_loops: int = 0

    # The DiGraph's own adjacency dicts, read directly as networkx's algorithms do: going
    # through ``flow.succ[n]`` builds a view object per lookup, which doubles a 5k-node pass.
    @property
    def succ(self) -> Mapping[str, Mapping[str, Any]]:
        """Flow successors: node id → {successor id: edge data}."""
        return self.flow._succ

    @property
    def pred(self) -> Mapping[str, Mapping[str, Any]]:
        """Flow predecessors: node id → {predecessor id: edge data}."""
        return self.flow._pred


def process_graph(doc: Document) -> ProcessGraph:
    import networkx as nx

    flow: nx.DiGraph = nx.DiGraph()
    flow.add_nodes_from(n.id for n in doc.nodes if n.kind is not NodeKind.NOTE)
    rework_succ: dict[str, list[str]] = defaultdict(list)
    rework_pred: dict[str, list[str]] = defaultdict(list)
    pairs = []
    for e in doc.edges:
        if e.source in flow and e.target in flow:
            if e.kind is EdgeKind.FLOW:
                pairs.append((e.source, e.target))
            else:
                rework_succ[e.source].append(e.target)
                rework_pred[e.target].append(e.source)
    flow.add_edges_from(pairs)
    self_loops = sum(1 for u, v in pairs if u == v)
    return ProcessGraph(flow, dict(rework_succ), dict(rework_pred), self_loops)


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
    return _walk(g.succ, g.rework_succ if rework else {}, sources)


def reaching(g: ProcessGraph, targets: Iterable[str]) -> set[str]:
    """Every node from which some node of ``targets`` (included) can be reached, along flow
    and rework connectors."""
    return _walk(g.pred, g.rework_pred, targets)


def _walk(
    adjacency: Mapping[str, Iterable[str]], extra: Mapping[str, list[str]], starts: Iterable[str]
) -> set[str]:
    # One multi-source walk instead of one networkx call per source: many ends are common.
    seen = {s for s in starts if s in adjacency}
    stack = list(seen)
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


def topological_parts(flow: nx.DiGraph, index: Mapping[str, int]) -> tuple[list[list[str]], dict[str, int]]:
    """The flow graph's strongly connected parts in topological order.

    Returns ``(members, part_of)``: ``members[c]`` are the node ids of part ``c`` in document
    order (``index``) and ``part_of[node]`` is its part; every connector between two parts
    goes from a lower to a higher part number. Without flow loops every part is one node.
    """
    import networkx as nx

    try:
        order = list(nx.topological_sort(flow))
    except nx.NetworkXUnfeasible:
        pass
    else:
        return [[n] for n in order], {n: i for i, n in enumerate(order)}
    cond = nx.condensation(flow)
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
