"""Realistic large SOP documents for benchmarks: ``generate_document(n_nodes, seed=, records=)``.

Shape: six role lanes; one start, layered columns of up to six nodes (one per lane), then the
two ends "Deploy" and "Iterate". Every node except the ends has a 5-item checklist (4
required, two calling for evidence categories from the seed's "Data needed" list), 2 evidence
items of those categories, and — except the start — 1–3 required roles with one sign-off per
role. About 30 % of nodes are checkpoints, 8 % decisions (approve to the next column, a
``rework`` connector labelled "revise" back one column), the rest steps; each node has one or
two outgoing flow connectors to the next column.

The review is realistically half-way: the first 80 % of the columns are approved (every
required item ticked, every role approved, one in ten with conditions); in the last 20 %
two items are ticked and the last required role requested changes. So ``validate`` finds no
errors, and ``gate`` says no with reasons.

With ``records=True`` (the default) the document is built by applying real ops through an
``EditSession`` (roles, lanes, nodes, ticks, evidence, sign-offs, connectors), so its audit
trail is a genuine hash chain of ~10 events per node. With ``records=False`` the same
document is built directly and has no audit trail (fast; for layout or scene benchmarks).
Same ``n_nodes`` and ``seed`` → the same document (ids, names and time stamps included).

``evidence_blobs(doc)`` gives the evidence bytes as a ``BlobSource`` so the document can be
saved with ``DocumentFile.create(path, doc, blobs=evidence_blobs(doc))``.

Run it to write a ``.sop`` file: ``python benchmarks/generate.py 5000 /tmp/big.sop``.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sopdesigner.model.clock import format_utc
from sopdesigner.model.document import (
    ChecklistItem,
    Document,
    Edge,
    Evidence,
    Lane,
    Node,
    Point,
    Request,
    Role,
    SignOff,
)
from sopdesigner.model.enums import Decision, EdgeKind, NodeKind
from sopdesigner.templates import EVIDENCE_CATEGORIES

ROLES = (
    ("data-science", "Data Science"),
    ("engineering", "Engineering"),
    ("security", "Security"),
    ("legal", "Legal"),
    ("compliance", "Compliance"),
    ("business", "Business"),
)
ROLE_NAMES = dict(ROLES)
CATEGORIES = EVIDENCE_CATEGORIES
ITEM_TEXTS = (
    "Performance metrics reviewed against thresholds",
    "Data quality and lineage checked",
    "Robustness and stress tests run",
    "Bias and fairness assessment attached",
    "Privacy impact assessment done",
    "Threat model reviewed",
    "Monitoring and alerting configured",
    "Rollback plan tested",
    "Owner for ongoing maintenance named",
    "Integration points verified",
    "Regulatory obligations mapped",
    "Business impact forecast reviewed",
)
STEP_TITLES = ("Prepare", "Review", "Assess", "Verify", "Test", "Document", "Check", "Validate")
SUBJECTS = (
    "performance",
    "data quality",
    "robustness",
    "privacy",
    "security",
    "fairness",
    "monitoring",
    "rollback plan",
    "integration",
    "regulatory fit",
    "business impact",
    "documentation",
)
FIRST = ("Alex", "Sam", "Jordan", "Robin", "Kai", "Noor", "Mina", "Tomás", "Ingrid", "Yuki")
LAST = ("Kim", "Novak", "Okafor", "Silva", "Berg", "Haddad", "Ito", "Müller", "Rossi", "Walsh")
LANE_HEIGHT = 160.0
COLUMN_PITCH = 240.0
REQUESTER = "Riley Requester"


class _Clock:
    """Deterministic, strictly increasing UTC time stamps (one second apart)."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> str:
        self.moment += timedelta(seconds=1)
        return format_utc(self.moment)


def evidence_bytes(evidence_id: str) -> bytes:
    """The content of a generated evidence file (small, unique per evidence id)."""
    return f"Generated evidence {evidence_id}\n".encode()


class MemoryBlobs:
    """A ``BlobSource`` over in-memory bytes."""

    def __init__(self, blobs: dict[str, bytes]):
        self.blobs = blobs

    def has_blob(self, sha256: str) -> bool:
        return sha256 in self.blobs

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        yield self.blobs[sha256]


