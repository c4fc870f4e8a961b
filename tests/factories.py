"""Small hand-built documents for tests (templates and generated documents live elsewhere)."""

from __future__ import annotations

from sopdesigner.model import (
    ChecklistItem,
    Document,
    Edge,
    EdgeKind,
    Lane,
    Node,
    NodeKind,
    Point,
    Role,
)


def make_document() -> Document:
    """Start → step → checkpoint (security + legal) → decision (business) → deploy / iterate."""
    roles = [
        Role(id="data-science", name="Data Science"),
        Role(id="security", name="Security"),
        Role(id="legal", name="Legal"),
        Role(id="business", name="Business"),
    ]
    lanes = [Lane(id=f"lane-{r.id}", role=r.id) for r in roles]
    nodes = [
        Node(
            id="start",
            kind=NodeKind.START,
            title="Deployment request",
            lane="lane-data-science",
            position=Point(x=100, y=80),
        ),
        Node(
            id="validate",
            kind=NodeKind.STEP,
            title="Technical validation",
            lane="lane-data-science",
            position=Point(x=340, y=80),
            checklist=[
                ChecklistItem(
                    id="metrics",
                    text="Performance metrics reviewed",
                    evidence_category="Performance metrics and validation results",
                ),
                ChecklistItem(id="data", text="Data quality checked"),
                ChecklistItem(id="extra", text="Optional robustness probe", required=False),
            ],
        ),
        Node(
            id="risk",
            kind=NodeKind.CHECKPOINT,
            title="Risk and compliance review",
            lane="lane-security",
            position=Point(x=580, y=240),
            required_roles=["security", "legal"],
            checklist=[ChecklistItem(id="privacy", text="Privacy review done")],
        ),
        Node(
            id="decide",
            kind=NodeKind.DECISION,
            title="Final decision",
            lane="lane-business",
            position=Point(x=820, y=560),
            required_roles=["business"],
        ),
        Node(
            id="deploy",
            kind=NodeKind.END,
            title="Deploy",
            lane="lane-business",
            position=Point(x=1060, y=520),
        ),
        Node(
            id="iterate",
            kind=NodeKind.END,
            title="Iterate",
            lane="lane-data-science",
            position=Point(x=1060, y=80),
        ),
    ]
    edges = [
        Edge(id="e1", source="start", target="validate"),
        Edge(id="e2", source="validate", target="risk"),
        Edge(id="e3", source="risk", target="decide"),
        Edge(id="e4", source="decide", target="deploy", label="approve"),
        Edge(id="e5", source="decide", target="iterate", label="reject"),
        Edge(id="e6", source="decide", target="validate", label="revise", kind=EdgeKind.REWORK),
    ]
    return Document(id="doc-test", title="Test SOP", roles=roles, lanes=lanes, nodes=nodes, edges=edges)


def chain_document(n: int) -> Document:
    """``n`` steps in one lane, left to right, each connected to the next."""
    nodes = [
        Node(
            id=f"n{i}",
            kind=NodeKind.STEP,
            title=f"Step {i}",
            lane="lane-a",
            position=Point(x=120 + 260 * i, y=80),
        )
        for i in range(n)
    ]
    edges = [Edge(id=f"e{i}", source=f"n{i}", target=f"n{i + 1}") for i in range(n - 1)]
    return Document(
        id="chain",
        roles=[Role(id="a", name="A")],
        lanes=[Lane(id="lane-a", role="a")],
        nodes=nodes,
        edges=edges,
    )
