"""The audit trail section of the PDF report: one row per event, its details told for a reader.

The report is for an auditor reading on paper: each event's ``details`` object is summarised
(``item "Threat model reviewed"``, ``signer Yuki Ito · Data Science · approve``) instead of
printed as JSON, and every cell is at most two lines. The complete events stay where a program
can check them: the audit package's ``data/audit-log.jsonl`` and the ``audit`` list of
``data/diagram.json``, which ``sopdesigner verify`` checks; the section says so at its top.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Flowable

from sopdesigner.export.pdf_fonts import para_text, plain_text
from sopdesigner.export.pdf_grid import Cell, Grid, Row, column, header_row
from sopdesigner.export.pdf_sections import Ctx, Heading, stamp
from sopdesigner.export.pdf_styles import MUTED, M
from sopdesigner.model.display import human_size
from sopdesigner.model.document import Document

MAX_LINES = 2
_VALUE_CHARS = 80  # one value in a change summary; the cell's two lines cut the rest


def _value(value: Any) -> str:
    if type(value) is str:  # most values: skip the ABC checks below (a trail has 100,000)
        text = " ".join(value.split()) if value else "—"
        return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items()) or "—"
    text = " ".join(str(value).split())
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def _quoted(value: Any) -> str:
    return f'"{_value(value)}"'


def _changes(details: Mapping[str, Any], skip: tuple[str, ...] = ()) -> str:
    """``field: old → new`` for each changed field (the ops record ``{"old", "new"}`` pairs)."""
    parts = []
    for key, value in details.items():
        if key in skip or key in ("undo", "redo"):
            continue
        label = key.replace("_", " ")
        if isinstance(value, Mapping) and set(value) == {"old", "new"}:
            parts.append(f"{label}: {_value(value['old'])} → {_value(value['new'])}")
        else:
            parts.append(f"{label}: {_value(value)}")
    return "; ".join(parts)


class Describer:
    """Turns one event's action and details into a short sentence, naming nodes and roles by
    their titles and names where the document still has them."""

    def __init__(self, doc: Document) -> None:
        self.titles = {n.id: n.title for n in doc.nodes}
        self.roles = {r.id: r.name for r in doc.roles}
        self.lanes = {lane.id: self.role(lane.role) for lane in doc.lanes}

    def role(self, role_id: Any) -> str:
        return self.roles.get(str(role_id), _value(role_id))

    def node(self, node_id: Any) -> str:
        return _quoted(self.titles.get(str(node_id), node_id))

    def __call__(self, action: str, details: Mapping[str, Any]) -> str:
        text = self._describe(action, details)
        if "undo" not in details and "redo" not in details:
            return text
        flags = [k for k in ("undo", "redo") if details.get(k)]
        return f"{text} ({', '.join(flags)})" if flags else text

    def _describe(self, action: str, d: Mapping[str, Any]) -> str:
        kind, _, verb = action.partition(".")
        if kind == "checklist":
            item = f"item {_quoted(d.get('text'))}"
            if verb == "added":
                return item + (" (required)" if d.get("required") else " (optional)")
            if verb == "changed":
                return _changes(d, skip=("item",)) or item
            return item
        if kind == "evidence":
            sha = str(d.get("sha256", ""))
            size = d.get("size")
            facts = [
                human_size(size) if isinstance(size, int) else None,
                f"sha256 {sha[:8]}…" if sha else None,
            ]
            facts_text = ", ".join(f for f in facts if f)
            # Title and category are in the node's record; the file and its hash identify it here.
            return f"evidence {_value(d.get('filename'))}" + (f" ({facts_text})" if facts_text else "")
        if kind == "signoff":
            parts = [
                f"signer {_value(d.get('signer'))}",
                self.role(d.get("role")),
                str(d.get("decision", "—")).replace("_", " "),
            ]
            if isinstance(d.get("round"), int) and d["round"] > 1:
                parts.append(f"round {d['round']}")
            if str(d.get("conditions") or "").strip():
                parts.append(f"conditions: {_value(d['conditions'])}")
            if str(d.get("comment") or "").strip():
                parts.append(f"comment: {_value(d['comment'])}")
            return " · ".join(parts)
        if kind == "review":
            if verb.startswith("round"):
                superseded = d.get("superseded")
                text = f"round {_value(d.get('round'))}"
                if isinstance(superseded, list) and superseded:
                    text += f" · {len(superseded)} sign-off{'s' if len(superseded) != 1 else ''} superseded"
                return text
            return _changes(d)
        if kind == "node" and verb in ("added", "removed"):
            lane = self.lanes.get(str(d.get("lane")), _value(d.get("lane")))
            return f"{_value(d.get('kind'))} {_quoted(d.get('title'))} · lane {lane}"
        if kind == "edge" and verb in ("added", "removed"):
            text = f"from {self.node(d.get('source'))} to {self.node(d.get('target'))}"
            if d.get("kind") and d.get("kind") != "flow":
                text += f" · {_value(d['kind'])}"
            return text + (f" · label {_quoted(d['label'])}" if d.get("label") else "")
        if kind == "role" and verb in ("added", "removed"):
            return f"role {_quoted(d.get('name'))}"
        if kind == "lane" and verb in ("added", "removed"):
            text = f"lane of role {self.role(d.get('role'))}"
            nodes = d.get("nodes")
            return text + (
                f" · {len(nodes)} nodes left without a lane" if isinstance(nodes, list) and nodes else ""
            )
        if action == "document.imported":
            sha = str(d.get("sha256", ""))
            return f"from {_value(d.get('source'))}" + (f" (sha256 {sha[:8]}…)" if sha else "")
        if action == "document.created":
            if d.get("template"):
                return f"from template {_value(d['template'])}"
            return f"from {_value(d.get('from'))}"
        skip = ("role",) if kind == "role" else ("edge",) if kind == "edge" else ()
        return _changes(d, skip=skip) or "—"


def audit_trail(ctx: Ctx) -> list[Flowable]:
    """The section: a heading, where the full events are and how to check them, then the rows."""
    d, s = ctx.doc, ctx.styles

    out: list[Flowable] = [
        Heading("Audit trail", s.h1, [("Audit trail", "audit", 0)]),
        M(
            f"{len(d.audit)} events, oldest first, one row each, with their details summarised. "
            "The complete events, every field as it was hashed, are in the audit package: "
            "<i>data/audit-log.jsonl</i> (one event per line) and the <i>audit</i> list of "
            "<i>data/diagram.json</i>. <b>sopdesigner verify PACKAGE.zip</b> recomputes each event's "
            "SHA-256 (over its canonical JSON, which includes the previous event's hash) and checks "
            f"the chain against the head: {para_text(d.audit_head)}",
            s.body,
        ),
    ]
    if not d.audit:
        return [*out, M("No audit events recorded yet.", s.body)]
    describe = Describer(d)
    w = ctx.wide
    # Seq (6 digits), a stamp, the longest action and the hash prefixes fit one line; Details
    # takes what is left, enough for an evidence file's name, size and hash prefix on one line.
    fixed = [36, 95, 62, 88, 124]
    widths = [*fixed, w - sum(fixed) - 106, 53, 53]
    head = header_row(["Seq", "Time (UTC)", "Actor", "Action", "Node", "Details", "Hash", "Previous"], widths)
    events = d.audit

    actor, action, node_col, details, stamps = (
        column(widths[k], max_lines=MAX_LINES) for k in (2, 3, 4, 5, 1)
    )

    titles = describe.titles

    def row_at(i: int) -> Row:
        e = events[i]
        at = e.at
        if (
            len(at) == 27
            and at[10] == "T"
            and at[19] == "."
            and at[26] == "Z"
            and at.isascii()
            and at.isprintable()
        ):
            # The stamps the product writes (``2026-01-05T10:14:28.123456Z``): known to fit.
            at_cell = Cell([f"{at[:10]} {at[11:19]}Z"])
        else:
            text = plain_text(stamp(at))
            at_cell = Cell([text]) if len(text) <= len("2026-01-05 10:14:28Z") else stamps(text)
        node = e.node
        return Row(
            [
                # Unique per event and known to fit one line: no measuring, no caching. The
                # hashes are validated lowercase hex, nothing to clean.
                Cell([str(e.seq)]),
                at_cell,
                actor(e.actor),
                action(e.action),
                node_col(titles.get(node, node) if node else "—"),
                details(describe(e.action, e.details)),
                Cell([e.hash[:8] + "…"]),
                Cell([e.prev_hash[:8] + "…"], colour=MUTED),
            ]
        )

    # One grid for the whole trail, its rows made as layout reaches them: memory stays flat.
    out.append(Grid(widths, len(events), row_at, page_h=ctx.wide_height, header=head, on_draw=ctx.check))
    return out
