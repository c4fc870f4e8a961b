"""Validation: the structural and governance problems of a document, each with a stable code.

``validate(doc)`` returns ``Problem``s, errors first, then by code, then in document order.
``SOP1xx`` codes are about the diagram's structure, ``SOP2xx`` about its records (sign-offs,
checklists, evidence). Codes never change meaning; ``RULES`` lists them all. Notes are
annotations and are ignored by every flow rule. The same checks, for one sign-off that is
about to be recorded, are ``check_signoff``.

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
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from sopdesigner.model.document import Document, Edge, Node, SignOff
from sopdesigner.model.enums import Decision, EdgeKind, NodeKind
from sopdesigner.rules.graph import ProcessGraph

if TYPE_CHECKING:
    import networkx as nx

Severity = Literal["error", "warning"]

#: Every rule: code → (severity, what it finds). The README's table is written from this.
RULES: dict[str, tuple[Severity, str]] = {
    "SOP101": ("error", "the diagram has no start node"),
    "SOP102": ("error", "the diagram has more than one start node"),
    "SOP103": ("error", "the diagram has no end node"),
    "SOP104": ("error", "a node cannot be reached from the start"),
    "SOP105": ("error", "no end can be reached from a node"),
    "SOP106": (
        "error",
        "a loop made of flow connectors only (loops must go back through a rework connector)",
    ),
    "SOP107": ("error", "a decision has no approve path"),
    "SOP108": ("error", "a decision has no reject-or-revise path"),
    "SOP109": ("error", "a connector refers to a node that does not exist"),
    "SOP110": ("error", "a lane is bound to a role that is not defined"),
    "SOP111": ("error", "a node requires a role that is not defined"),
    "SOP112": ("error", "a node sits in a lane that does not exist"),
    "SOP113": ("error", "two nodes or two connectors share an id"),
    "SOP201": ("error", "a checkpoint or decision has no required roles"),
    "SOP202": ("warning", "a sign-off by a role the node does not require"),
    "SOP203": ("error", "the requester signed (separation of duties)"),
    "SOP204": ("error", "one person signed two roles on the same node (separation of duties)"),
    "SOP205": ("error", "a node is approved while an approval upstream of it is not"),
    "SOP206": ("error", "a node is approved while required checklist items are not done"),
    "SOP207": ("warning", "a node is approved without the evidence its checklist calls for"),
    "SOP208": ("warning", "conditions were recorded on an approval with no follow-up step after the node"),
    "SOP209": ("error", "no node in the diagram requires an approval"),
}

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


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: str
    node_ids: tuple[str, ...] = ()
    edge_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "node_ids": list(self.node_ids),
            "edge_ids": list(self.edge_ids),
        }


def _problem(code: str, message: str, nodes: tuple[str, ...] = (), edges: tuple[str, ...] = ()) -> Problem:
    return Problem(code, RULES[code][0], message, nodes, edges)


@lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """A printed name compared for separation of duties: NFC, blanks collapsed, case-folded."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


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


def _quoted(titles: list[str]) -> str:
    quoted = [f"'{t}'" for t in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


@dataclass
class _View:
    """Lookups built once per validation run, so every rule is dict access.

    ``approved`` is computed here rather than with ``node_status`` for speed; it is exactly
    ``requires_approval(node) and node_status(node).is_approved`` (a test holds them equal):
    every required role's latest active sign-off is an approval.
    """

    doc: Document
    nodes: dict[str, Node] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)
    role_names: dict[str, str] = field(default_factory=dict)
    active: dict[str, list[SignOff]] = field(default_factory=dict)  # nodes with active sign-offs
    latest: dict[str, dict[str, SignOff]] = field(default_factory=dict)  # the same, per role
    gates: list[str] = field(default_factory=list)  # nodes that require approvals, in order
    approved: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for i, n in enumerate(self.doc.nodes):
            if n.id in self.nodes:
                continue
            self.nodes[n.id] = n
            self.index[n.id] = i
            if n.kind is NodeKind.NOTE:
                continue
            latest = None
            if n.signoffs:
                rnd = n.round
                act = [s for s in n.signoffs if not s.superseded and s.round == rnd]
                if act:
                    self.active[n.id] = act
                    latest = self.latest[n.id] = {s.role: s for s in act}
            if n.required_roles:
                self.gates.append(n.id)
                if latest is not None and all(
                    r in latest and latest[r].decision in _APPROVALS for r in n.required_roles
                ):
                    self.approved.add(n.id)
        self.role_names = {r.id: r.name for r in reversed(self.doc.roles)}

    def role(self, role_id: str) -> str:
        return self.role_names.get(role_id, role_id)


