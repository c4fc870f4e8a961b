"""Disposable networkx views of a document, built on demand for the rules.

The document is the truth; these graphs are rebuilt for every check and never edited.
Notes are annotations, not steps, so they are left out of every view, and so are edges whose
ends do not exist (validation reports those separately). networkx is imported here, lazily,
so that importing the rules package does not slow start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sopdesigner.model.document import Document
from sopdesigner.model.enums import EdgeKind, NodeKind

if TYPE_CHECKING:
    import networkx as nx


def flow_graph(doc: Document, *, include_rework: bool = False) -> nx.DiGraph:
    """The process as a DiGraph over node ids (notes excluded).

    Node attributes: ``index`` (position in ``doc.nodes``) and ``kind``. Edge attributes:
    ``id``, ``kind`` and ``label`` of the first document edge between the two nodes. Only
    ``flow`` edges unless ``include_rework``.
    """
    import networkx as nx

    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(
        (n.id, {"index": i, "kind": n.kind}) for i, n in enumerate(doc.nodes) if n.kind is not NodeKind.NOTE
    )
    g.add_edges_from(
        (e.source, e.target, {"id": e.id, "kind": e.kind, "label": e.label})
        for e in reversed(doc.edges)  # reversed: the first edge of a duplicated pair wins
        if e.source in g and e.target in g and (include_rework or e.kind is EdgeKind.FLOW)
    )
    return g


def reachable(g: nx.DiGraph, sources: Iterable[str]) -> set[str]:
    """Every node reachable from any of ``sources`` (the sources included), following edges."""
    return _walk(g.succ, sources)


def reaching(g: nx.DiGraph, targets: Iterable[str]) -> set[str]:
    """Every node from which some node of ``targets`` can be reached (the targets included)."""
    return _walk(g.pred, targets)


def _walk(adjacency: nx.classes.coreviews.AdjacencyView, starts: Iterable[str]) -> set[str]:
    # One multi-source walk instead of one networkx call per source: many ends are common.
    seen = {s for s in starts if s in adjacency}
    stack = list(seen)
    while stack:
        for nxt in adjacency[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def cyclic_components(g: nx.DiGraph) -> list[list[str]]:
    """Strongly connected parts of ``g`` that contain a cycle, each in document order, sorted by
    their first node's document index (deterministic)."""
    import networkx as nx

    index = g.nodes
    found = [
        sorted(c, key=lambda n: index[n]["index"])
        for c in nx.strongly_connected_components(g)
        if len(c) > 1 or g.has_edge(next(iter(c)), next(iter(c)))
    ]
    return sorted(found, key=lambda c: index[c[0]]["index"])


def one_cycle(g: nx.DiGraph, component: list[str]) -> list[tuple[str, str]]:
    """One cycle inside a cyclic component, as its edges in walking order, starting at the
    component's first node (in document order)."""
    import networkx as nx

    return [(u, v) for u, v in nx.find_cycle(g.subgraph(component), source=component[0])]


def topological_components(g: nx.DiGraph) -> tuple[list[list[str]], dict[str, int]]:
    """The graph's strongly connected parts in topological order.

    Returns ``(members, component_of)``: ``members[c]`` are the node ids of part ``c`` in
    document order and ``component_of[node]`` is its part; every edge between two parts goes
    from a lower to a higher part number. On an acyclic graph every part is a single node.
    """
    import networkx as nx

    if nx.is_directed_acyclic_graph(g):
        order = list(nx.topological_sort(g))
        return [[n] for n in order], {n: i for i, n in enumerate(order)}
    cond = nx.condensation(g)
    renumber = {c: i for i, c in enumerate(nx.topological_sort(cond))}
    index = g.nodes
    members: list[list[str]] = [[] for _ in renumber]
    for c, i in renumber.items():
        members[i] = sorted(cond.nodes[c]["members"], key=lambda n: index[n]["index"])
    component_of = {n: renumber[c] for n, c in cond.graph["mapping"].items()}
    return members, component_of
