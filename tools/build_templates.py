"""Generate the built-in templates (``templates/<id>.json``) and ``resources/diagram.schema.json``.

The templates are written here as Python data, laid out with ``auto_layout`` and serialised
with ``dumps_diagram``, so the committed JSON is always canonical and tidy. Run from the
repository root after changing a template, the layout or the model, and commit the output:

    .venv/bin/python tools/build_templates.py          # write the files
    .venv/bin/python tools/build_templates.py --check  # exit 1 if a committed file is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from templates_data import TEMPLATES  # noqa: E402

from sopdesigner.export.diagram_json import dumps_diagram, dumps_schema  # noqa: E402
from sopdesigner.model.document import (  # noqa: E402
    ChecklistItem,
    Document,
    Edge,
    Identity,
    Lane,
    Node,
    Point,
    Request,
    Role,
)
from sopdesigner.model.enums import EdgeKind, NodeKind  # noqa: E402
from sopdesigner.model.ids import slugify  # noqa: E402
from sopdesigner.rules.layout import auto_layout  # noqa: E402
from sopdesigner.templates import BUILTIN_TEMPLATES, DEFAULT_ROLES, EVIDENCE_CATEGORIES  # noqa: E402

assert len(EVIDENCE_CATEGORIES) == 7


def build(spec: dict) -> Document:
    roles = [Role(id=rid, name=name) for rid, name in spec.get("roles", DEFAULT_ROLES)]
    lanes = [Lane(id=f"lane-{r.id}", role=r.id) for r in roles]
    nodes: list[Node] = []
    near: dict[str, str] = {}
    for n in spec["nodes"]:
        taken: set[str] = set()
        items = []
        for entry in n.get("checklist", ()):
            text, *rest = entry if isinstance(entry, tuple) else (entry,)
            opts = rest[0] if rest else {}
            category = opts.get("evidence")
            assert category is None or category in EVIDENCE_CATEGORIES, category
            iid = slugify(text, taken, fallback="item")
            taken.add(iid)
            items.append(
                ChecklistItem(
                    id=iid, text=text, required=opts.get("required", True), evidence_category=category
                )
            )
        nodes.append(
            Node(
                id=n["id"],
                kind=NodeKind(n["kind"]),
                title=n["title"],
                lane=f"lane-{n['lane']}",
                description=n.get("description", ""),
                required_roles=list(n.get("roles", ())),
                checklist=items,
            )
        )
        if "near" in n:
            near[n["id"]] = n["near"]
    edges = []
    for source, target, *rest in spec["edges"]:
        label = rest[0] if rest else ""
        kind = EdgeKind.REWORK if len(rest) > 1 and rest[1] == "rework" else EdgeKind.FLOW
        edges.append(Edge(id=f"{source}--{target}", source=source, target=target, label=label, kind=kind))
    doc = Document(
        id=f"template-{spec['id']}",
        title=spec["title"],
        identity=Identity(sop_version="1.0", owner=spec["owner"]),
        request=Request(**spec["request"]),
        roles=roles,
        lanes=lanes,
        nodes=nodes,
        edges=edges,
    )
    _apply(doc)
    if near:
        # A note follows its nearest node: put it next to the node it annotates, lay out again.
        index = {n.id: n for n in doc.nodes}
        for note_id, anchor in near.items():
            a = index[anchor].position
            index[note_id].position = Point(x=a.x, y=a.y + 1)
        _apply(doc)
    return doc


def _apply(doc: Document) -> None:
    layout = auto_layout(doc)
    for lane in doc.lanes:
        lane.height = layout.lane_heights[lane.id]
    for n in doc.nodes:
        x, y = layout.positions[n.id]
        n.position = Point(x=x, y=y)


def outputs() -> dict[Path, bytes]:
    assert [s["id"] for s in TEMPLATES] == list(BUILTIN_TEMPLATES), "template order must match"
    files = {ROOT / "templates" / f"{s['id']}.json": dumps_diagram(build(s)) for s in TEMPLATES}
    files[ROOT / "resources" / "diagram.schema.json"] = dumps_schema()
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, data in outputs().items():
        if path.exists() and path.read_bytes() == data:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    verb = "stale" if check else "written"
    for path in stale:
        print(f"{verb}: {path.relative_to(ROOT)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