_APPROVALS = frozenset({Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS})


def validate(doc: Document) -> list[Problem]:
    """Every problem of the document: errors first, then by code, then in document order."""
    return validate_with_view(doc)[0]


def validate_with_view(doc: Document) -> tuple[list[Problem], _View]:
    """``validate`` plus the per-node lookups it built, for the gate to reuse (rules-internal)."""
    from sopdesigner.rules.graph import process_graph, topological_parts

    view = _View(doc)
    graph = process_graph(doc)
    parts, part_of = topological_parts(graph.flow, view.index)
    problems: list[Problem] = []
    problems += _identity_problems(view)
    problems += _endpoint_problems(view, graph)
    problems += _cycle_problems(view, graph.flow, parts, graph.self_loops)
    problems += _decision_problems(view)
    problems += _reference_problems(view)
    problems += _signoff_problems(view)
    problems += _upstream_problems(view, graph, parts, part_of)
    problems += _approved_node_problems(view, graph)
    problems.sort(key=lambda p: (p.severity != "error", p.code))
    return problems, view


# -- structure ---------------------------------------------------------------------------------


def _identity_problems(view: _View) -> list[Problem]:
    problems = []
    for what, ids in (
        ("nodes", [n.id for n in view.doc.nodes]),
        ("connectors", [e.id for e in view.doc.edges]),
    ):
        if len(set(ids)) == len(ids):
            continue
        counts: dict[str, int] = defaultdict(int)
        for item_id in ids:
            counts[item_id] += 1
        for item_id, count in counts.items():
            if count > 1:
                one = (item_id,)
                problems.append(
                    _problem(
                        "SOP113",
                        f"Id '{item_id}' is used by {count} {what}.",
                        one if what == "nodes" else (),
                        one if what == "connectors" else (),
                    )
                )
    nodes = view.nodes
    for e in view.doc.edges:
        if e.source in nodes and e.target in nodes:
            continue
        missing = e.source if e.source not in nodes else e.target
        where = f" from '{nodes[e.source].title}'" if e.source in nodes else ""
        problems.append(
            _problem(
                "SOP109",
                f"Connector '{e.id}'{where} refers to node '{missing}', which does not exist.",
                (),
                (e.id,),
            )
        )
    return problems


def _endpoint_problems(view: _View, graph: ProcessGraph) -> list[Problem]:
    from sopdesigner.rules.graph import reachable, reaching

    flow_nodes = [n for n in view.nodes.values() if n.kind is not NodeKind.NOTE]
    starts = [n for n in flow_nodes if n.kind is NodeKind.START]
    ends = [n for n in flow_nodes if n.kind is NodeKind.END]
    problems = []
    if not starts:
        problems.append(
            _problem(
                "SOP101", "The diagram has no start node; add one where the deployment request comes in."
            )
        )
    elif len(starts) > 1:
        problems.append(
            _problem(
                "SOP102",
                f"The diagram has {len(starts)} start nodes "
                f"({_quoted([n.title for n in starts])}); keep exactly one.",
                tuple(n.id for n in starts),
            )
        )
    if not ends:
        problems.append(
            _problem(
                "SOP103", "The diagram has no end node; add one where the model is deployed or sent back."
            )
        )
    if starts:
        seen = reachable(graph, (n.id for n in starts))
        if len(seen) < len(flow_nodes):
            problems += [
                _problem("SOP104", f"'{n.title}' cannot be reached from the start node.", (n.id,))
                for n in flow_nodes
                if n.id not in seen
            ]
    if ends:
        seen = reaching(graph, (n.id for n in ends))
        if len(seen) < len(flow_nodes):
            problems += [
                _problem("SOP105", f"No end node can be reached from '{n.title}'.", (n.id,))
                for n in flow_nodes
                if n.id not in seen
            ]
    return problems