def evidence_blobs(doc: Document) -> MemoryBlobs:
    """The bytes of every evidence item of a generated document."""
    blobs = {}
    for node in doc.nodes:
        for ev in node.evidence:
            data = evidence_bytes(ev.id)
            assert hashlib.sha256(data).hexdigest() == ev.sha256, "not a generated document"
            blobs[ev.sha256] = data
    return MemoryBlobs(blobs)


# -- the plan: what the document contains, decided once from the seed --------------------------


class _Plan:
    def __init__(self, n_nodes: int, seed: int):
        if n_nodes < 4:
            raise ValueError("A generated document needs at least 4 nodes (start, one step, two ends).")
        rng = random.Random(seed)
        self.rng = rng
        middle = n_nodes - 3
        width = len(ROLES)
        self.columns: list[list[Node]] = []
        for c in range((middle + width - 1) // width):
            count = min(width, middle - c * width)
            self.columns.append([self._node(c, lane, rng) for lane in range(count)])
        self.column = {n.id: c for c, col in enumerate(self.columns) for n in col}
        # The last column's first node is the decision that can send the model back (Iterate).
        last = self.columns[-1][0]
        last.kind = NodeKind.DECISION
        last.title = f"Final decision {len(self.columns)}.1"
        self.cutoff = max(1, int(len(self.columns) * 0.8))
        self.start = Node(
            id="start",
            kind=NodeKind.START,
            title="Define deployment request",
            lane="lane-data-science",
            position=Point(x=0.0, y=LANE_HEIGHT / 2),
        )
        self.start.checklist, self.start.evidence = self._checklist("start", rng)
        end_x = COLUMN_PITCH * (len(self.columns) + 1)
        self.deploy = Node(
            id="deploy",
            kind=NodeKind.END,
            title="Deploy",
            lane="lane-business",
            position=Point(x=end_x, y=LANE_HEIGHT * 5.5),
        )
        self.iterate = Node(
            id="iterate",
            kind=NodeKind.END,
            title="Iterate",
            lane="lane-data-science",
            position=Point(x=end_x, y=LANE_HEIGHT / 2),
        )
        self.edges = self._edges(rng)
        self.signers = {
            rid: [f"{f} {la}" for f, la in zip(rng.sample(FIRST, 3), rng.sample(LAST, 3), strict=True)]
            for rid, _ in ROLES
        }
        # A person belongs to one role: separation of duties holds in the generated records.
        taken: set[str] = set()
        for rid, _ in ROLES:
            self.signers[rid] = [f"{name} ({rid})" if name in taken else name for name in self.signers[rid]]
            taken.update(self.signers[rid])

    def _node(self, column: int, lane: int, rng: random.Random) -> Node:
        draw = rng.random()
        kind = NodeKind.DECISION if draw < 0.08 else NodeKind.CHECKPOINT if draw < 0.38 else NodeKind.STEP
        nid = f"n{column:04d}-{lane}"
        verb = "Decide on" if kind is NodeKind.DECISION else rng.choice(STEP_TITLES)
        title = f"{verb} {rng.choice(SUBJECTS)} {column + 1}.{lane + 1}"
        own = ROLES[lane][0]
        others = [r for r, _ in ROLES if r != own]
        roles = [own, *rng.sample(others, rng.randint(0, 2))]
        node = Node(
            id=nid,
            kind=kind,
            title=title,
            lane=f"lane-{own}",
            required_roles=roles,
            position=Point(x=COLUMN_PITCH * (column + 1), y=LANE_HEIGHT * lane + LANE_HEIGHT / 2),
        )
        node.checklist, node.evidence = self._checklist(nid, rng)
        return node

    @staticmethod
    def _checklist(nid: str, rng: random.Random) -> tuple[list[ChecklistItem], list[Evidence]]:
        categories = rng.sample(CATEGORIES, 2)
        texts = rng.sample(ITEM_TEXTS, 5)
        items = [
            ChecklistItem(
                id=f"{nid}-i{k}",
                text=texts[k],
                required=k != 4,
                evidence_category=categories[k] if k < 2 else None,
            )
            for k in range(5)
        ]
        evidence = []
        for k, category in enumerate(categories):
            eid = f"{nid}-ev{k}"
            data = evidence_bytes(eid)
            evidence.append(
                Evidence(
                    id=eid,
                    sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data),
                    filename=f"{nid}-evidence-{k}.txt",
                    title=f"{category} ({nid})",
                    category=category,
                    media_type="text/plain",
                )
            )
        return items, evidence

    def _edges(self, rng: random.Random) -> list[Edge]:
        edges: list[Edge] = []
        pairs: set[tuple[str, str]] = set()

        def connect(src: Node, dst: Node, label: str = "", kind: EdgeKind = EdgeKind.FLOW) -> None:
            if (src.id, dst.id) in pairs:
                return
            pairs.add((src.id, dst.id))
            edges.append(Edge(id=f"e{len(edges):06d}", source=src.id, target=dst.id, label=label, kind=kind))

        def forward_label(src: Node, approve: str = "approve") -> str:
            return approve if src.kind is NodeKind.DECISION else ""

        for node in self.columns[0]:
            connect(self.start, node)
        for c, column in enumerate(self.columns):
            back = self.columns[c - 1] if c else [self.start]
            if c + 1 < len(self.columns):
                nxt = self.columns[c + 1]
                entered = set()
                for lane, node in enumerate(column):
                    target = nxt[lane] if lane < len(nxt) else rng.choice(nxt)
                    connect(node, target, forward_label(node))
                    entered.add(target.id)
                    if rng.random() < 0.2:
                        extra = rng.choice(nxt)
                        connect(node, extra, forward_label(node))
                        entered.add(extra.id)
                for target in nxt:
                    if target.id not in entered:
                        connect(rng.choice(column), target, "")
            else:
                for node in column:
                    connect(node, self.deploy, forward_label(node))
                connect(column[0], self.iterate, "reject")
            for node in column:
                if node.kind is NodeKind.DECISION:
                    connect(node, rng.choice(back), "revise", EdgeKind.REWORK)
        # A decision's unlabelled extra connectors would read as neither path: label them all.
        by_id = {n.id: n for col in self.columns for n in col}
        for e in edges:
            src = by_id.get(e.source)
            if src is not None and src.kind is NodeKind.DECISION and e.kind is EdgeKind.FLOW and not e.label:
                e.label = "approve"
        return edges

    def nodes_in_order(self) -> list[Node]:
        return [self.start, *(n for col in self.columns for n in col), self.deploy, self.iterate]

    def column_of(self, node: Node) -> int:
        """The node's column: -1 for the start, one past the last column for the ends."""
        if node.kind is NodeKind.START:
            return -1
        if node.kind is NodeKind.END:
            return len(self.columns)
        return self.column[node.id]

    def records_for(self, node: Node, rng: random.Random) -> tuple[list[str], list[SignOff]]:
        """The items to tick and the sign-offs to record (``at`` filled in later)."""
        approved = self.column_of(node) < self.cutoff
        items = (
            [i.id for i in node.checklist if (i.required or rng.random() < 0.5)]
            if approved
            else [i.id for i in node.checklist[:2]]
        )
        signoffs = []
        for k, role in enumerate(node.required_roles):
            last = k == len(node.required_roles) - 1
            decision = Decision.APPROVE
            conditions = ""
            if not approved and last:
                decision = Decision.REQUEST_CHANGES
            elif approved and rng.random() < 0.1:
                decision, conditions = Decision.APPROVE_WITH_CONDITIONS, "Re-check monitoring after 30 days"
            verb = {
                Decision.APPROVE: "Approved",
                Decision.APPROVE_WITH_CONDITIONS: "Approved with conditions",
                Decision.REQUEST_CHANGES: "Changes requested",
            }[decision]
            signoffs.append(
                SignOff(
                    id=f"{node.id}-s{k}",
                    signer=rng.choice(self.signers[role]),
                    meaning=f"{verb} as {ROLE_NAMES[role]}",
                    role=role,
                    decision=decision,
                    conditions=conditions,
                    comment="" if decision.is_approval else "Add the missing stress test",
                    at="",
                )
            )
        return items, signoffs


