"""PDF report and audit package export of a large SOP, against a bare-reportlab floor.

The document: ``N`` nodes (default 500) in six lanes, laid out in columns, chained by flow
connectors; every node has 5 records made through real ops (2 checklist ticks, 1 evidence
file, 2 sign-offs), so the audit trail is a genuine hash chain of 5 events per node. The
floor is bare reportlab platypus writing the same number of pages (one landscape page of
N rectangles, then one page per node with a heading, a paragraph and a small table) — what
PERFORMANCE.md's T16 measures. Medians of ``--rounds`` runs; the ratio product / floor is
the figure to compare across machines.

    .venv/bin/python benchmarks/bench_pdf.py [--nodes 500] [--rounds 3] [--package]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sopdesigner.editing.session import EditSession
from sopdesigner.model import (
    ChecklistItem,
    Decision,
    Document,
    Edge,
    Evidence,
    Lane,
    Node,
    NodeKind,
    Point,
    Role,
)
from sopdesigner.ops import AttachEvidence, SetItemDone, SignNode

ROLES = ["Data Science", "Engineering", "Security", "Legal", "Compliance", "Business"]


class Blobs:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def has_blob(self, sha: str) -> bool:
        return sha in self.data

    def iter_blob(self, sha: str):
        yield self.data[sha]


def make_document(n: int) -> tuple[Document, Blobs]:
    roles = [Role(id=f"r{i}", name=name) for i, name in enumerate(ROLES)]
    lanes = [Lane(id=f"l{i}", role=r.id) for i, r in enumerate(roles)]
    nodes = []
    for i in range(n):
        col, row = divmod(i, len(lanes))
        kind = NodeKind.CHECKPOINT if i % 3 == 1 else NodeKind.STEP
        nodes.append(
            Node(
                id=f"n{i}",
                kind=kind,
                title=f"Step {i}: review of component {i % 37}",
                lane=lanes[row].id,
                position=Point(x=120 + 240 * col, y=80 + 160 * row),
                description="Check the model against the acceptance criteria and record the evidence.",
                required_roles=[roles[(row + 1) % 6].id, roles[(row + 2) % 6].id],
                checklist=[
                    ChecklistItem(id="a", text="Acceptance criteria met"),
                    ChecklistItem(id="b", text="Evidence attached and reviewed"),
                ],
            )
        )
    edges = [Edge(id=f"e{i}", source=f"n{i}", target=f"n{i + 1}") for i in range(n - 1)]
    doc = Document(
        id="bench", title=f"Benchmark SOP ({n} nodes)", roles=roles, lanes=lanes, nodes=nodes, edges=edges
    )
    blobs = Blobs()
    session = EditSession(doc, actor="Bench Runner")
    for node in doc.nodes:
        session.apply(SetItemDone(node.id, "a", True))
        session.apply(SetItemDone(node.id, "b", True))
        content = f"evidence for {node.id}\n".encode() * 20
        sha = hashlib.sha256(content).hexdigest()
        blobs.data[sha] = content
        session.apply(
            AttachEvidence(
                node.id,
                Evidence(
                    id=f"ev-{node.id}",
                    sha256=sha,
                    size=len(content),
                    filename=f"{node.id}-report.txt",
                    title="Report",
                    category="Performance metrics and validation results",
                ),
            )
        )
        for role in node.required_roles:
            session.apply(SignNode(node.id, "Юлия Смирнова", role, Decision.APPROVE, comment="Looks good"))
    return doc, blobs


def floor(n: int, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Table

    class Boxes(Flowable):
        def wrap(self, w, h):
            return (w, h - 1)

        def draw(self):
            for i in range(n):
                col, row = divmod(i, 6)
                self.canv.rect(col * 4, row * 40, 3, 30)

    styles = getSampleStyleSheet()
    story: list = [Boxes(), PageBreak()]
    for i in range(n):
        story += [
            Paragraph(f"Step {i}", styles["Heading2"]),
            Paragraph("Description " * 10, styles["Normal"]),
            Table([["Item", "Done", "By"], ["Acceptance", "yes", "Bench"], ["Evidence", "yes", "Bench"]]),
            PageBreak(),
        ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def section_pages(path: Path) -> tuple[int, list[tuple[str, int]]]:
    """The report's page count, and how many pages each top-level section (bookmark) takes."""
    import pypdf

    reader = pypdf.PdfReader(path)
    starts = [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
    ends = [page for _, page in starts[1:]] + [len(reader.pages)]
    return len(reader.pages), [(title, end - start) for (title, start), end in zip(starts, ends, strict=True)]


def timed(fn, rounds: int) -> tuple[float, float]:
    """Median wall and CPU seconds. On a shared, loaded machine CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--package", action="store_true", help="also time the full audit package")
    args = parser.parse_args()

    from sopdesigner.export.package import write_package
    from sopdesigner.export.pdf_report import write_pdf

    t = time.perf_counter()
    doc, blobs = make_document(args.nodes)
    built = time.perf_counter() - t
    out = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    write_pdf(doc, out / "warm.pdf")  # imports, font registration
    floor(10, out / "warm-floor.pdf")
    product = timed(lambda: write_pdf(doc, out / "report.pdf"), args.rounds)
    base = timed(lambda: floor(args.nodes, out / "floor.pdf"), args.rounds)
    pages, sections = section_pages(out / "report.pdf")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {platform.machine()} {platform.system()} {platform.release()}, {os.cpu_count()} CPUs, "
        f"load {load:.1f}, Python {platform.python_version()}"
    )
    print(f"document: {args.nodes} nodes, {len(doc.audit)} audit events (built in {built:.2f} s)")
    print(
        f"write_pdf: wall {product[0]:.2f} s, CPU {product[1]:.2f} s (median of {args.rounds}; {pages} pages, "
        f"{(out / 'report.pdf').stat().st_size / 1e6:.1f} MB)"
    )
    print("pages per section: " + ", ".join(f"{title} {count}" for title, count in sections))
    ratio = product[1] / base[1]
    print(
        f"floor (bare platypus, {args.nodes + 1} pages): wall {base[0]:.2f} s, CPU {base[1]:.2f} s; "
        f"CPU ratio {ratio:.2f}"
    )
    if args.package:
        pkg = timed(lambda: write_package(doc, blobs, out / "package.zip"), 1)
        print(f"write_package: wall {pkg[0]:.2f} s, CPU {pkg[1]:.2f} s (one run)")
    print("T16 target, CPU ratio to the floor <= 2:", "met" if ratio <= 2 else "NOT met")


if __name__ == "__main__":
    main()