def _cycle_problems(view: _View, flow: nx.DiGraph, parts: list[list[str]], self_loops: int) -> list[Problem]:
    if len(parts) == len(flow) and not self_loops:
        return []  # no part of several nodes, no connector to itself: no loop
    from sopdesigner.rules.graph import loops

    first_edge: dict[tuple[str, str], str] = {}
    for e in view.doc.edges:
        if e.kind is EdgeKind.FLOW:
            first_edge.setdefault((e.source, e.target), e.id)
    problems = []
    for cycle in sorted(loops(flow, parts), key=lambda c: view.index[c[0][0]]):
        titles = [view.nodes[u].title for u, _ in cycle] + [view.nodes[cycle[0][0]].title]
        path = " → ".join(f"'{t}'" for t in titles)
        members = tuple(sorted({u for u, _ in cycle}, key=view.index.__getitem__))
        problems.append(
            _problem(
                "SOP106",
                f"The flow {path} loops without a rework connector; mark the "
                "connector that goes back as rework.",
                members,
                tuple(first_edge[pair] for pair in cycle),
            )
        )
    return problems


def _decision_problems(view: _View) -> list[Problem]:
    decisions = {n.id: n for n in view.nodes.values() if n.kind is NodeKind.DECISION}
    if not decisions:
        return []
    kinds: dict[str, set[str]] = {nid: set() for nid in decisions}
    for e in view.doc.edges:
        if e.source in decisions:
            target = view.nodes.get(e.target)
            if target is not None and target.kind is not NodeKind.NOTE:
                kinds[e.source] |= path_kinds(e, target)
    problems = []
    for nid, n in decisions.items():
        if "approve" not in kinds[nid]:
            problems.append(
                _problem(
                    "SOP107",
                    f"Decision '{n.title}' has no approve path (a connector "
                    "labelled approve, yes or go, or one into a deploy step).",
                    (n.id,),
                )
            )
        if "revise" not in kinds[nid]:
            problems.append(
                _problem(
                    "SOP108",
                    f"Decision '{n.title}' has no reject-or-revise path (a rework "
                    "connector, or one labelled reject, revise or no).",
                    (n.id,),
                )
            )
    return problems


def _reference_problems(view: _View) -> list[Problem]:
    problems = []
    roles = view.role_names
    lane_ids = {lane.id for lane in view.doc.lanes}
    for lane in view.doc.lanes:
        if lane.role not in roles:
            problems.append(
                _problem("SOP110", f"Lane '{lane.id}' is bound to role '{lane.role}', which is not defined.")
            )
    for n in view.nodes.values():
        for r in n.required_roles:
            if r not in roles:
                problems.append(
                    _problem("SOP111", f"'{n.title}' requires role '{r}', which is not defined.", (n.id,))
                )
        if n.lane is not None and n.lane not in lane_ids:
            problems.append(
                _problem("SOP112", f"'{n.title}' sits in lane '{n.lane}', which does not exist.", (n.id,))
            )
        if not n.required_roles and n.kind in (NodeKind.CHECKPOINT, NodeKind.DECISION):
            problems.append(
                _problem(
                    "SOP201",
                    f"{n.kind.value.capitalize()} '{n.title}' has no required "
                    "roles, so nobody has to approve it.",
                    (n.id,),
                )
            )
    if not view.gates and not any(p.code == "SOP201" for p in problems):
        problems.append(
            _problem(
                "SOP209",
                "No node in the diagram requires an approval, so nothing stops a model from shipping; "
                "give a checkpoint its required roles.",
            )
        )
    return problems


