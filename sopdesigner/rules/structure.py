"""Structure rules (SOP1xx, plus SOP201/SOP209 which need the same pass over the nodes).

How a decision's paths are recognised (SOP107/SOP108): each outgoing connector is read by its
label, or, when the label says nothing, by the title of the node it leads to. Words are
matched case-insensitively. A ``rework`` connector is a *reject-or-revise* path. Otherwise a
connector is a reject-or-revise path if its words include reject, revise, rework, iterate, no,
not, fail, deny, decline, changes, return, back, stop, hold, retrain or fix, and an *approve*
path if they include approve(d), approval, accept(ed), yes, go, pass(ed), proceed, deploy,
ship, ok or release — except a word right after "no", "not" or "non", which is negated. One
connector may be both ("approve / reject" into a step that then branches); "no-go" and "not
approved" are only reject paths; an unlabelled connector into "Deploy" is an approve path.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sopdesigner.model.document import Edge, Node
from sopdesigner.model.enums import EdgeKind, NodeKind
from sopdesigner.rules.facts import Facts
from sopdesigner.rules.graph import ProcessGraph
from sopdesigner.rules.problems import Problem, make_problem, quoted

APPROVE_WORDS = frozenset(
    {
        "approve",
        "approved",
        "approval",
        "accept",
        "accepted",
        "yes",
        "go",
        "pass",
        "passed",
        "proceed",
        "deploy",
        "ship",
        "ok",
        "release",
    }
)
REVISE_WORDS = frozenset(
    {
        "reject",
        "rejected",
        "rejection",
        "revise",
        "revised",
        "revision",
        "rework",
        "iterate",
        "iteration",
        "no",
        "not",
        "nogo",
        "fail",
        "failed",
        "deny",
        "denied",
        "decline",
        "declined",
        "changes",
        "redo",
        "return",
        "back",
        "stop",
        "hold",
        "retrain",
        "fix",
    }
)
_WORD = re.compile(r"[^\W\d_]+")
_NEGATIONS = frozenset({"no", "not", "non"})


def path_kinds(edge: Edge, target: Node | None) -> frozenset[str]:
    """What a decision's outgoing connector means: a subset of {"approve", "revise"} (see the
    module docstring)."""
    if edge.kind is EdgeKind.REWORK:
        return frozenset({"revise"})
    for text in (edge.label, target.title if target is not None else ""):
        kinds = set()
        negated = False
        for word in _WORD.findall(text.casefold()):
            if word in REVISE_WORDS:
                kinds.add("revise")
            elif word in APPROVE_WORDS and not negated:
                kinds.add("approve")
            negated = word in _NEGATIONS
        if kinds:
            return frozenset(kinds)
    return frozenset()


def identity_problems(facts: Facts) -> list[Problem]:
    problems = []
    doc, nodes = facts.doc, facts.nodes
    # One pass over the connectors for their ids and their ends; ``facts.nodes`` keeps one
    # node per id, so it is as long as the node list exactly when no two share an id.
    edge_ids = set()
    dangling = []
    for e in doc.edges:
        edge_ids.add(e.id)
        if e.source not in nodes or e.target not in nodes:
            dangling.append(e)
    for what, clash, items in (
        ("nodes", len(nodes) < len(doc.nodes), doc.nodes),
        ("connectors", len(edge_ids) < len(doc.edges), doc.edges),
    ):
        if not clash:
            continue
        counts: dict[str, int] = defaultdict(int)
        for item in items:
            counts[item.id] += 1
        for item_id, count in counts.items():
            if count > 1:
                one = (item_id,)
                problems.append(
                    make_problem(
                        "SOP113",
                        f"Id '{item_id}' is used by {count} {what}.",
                        one if what == "nodes" else (),
                        one if what == "connectors" else (),
                    )
                )
    for e in dangling:
        missing = e.source if e.source not in nodes else e.target
        where = f" from '{nodes[e.source].title}'" if e.source in nodes else ""
        problems.append(
            make_problem(
                "SOP109",
                f"Connector '{e.id}'{where} refers to node '{missing}', which does not exist.",
                (),
                (e.id,),
            )
        )
    return problems


def endpoint_problems(facts: Facts, graph: ProcessGraph, main: set[str]) -> list[Problem]:
    """SOP101-SOP105. ``main`` is what the start nodes reach along flow connectors only
    (``graph.reachable(..., rework=False)``), which the rework connectors then extend."""
    from sopdesigner.rules.graph import reachable_beyond, reaching

    nodes, flow_ids, starts, ends = facts.nodes, facts.flow_ids, facts.starts, facts.ends
    problems = []
    if not starts:
        problems.append(
            make_problem(
                "SOP101", "The diagram has no start node; add one where the deployment request comes in."
            )
        )
    elif len(starts) > 1:
        problems.append(
            make_problem(
                "SOP102",
                f"The diagram has {len(starts)} start nodes "
                f"({quoted([n.title for n in starts])}); keep exactly one.",
                tuple(n.id for n in starts),
            )
        )
    if not ends:
        problems.append(
            make_problem(
                "SOP103", "The diagram has no end node; add one where the model is deployed or sent back."
            )
        )
    if starts:
        seen = reachable_beyond(graph, main)
        if len(seen) < len(flow_ids):
            problems += [
                make_problem("SOP104", f"'{nodes[nid].title}' cannot be reached from the start node.", (nid,))
                for nid in flow_ids
                if nid not in seen
            ]
    if ends:
        seen = reaching(graph, (n.id for n in ends))
        if len(seen) < len(flow_ids):
            problems += [
                make_problem("SOP105", f"No end node can be reached from '{nodes[nid].title}'.", (nid,))
                for nid in flow_ids
                if nid not in seen
            ]
    return problems


def cycle_problems(facts: Facts, graph: ProcessGraph, parts: list[list[str]]) -> list[Problem]:
    if len(parts) == len(graph.succ) and not graph.self_loops:
        return []  # no part of several nodes, no connector to itself: no loop
    from sopdesigner.rules.graph import loops

    first_edge: dict[tuple[str, str], str] = {}
    for e in facts.doc.edges:
        if e.kind is EdgeKind.FLOW:
            first_edge.setdefault((e.source, e.target), e.id)
    problems = []
    for cycle in sorted(loops(graph.flow, parts), key=lambda c: facts.index[c[0][0]]):
        titles = [facts.nodes[u].title for u, _ in cycle] + [facts.nodes[cycle[0][0]].title]
        path = " → ".join(f"'{t}'" for t in titles)
        members = tuple(sorted({u for u, _ in cycle}, key=facts.index.__getitem__))
        problems.append(
            make_problem(
                "SOP106",
                f"The flow {path} loops without a rework connector; mark the "
                "connector that goes back as rework.",
                members,
                tuple(first_edge[pair] for pair in cycle),
            )
        )
    return problems


def decision_problems(facts: Facts) -> list[Problem]:
    decisions = {n.id: n for n in facts.decisions}
    if not decisions:
        return []
    kinds: dict[str, set[str]] = {nid: set() for nid in decisions}
    for e in facts.doc.edges:
        if e.source in decisions:
            target = facts.nodes.get(e.target)
            if target is not None and target.kind is not NodeKind.NOTE:
                kinds[e.source] |= path_kinds(e, target)
    problems = []
    for nid, n in decisions.items():
        if "approve" not in kinds[nid]:
            problems.append(
                make_problem(
                    "SOP107",
                    f"Decision '{n.title}' has no approve path (a connector "
                    "labelled approve, yes or go, or one into a deploy step).",
                    (n.id,),
                )
            )
        if "revise" not in kinds[nid]:
            problems.append(
                make_problem(
                    "SOP108",
                    f"Decision '{n.title}' has no reject-or-revise path (a rework "
                    "connector, or one labelled reject, revise or no).",
                    (n.id,),
                )
            )
    return problems


def reference_problems(facts: Facts) -> list[Problem]:
    problems = []
    roles = facts.role_names
    lane_ids = {lane.id for lane in facts.doc.lanes}
    nodes = facts.nodes
    for lane in facts.doc.lanes:
        if lane.role not in roles:
            problems.append(
                make_problem(
                    "SOP110", f"Lane '{lane.id}' is bound to role '{lane.role}', which is not defined."
                )
            )
    for nid in facts.review_references:  # the only nodes these rules can report
        n = nodes[nid]
        for r in n.required_roles:
            if r not in roles:
                problems.append(
                    make_problem("SOP111", f"'{n.title}' requires role '{r}', which is not defined.", (n.id,))
                )
        if n.lane is not None and n.lane not in lane_ids:
            problems.append(
                make_problem("SOP112", f"'{n.title}' sits in lane '{n.lane}', which does not exist.", (n.id,))
            )
        if not n.required_roles and n.kind in (NodeKind.CHECKPOINT, NodeKind.DECISION):
            problems.append(
                make_problem(
                    "SOP201",
                    f"{n.kind.value.capitalize()} '{n.title}' has no required "
                    "roles, so nobody has to approve it.",
                    (n.id,),
                )
            )
    if not facts.gates and not any(p.code == "SOP201" for p in problems):
        problems.append(
            make_problem(
                "SOP209",
                "No node in the diagram requires an approval, so nothing stops a model from shipping; "
                "give a checkpoint its required roles.",
            )
        )
    return problems
