"""The per-node facts every validation rule reads, gathered in one pass over the nodes.

Validation runs after every edit. At 5,000 nodes and more a document's records (nodes,
sign-offs, checklist items, evidence) no longer fit the CPU caches, so each pass over them
costs as much in memory reads as in work: ``Facts`` reads every node and its records once,
and the rules then work from these lookups.

Besides lookups, the pass notes which nodes a rule family needs to look at closely
(``review_*``): a cheap test that is true for every node the rule could report, and false for
the usual node (roles and lane defined; sign-offs by distinct people other than the
requester, for required roles; approvals without conditions on nodes whose required items
are done and whose evidence is attached as the checklist writes it). The rule then runs its
full check, and builds its messages, on those nodes only; what it reports is decided there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sopdesigner.model.document import Document, Node, SignOff
from sopdesigner.model.enums import Decision, NodeKind
from sopdesigner.rules.problems import APPROVALS, normalize_name

_NEED_ROLES = (NodeKind.CHECKPOINT, NodeKind.DECISION)  # SOP201: someone must approve these


@dataclass
class Facts:
    """Lookups built once per validation run, so every rule is dict access.

    ``approved`` is computed here rather than with ``node_status`` for speed; it is exactly
    ``requires_approval(node) and node_status(node).is_approved`` (a test holds them equal):
    every required role's latest active sign-off is an approval.
    """

    doc: Document
    nodes: dict[str, Node] = field(default_factory=dict)  # the first node with each id
    index: dict[str, int] = field(default_factory=dict)
    role_names: dict[str, str] = field(default_factory=dict)
    active: dict[str, list[SignOff]] = field(default_factory=dict)  # nodes with active sign-offs
    latest: dict[str, dict[str, SignOff]] = field(default_factory=dict)  # the same, per role
    gates: list[str] = field(default_factory=list)  # nodes that require approvals, in order
    approved: set[str] = field(default_factory=set)
    # The ids of the nodes that are steps of the process (not notes), and the nodes of some
    # kinds, in order.
    flow_ids: list[str] = field(default_factory=list)
    starts: list[Node] = field(default_factory=list)
    ends: list[Node] = field(default_factory=list)
    decisions: list[Node] = field(default_factory=list)
    # Nodes the rules must look at closely (see the module docstring), in document order:
    #: a required role or the lane not defined, or a checkpoint or decision without roles;
    review_references: list[str] = field(default_factory=list)
    #: an active sign-off for a role not required, by the requester, or two by one person;
    review_signoffs: list[str] = field(default_factory=list)
    #: approved with a required item open or an evidence category not attached as written;
    review_records: list[str] = field(default_factory=list)
    #: a current approval with conditions.
    review_conditions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        doc = self.doc
        self.role_names = role_names = {r.id: r.name for r in reversed(doc.roles)}
        lane_ids = {lane.id for lane in doc.lanes}
        requester = normalize_name(doc.request.requester)
        nodes, index, active, latest = self.nodes, self.index, self.active, self.latest
        gates, approved = self.gates, self.approved
        flow_ids, starts, ends, decisions = self.flow_ids, self.starts, self.ends, self.decisions
        review_references, review_signoffs = self.review_references, self.review_signoffs
        review_records, review_conditions = self.review_records, self.review_conditions
        note, start, end, decision = NodeKind.NOTE, NodeKind.START, NodeKind.END, NodeKind.DECISION
        with_conditions = Decision.APPROVE_WITH_CONDITIONS
        # Plain loops and locals: on Python 3.11 every comprehension, any() or all() in
        # this loop would be one more call per node.
        for i, n in enumerate(doc.nodes):
            nid = n.id
            if nid in nodes:
                continue
            nodes[nid] = n
            index[nid] = i
            kind = n.kind
            required = n.required_roles

            # References (SOP111, SOP112, SOP201), notes included.
            lane = n.lane
            suspect = lane is not None and lane not in lane_ids
            if required:
                for r in required:
                    if r not in role_names:
                        suspect = True
            elif kind in _NEED_ROLES:
                suspect = True
            if suspect:
                review_references.append(nid)

            if kind is note:
                continue
            flow_ids.append(nid)
            if kind is start:
                starts.append(n)
            elif kind is end:
                ends.append(n)
            elif kind is decision:
                decisions.append(n)

            # Sign-offs: the active ones, the latest per role, and suspects of SOP202-SOP204.
            by_role: dict[str, SignOff] | None = None
            signoffs = n.signoffs
            if signoffs:
                rnd = n.round
                act: list[SignOff] = []
                by_role = {}
                people: list[str] = []
                suspect = False
                for s in signoffs:
                    if not s.superseded and s.round == rnd:
                        act.append(s)
                        role = s.role
                        by_role[role] = s
                        person = normalize_name(s.signer)
                        if role not in required or person in people or person == requester:
                            suspect = True
                        people.append(person)
                if act:
                    active[nid] = act
                    latest[nid] = by_role
                    if suspect:
                        review_signoffs.append(nid)
                else:
                    by_role = None

            # Approvals: ``approved``, and suspects of SOP206-SOP208.
            if required:
                gates.append(nid)
                if by_role is not None:
                    all_approve = True
                    conditions = False
                    for r in required:
                        s_r = by_role.get(r)
                        if s_r is None or s_r.decision not in APPROVALS:
                            all_approve = False
                        elif s_r.decision is with_conditions or s_r.conditions.strip():
                            conditions = True
                    if all_approve:
                        approved.add(nid)
                        if _records_incomplete(n):
                            review_records.append(nid)
                    if conditions:
                        review_conditions.append(nid)

    def role(self, role_id: str) -> str:
        return self.role_names.get(role_id, role_id)


def _records_incomplete(node: Node) -> bool:
    """True when a required checklist item is not done, or an evidence category it calls for
    is not attached exactly as written (the rule then compares the categories normalised)."""
    wanted = []
    for item in node.checklist:
        if item.required:
            if not item.done:
                return True
            if item.evidence_category:
                wanted.append(item.evidence_category)
    if not wanted:
        return False
    attached = set()
    for e in node.evidence:
        attached.add(e.category)
    return not attached.issuperset(wanted)
