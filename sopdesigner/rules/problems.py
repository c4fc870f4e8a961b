"""What a validation finding is, the table of rule codes, and the per-node facts every rule reads.

``Facts`` is built once per validation run so that each rule is dictionary lookups, never a
scan of the document.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from sopdesigner.model.document import Document, Node, SignOff
from sopdesigner.model.enums import Decision, NodeKind

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


def make_problem(
    code: str, message: str, nodes: tuple[str, ...] = (), edges: tuple[str, ...] = ()
) -> Problem:
    return Problem(code, RULES[code][0], message, nodes, edges)


@lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """A printed name compared for separation of duties: NFC, blanks collapsed, case-folded."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def quoted(titles: list[str]) -> str:
    """'A', 'A' and 'B', 'A', 'B' and 'C'."""
    items = [f"'{t}'" for t in titles]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


APPROVALS = frozenset({Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS})


@dataclass
class Facts:
    """Lookups built once per validation run, so every rule is dict access.

    Every node is read once, here: at 5,000 nodes and more the records no longer fit the CPU
    caches, and each further pass over them costs as much in memory reads as in work.
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
    # The nodes that are steps of the process (not notes), and those of some kinds, in order.
    flow: list[Node] = field(default_factory=list)
    starts: list[Node] = field(default_factory=list)
    ends: list[Node] = field(default_factory=list)
    decisions: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        # One pass over the nodes, with plain loops and locals: this runs after every edit,
        # over every node, and (on Python 3.11) each comprehension or all() would be a call.
        nodes, index, active, latest = self.nodes, self.index, self.active, self.latest
        gates, approved = self.gates, self.approved
        flow, starts, ends, decisions = self.flow, self.starts, self.ends, self.decisions
        note, start, end, decision = NodeKind.NOTE, NodeKind.START, NodeKind.END, NodeKind.DECISION
        for i, n in enumerate(self.doc.nodes):
            nid = n.id
            if nid in nodes:
                continue
            nodes[nid] = n
            index[nid] = i
            kind = n.kind
            if kind is note:
                continue
            flow.append(n)
            if kind is start:
                starts.append(n)
            elif kind is end:
                ends.append(n)
            elif kind is decision:
                decisions.append(n)
            by_role: dict[str, SignOff] | None = None
            signoffs = n.signoffs
            if signoffs:
                rnd = n.round
                act: list[SignOff] = []
                by_role = {}
                for s in signoffs:
                    if not s.superseded and s.round == rnd:
                        act.append(s)
                        by_role[s.role] = s
                if act:
                    active[nid] = act
                    latest[nid] = by_role
                else:
                    by_role = None
            required = n.required_roles
            if required:
                gates.append(nid)
                if by_role is not None:
                    for r in required:
                        latest_of_role = by_role.get(r)
                        if latest_of_role is None or latest_of_role.decision not in APPROVALS:
                            break
                    else:
                        approved.add(nid)
        self.role_names = {r.id: r.name for r in reversed(self.doc.roles)}

    def role(self, role_id: str) -> str:
        return self.role_names.get(role_id, role_id)