def _shell(plan: _Plan) -> Document:
    return Document(
        id=f"generated-{len(plan.nodes_in_order())}",
        title=f"Generated SOP ({len(plan.nodes_in_order())} nodes)",
        request=Request(
            model_name="benchmark-model",
            model_version="1.0.0",
            purpose="Benchmark",
            intended_use="Load testing the editor",
            target_environment="staging",
            scope="Synthetic",
            requester=REQUESTER,
        ),
    )


def generate_document(n_nodes: int, *, seed: int = 0, records: bool = True) -> Document:
    """A realistic SOP of ``n_nodes`` nodes, half-way through review (see the module docstring)."""
    plan = _Plan(n_nodes, seed)
    if records:
        return _through_ops(plan)
    return _direct(plan)


def _direct(plan: _Plan) -> Document:
    rng = random.Random(plan.rng.random())
    clock = _Clock()
    doc = _shell(plan)
    doc.roles = [Role(id=rid, name=name) for rid, name in ROLES]
    doc.lanes = [Lane(id=f"lane-{rid}", role=rid, height=LANE_HEIGHT) for rid, _ in ROLES]
    for node in plan.nodes_in_order():
        ticks, signoffs = plan.records_for(node, rng)
        for item in node.checklist:
            if item.id in ticks:
                item.done, item.done_by, item.done_at = True, "Generator", clock()
        for ev in node.evidence:
            ev.added_by, ev.added_at = "Generator", clock()
        for s in signoffs:
            s.at = clock()
        node.signoffs = signoffs
        doc.nodes.append(node)
    doc.edges = plan.edges
    return doc