# -- governance --------------------------------------------------------------------------------


def _signoff_problems(view: _View) -> list[Problem]:
    requester = normalize_name(view.doc.request.requester)
    separation = view.doc.policy.separation_of_duties
    problems = []
    for nid, active in view.active.items():
        n = view.nodes[nid]
        required = n.required_roles
        if any(s.role not in required for s in active):
            for role in dict.fromkeys(s.role for s in active if s.role not in required):
                signers = ", ".join(dict.fromkeys(s.signer for s in active if s.role == role))
                problems.append(
                    _problem(
                        "SOP202",
                        f"{view.role(role)} ({signers}) signed '{n.title}', which "
                        f"does not require {view.role(role)}.",
                        (n.id,),
                    )
                )
        if not separation:
            continue
        people = [normalize_name(s.signer) for s in active]
        if requester and requester in people:
            problems += [
                _problem(
                    "SOP203",
                    f"{s.signer} requested this deployment and may not sign "
                    f"'{n.title}' as {view.role(s.role)} (separation of duties).",
                    (n.id,),
                )
                for s, person in zip(active, people, strict=True)
                if person == requester
            ]
        if len(set(people)) == len(people):
            continue  # everyone signed once: nobody signed two roles
        roles_by_person: dict[str, dict[str, str]] = {}
        for s, person in zip(active, people, strict=True):
            roles_by_person.setdefault(person, {}).setdefault(s.role, s.signer)
        for roles in roles_by_person.values():
            if len(roles) > 1:
                names = [view.role(r) for r in roles]
                problems.append(
                    _problem(
                        "SOP204",
                        f"{next(iter(roles.values()))} signed '{n.title}' as "
                        f"{', '.join(names[:-1])} and {names[-1]}; one person may "
                        "sign only one role on a node (separation of duties).",
                        (n.id,),
                    )
                )
    return problems


def _upstream_problems(
    view: _View, graph: ProcessGraph, parts: list[list[str]], part_of: dict[str, int]
) -> list[Problem]:
    """SOP205, in one pass over the flow graph in topological order: each part of the graph
    carries one unapproved approval node upstream of it: the last one met on the way there
    (where paths merge, the one first in document order), so messages name the nearest. Only
    flow connectors count, and only gates on the main flow (reachable from the start without
    rework connectors), so a remediation review on a rework branch does not block approval."""
    from sopdesigner.rules.graph import reachable

    if not view.approved:
        return []
    starts = (nid for nid, n in view.nodes.items() if n.kind is NodeKind.START)
    main = reachable(graph, starts, rework=False)
    approved = view.approved
    pending_gates = {g for g in view.gates if g not in approved and g in main}
    index = view.index
    succ = graph.succ
    inherited: list[str | None] = [None] * len(parts)  # an unapproved gate upstream of the part
    problems = []
    for c, part in enumerate(parts):
        blocker = inherited[c]
        pending = [n for n in part if n in pending_gates]
        for nid in part:
            if nid not in approved:
                continue
            here = blocker
            for other in pending:  # inside a flow loop (itself SOP106) every member is upstream
                if other != nid and (here is None or index[other] < index[here]):
                    here = other
            if here is not None:
                problems.append(
                    _problem(
                        "SOP205",
                        f"'{view.nodes[nid].title}' is approved while "
                        f"'{view.nodes[here].title}' upstream of it is not "
                        "approved.",
                        (nid, here),
                    )
                )
        passed_on = pending[0] if pending else blocker
        if passed_on is None:
            continue
        for nid in part:
            for nxt in succ[nid]:
                d = part_of[nxt]
                if d != c:
                    prev = inherited[d]
                    if prev is None or index[passed_on] < index[prev]:
                        inherited[d] = passed_on
    problems.sort(key=lambda p: index[p.node_ids[0]])
    return problems


