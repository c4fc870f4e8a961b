"""Benchmark auto layout and diagram.json export/import at 1k / 5k / 10k nodes.

Floors (as PERFORMANCE.md asks): for export, plain ``json.dumps(model_dump(mode="json"))``;
for import, plain ``json.loads`` + dropping ``status`` + ``Document.model_validate``, no hostile-input
checks.
Layout has no library floor; its absolute time is reported. Run:

    .venv/bin/python benchmarks/bench_layout_json.py
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sopdesigner.export.diagram_json import dumps_diagram, load_diagram
from sopdesigner.model import ChecklistItem, Document, Edge, Lane, Node, NodeKind, Role
from sopdesigner.rules.layout import auto_layout


def make(n: int) -> Document:
    rng = random.Random(n)
    roles = [Role(id=f"r{i}", name=f"Role {i}") for i in range(6)]
    lanes = [Lane(id=f"lane-r{i}", role=f"r{i}") for i in range(6)]
    kinds = [NodeKind.STEP, NodeKind.CHECKPOINT, NodeKind.DECISION]
    nodes = [
        Node(
            id=f"n{i}",
            kind=rng.choice(kinds),
            title=f"Step {i}",
            lane=f"lane-r{rng.randrange(6)}",
            checklist=[ChecklistItem(id=f"c{k}", text=f"Item {k}") for k in range(3)],
        )
        for i in range(n)
    ]
    edges = []
    for i in range(1, n):
        for k in range(rng.randint(1, 2)):
            edges.append(Edge(id=f"e{i}-{k}", source=f"n{rng.randrange(max(0, i - 50), i)}", target=f"n{i}"))
    return Document(id="bench", roles=roles, lanes=lanes, nodes=nodes, edges=edges)


def _without_status(raw: dict) -> dict:
    for node in raw["nodes"]:
        node.pop("status")
    return raw


def median(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    print(
        f"{platform.node()} {platform.processor() or platform.machine()} Python {platform.python_version()}"
    )
    print(
        f"{'N':>6} {'layout ms':>10} {'export ms':>10} {'floor':>8} {'ratio':>6} {'import ms':>10} "
        f"{'floor':>8} {'ratio':>6}"
    )
    for n in (1_000, 5_000, 10_000):
        doc = make(n)
        layout = median(lambda doc=doc: auto_layout(doc))
        export = median(lambda doc=doc: dumps_diagram(doc))
        export_floor = median(lambda doc=doc: json.dumps(doc.model_dump(mode="json")).encode())
        data = dumps_diagram(doc)
        imp = median(lambda data=data: load_diagram(data))
        imp_floor = median(lambda data=data: Document.model_validate(_without_status(json.loads(data))))
        print(
            f"{n:>6} {layout * 1e3:>10.0f} {export * 1e3:>10.0f} {export_floor * 1e3:>8.0f} "
            f"{export / export_floor:>6.1f} {imp * 1e3:>10.0f} {imp_floor * 1e3:>8.0f} {imp / imp_floor:>6.1f}"
        )


if __name__ == "__main__":
    main()