def _through_ops(plan: _Plan) -> Document:
    from sopdesigner.editing.session import EditSession
    from sopdesigner.ops import AddLane, AddNodes, AddRole, AttachEvidence, SetItemDone, SignNode

    rng = random.Random(plan.rng.random())
    doc = _shell(plan)
    session = EditSession(doc, actor="Generator", clock=_Clock())
    for rid, name in ROLES:
        session.apply(AddRole(Role(id=rid, name=name)))
        session.apply(AddLane(Lane(id=f"lane-{rid}", role=rid, height=LANE_HEIGHT)))
    # Records are planned in document order (so both builds draw the same random numbers), but
    # applied from the last nodes backwards, a chunk at a time inserted at the front:
    # ``Document.node`` scans from the front, so each record op finds its node within one
    # chunk instead of scanning O(N) nodes, and adding a chunk checks ids once per chunk.
    planned = [(node, *plan.records_for(node, rng)) for node in plan.nodes_in_order()]
    chunk = 64
    for stop in range(len(planned), 0, -chunk):
        part = planned[max(0, stop - chunk) : stop]
        bare = [node.model_copy(update={"evidence": [], "signoffs": []}) for node, _, _ in part]
        session.apply(AddNodes(bare, node_indices=list(range(len(bare)))))
        for node, ticks, signoffs in part:
            for item_id in ticks:
                session.apply(SetItemDone(node.id, item_id, True))
            for ev in node.evidence:
                session.apply(AttachEvidence(node.id, ev))
            for s in signoffs:
                session.apply(
                    SignNode(
                        node.id,
                        s.signer,
                        s.role,
                        s.decision,
                        meaning=s.meaning,
                        comment=s.comment,
                        conditions=s.conditions,
                        signoff_id=s.id,
                    )
                )
    session.apply(AddNodes([], plan.edges))
    return doc


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python benchmarks/generate.py N_NODES OUT.sop", file=sys.stderr)
        return 2
    from sopdesigner.storage.document_file import DocumentFile

    doc = generate_document(int(argv[0]))
    DocumentFile.create(argv[1], doc, blobs=evidence_blobs(doc)).close()
    print(
        f"Wrote {argv[1]}: {len(doc.nodes)} nodes, {len(doc.edges)} connectors, {len(doc.audit)} audit events."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