def _approved_node_problems(view: _View, graph: ProcessGraph) -> list[Problem]:
    succ = graph.succ
    problems = []
    for nid in view.gates:
        n = view.nodes[nid]
        if nid in view.approved:
            open_items = [i.text for i in n.checklist if i.required and not i.done]
            if open_items:
                noun, verb = ("item", "is") if len(open_items) == 1 else ("items", "are")
                problems.append(
                    _problem(
                        "SOP206",
                        f"'{n.title}' is approved but its required checklist {noun} "
                        f"{_quoted(open_items)} {verb} not done.",
                        (n.id,),
                    )
                )
            missing = _missing_evidence(n)
            if missing:
                problems.append(
                    _problem(
                        "SOP207",
                        f"'{n.title}' is approved without evidence of the kind its "
                        f"checklist calls for: {'; '.join(missing)}.",
                        (n.id,),
                    )
                )
        latest = view.latest.get(nid)
        if latest is None:
            continue
        conditional = [
            r
            for r in n.required_roles
            if r in latest
            and latest[r].decision in _APPROVALS
            and (latest[r].conditions.strip() or latest[r].decision is Decision.APPROVE_WITH_CONDITIONS)
        ]
        if conditional and not any(view.nodes[t].kind is not NodeKind.END for t in succ[nid]):
            roles = " and ".join(view.role(r) for r in conditional)
            problems.append(
                _problem(
                    "SOP208",
                    f"Conditions were recorded on the approval of '{n.title}' by "
                    f"{roles}, but no follow-up step comes after it to carry them "
                    "out.",
                    (n.id,),
                )
            )
    return problems


def _missing_evidence(node: Node) -> list[str]:
    """Evidence categories the node's required checklist items call for that none of its
    attached evidence has (compared case- and blank-insensitively)."""
    wanted = [i.evidence_category for i in node.checklist if i.required and i.evidence_category]
    if not wanted:
        return []
    attached = {normalize_name(e.category) for e in node.evidence}
    missing = dict.fromkeys(c.strip() for c in wanted if c.strip() and normalize_name(c) not in attached)
    return list(missing)


# -- one sign-off, before it is recorded ----------------------------------------------------


def check_signoff(doc: Document, node_id: str, signer: str, role: str) -> list[Problem]:
    """Problems that recording ``signer``'s sign-off for ``role`` on the node would cause, so
    the sign-off dialog can warn before recording. Raises ``UnknownIdError`` for a missing node."""
    node = doc.node(node_id)
    role_names = {r.id: r.name for r in doc.roles}
    role_name = role_names.get(role, role)
    problems = []
    if role not in role_names:
        problems.append(_problem("SOP111", f"Role '{role}' is not defined in this diagram.", (node.id,)))
    if role not in node.required_roles:
        problems.append(
            _problem(
                "SOP202",
                f"'{node.title}' does not require {role_name}, so this sign-off "
                "will not count towards its approval.",
                (node.id,),
            )
        )
    if doc.policy.separation_of_duties:
        person = normalize_name(signer)
        if person and person == normalize_name(doc.request.requester):
            problems.append(
                _problem(
                    "SOP203",
                    f"{signer.strip()} requested this deployment and may not sign "
                    f"'{node.title}' (separation of duties).",
                    (node.id,),
                )
            )
        others = dict.fromkeys(
            s.role
            for s in node.signoffs
            if not s.superseded
            and s.round == node.round
            and s.role != role
            and normalize_name(s.signer) == person
        )
        if person and others:
            already = " and ".join(role_names.get(r, r) for r in others)
            problems.append(
                _problem(
                    "SOP204",
                    f"{signer.strip()} already signed '{node.title}' as {already}; one "
                    "person may sign only one role on a node (separation of "
                    "duties).",
                    (node.id,),
                )
            )
    return problems
