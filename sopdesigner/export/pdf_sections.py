"""The PDF report's sections as platypus flowables: cover, summary, one section per node,
role matrix, open problems and the audit trail.

Headings carry their outline (bookmark) entries; ``Tick`` flowables report progress and give
cancel a chance while the pages are laid out. Every user value goes through ``P``/``para_text``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from sopdesigner.export.pdf_fonts import BOLD, para_text
from sopdesigner.export.pdf_styles import (
    CELL_LEADING,
    CELL_SIZE,
    HEAD_FILL,
    MUTED,
    C,
    Expand,
    M,
    P,
    Styles,
    grid_table,
    key_value_table,
)
from sopdesigner.model.display import human_size
from sopdesigner.model.document import Document, Node, SignOff
from sopdesigner.model.enums import NodeKind, Status
from sopdesigner.model.status import DECISION_LABELS, STATUS_STYLES, active_signoffs, latest_by_role

KIND_LABELS = {
    NodeKind.START: "Start",
    NodeKind.STEP: "Step",
    NodeKind.CHECKPOINT: "Checkpoint",
    NodeKind.DECISION: "Decision",
    NodeKind.END: "End",
    NodeKind.NOTE: "Note",
}
CHUNK_ROWS = 45  # long tables are split into chunks: reportlab's table splitting is quadratic


class Heading(Paragraph):
    """A heading that adds outline entries ``(title, key, level)`` where it lands."""

    def __init__(self, markup: str, style: ParagraphStyle, outline: Sequence[tuple[str, str, int]]):
        super().__init__(markup, style)
        self.outline = list(outline)


class Tick(Flowable):
    """Zero-size marker whose drawing calls back: progress per node section, and cancel."""

    def __init__(self, callback: Callable[[], None]):
        super().__init__()
        self.callback = callback

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return (0.0, 0.0)

    def draw(self) -> None:
        self.callback()


@dataclass
class Ctx:
    doc: Document
    styles: Styles
    width: float  # portrait frame width
    wide: float  # landscape frame width
    height: float  # portrait frame height
    exported_at: str
    statuses: dict[str, Status]
    problems: list[Any] | None
    check: Callable[[], None] = lambda: None  # raises to cancel; called between long-table chunks


# -- helpers -----------------------------------------------------------------------------------
def _status_text(status: Status) -> str:
    style = STATUS_STYLES[status]
    return f"{style.glyph} {style.label}"


def _status_cmds(status: Status, col: int, row: int) -> list[tuple]:
    """A status cell: its colour behind, and the text colour that reads on it."""
    style = STATUS_STYLES[status]
    return [
        ("BACKGROUND", (col, row), (col, row), HexColor(style.colour)),
        ("TEXTCOLOR", (col, row), (col, row), HexColor(style.text_on)),
    ]


def _status_style(ctx: Ctx, status: Status) -> ParagraphStyle:
    key = f"status-{status.value}"
    if key not in ctx.styles.extra:
        ctx.styles.extra[key] = ParagraphStyle(
            key, parent=ctx.styles.cell, textColor=HexColor(STATUS_STYLES[status].text_on)
        )
    return ctx.styles.extra[key]


def _status_cell(ctx: Ctx, status: Status) -> Paragraph:
    style = STATUS_STYLES[status]
    return M(para_text(f"{style.glyph} {style.label}"), _status_style(ctx, status))


def _status_bg(status: Status, col: int, row: int) -> tuple:
    return ("BACKGROUND", (col, row), (col, row), HexColor(STATUS_STYLES[status].colour))


def _owner(ctx: Ctx, node: Node) -> str:
    role = ctx.doc.owner_role(node)
    return ctx.doc.role_name(role) if role else "—"


def stamp(value: str | None) -> str:
    """A stored UTC stamp for reading: ``2026-11-26 14:22:56Z`` (full precision stays in the JSON)."""
    if not value:
        return "—"
    text = value.replace("T", " ", 1)
    if "." in text and text.endswith("Z"):
        text = text.split(".", 1)[0] + "Z"
    return text


def _chunks(rows: list, size: int = CHUNK_ROWS) -> Iterable[list]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _signoff_state(node: Node, s: SignOff) -> str:
    if s.superseded:
        return "Superseded"
    if s.round != node.round:
        return "Earlier round"
    return "Active"


# -- cover -------------------------------------------------------------------------------------
def _gate_summary(ctx: Ctx) -> list[Flowable]:
    """The answer ``sopdesigner gate`` gives for this document, so the auditor reads it first."""
    try:
        from sopdesigner.rules.gate import gate
    except ImportError:
        return []
    s = ctx.styles
    result = gate(ctx.doc)
    if result.ship:
        verdict = "May ship: yes — every required approval and checklist item is recorded."
    else:
        n = len(result.reasons)
        verdict = f"May ship: no — {n} reason{'s' if n != 1 else ''}."
    out: list[Flowable] = [M("Ship gate", s.h2), M(f"<b>{verdict}</b>", s.body)]
    shown = result.reasons[:8]
    for reason in shown:
        out.append(P(f"• {reason}", s.cell))
    if len(result.reasons) > len(shown):
        out.append(
            P(
                f"… and {len(result.reasons) - len(shown)} more (run sopdesigner gate for the full list).",
                s.cell,
            )
        )
    for condition in result.conditions:
        out.append(P(f"Condition: {condition}", s.cell))
    return out


def cover(ctx: Ctx) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    out: list[Flowable] = [
        Heading(para_text(d.title), s.title, [("Cover", "cover", 0)]),
        M("AI model deployment approval — audit report", s.subtitle),
        M("Final decision", s.h2),
    ]
    decisions = [n for n in d.nodes if n.kind is NodeKind.DECISION]
    if decisions:
        rows: list[list] = [[M("Decision", s.head), M("Status", s.head), M("Conditions", s.head)]]
        extra = []
        for r, node in enumerate(decisions, start=1):
            status = ctx.statuses[node.id]
            conds = [x for x in latest_by_role(node).values() if x.conditions.strip()]
            cond_text = "\n".join(
                f"{x.conditions.strip()} — {x.signer} ({d.role_name(x.role)})" for x in conds
            )
            rows.append(
                [P(node.title, s.cell_bold), _status_cell(ctx, status), P(cond_text or "None", s.cell)]
            )
            extra.append(_status_bg(status, 1, r))
        out.append(grid_table(rows, [170, 120, ctx.width - 290], zebra=False, extra=extra))
    else:
        out.append(M("This SOP has no decision node, so it records no final decision.", s.body))
    out += _gate_summary(ctx)
    req = d.request
    out += [
        M("Deployment request", s.h2),
        key_value_table(
            [
                ("Model name", req.model_name),
                ("Model version", req.model_version),
                ("Purpose", req.purpose),
                ("Intended use", req.intended_use),
                ("Target environment", req.target_environment),
                ("Scope", req.scope),
                ("Requester", req.requester),
            ],
            s,
            (120, ctx.width - 120),
        ),
        M("SOP identity", s.h2),
        key_value_table(
            [
                ("SOP version", d.identity.sop_version),
                ("Owner", d.identity.owner),
                ("Effective date", d.identity.effective_date),
                ("Next review date", d.identity.next_review_date),
            ],
            s,
            (120, ctx.width - 120),
        ),
        M("This report", s.h2),
        key_value_table(
            [
                ("Exported at (UTC)", ctx.exported_at),
                ("Document id", d.id),
                (
                    "Document version",
                    f"revision {len(d.audit)} (audit events), schema version {d.schema_version}",
                ),
            ],
            s,
            (120, ctx.width - 120),
        ),
        Spacer(1, 6),
        M("<b>Audit head (SHA-256 of the last audit event):</b>", s.body),
        M(para_text(d.audit_head), s.mono),
        Spacer(1, 4),
        M(
            "The audit trail is a hash chain: each event's hash covers its content and the hash before "
            "it, so the head above fixes the whole trail. <b>sopdesigner verify</b> "
            "checks an audit package against it.",
            s.small,
        ),
    ]
    return out


# -- summary -----------------------------------------------------------------------------------
def summary(ctx: Ctx) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    out: list[Flowable] = [Heading("Summary", s.h1, [("Summary", "summary", 0)])]
    counts: dict[Status, int] = {}
    for n in d.nodes:
        if n.kind is not NodeKind.NOTE:
            counts[ctx.statuses[n.id]] = counts.get(ctx.statuses[n.id], 0) + 1
    tally = ", ".join(f"{STATUS_STYLES[st].glyph} {STATUS_STYLES[st].label}: {k}" for st, k in counts.items())
    out.append(P(f"{len(d.nodes)} nodes, {len(d.edges)} connections, {len(d.roles)} roles. {tally}", s.body))
    head = ["#", "Node", "Kind", "Owner", "Status", "Checklist", "Evidence", "Sign-offs"]
    w = [22, 112, 52, 66, 84, 50, 48, ctx.width - 434]
    body: list[tuple[list, Status | None]] = []
    for i, n in enumerate(d.nodes, start=1):
        done = sum(1 for item in n.checklist if item.done)
        active = active_signoffs(n)
        signed = "\n".join(
            f"{x.signer} ({d.role_name(x.role)}): {DECISION_LABELS[x.decision]}" for x in active
        )
        older = len(n.signoffs) - len(active)
        if older:
            signed += f"\n(+{older} superseded)" if signed else f"({older} superseded)"
        status = ctx.statuses[n.id] if n.kind is not NodeKind.NOTE else None
        row = [
            str(i),
            C(n.title, w[1], s.cell_bold),
            KIND_LABELS[n.kind],
            C(_owner(ctx, n), w[3], s.cell),
            _status_text(status) if status is not None else "—",
            f"{done}/{len(n.checklist)}" if n.checklist else "—",
            str(len(n.evidence)),
            C(signed or "—", w[7], s.cell),
        ]
        body.append((row, status))
    for chunk in _chunks(body):
        out.append(Tick(ctx.check))
        extra = [
            c for r, (_, st) in enumerate(chunk, start=1) if st is not None for c in _status_cmds(st, 4, r)
        ]
        out.append(grid_table([head] + [row for row, _ in chunk], w, extra=extra, bold_cols=[1]))
    return out


# -- one section per node ----------------------------------------------------------------------
def node_section(ctx: Ctx, index: int, node: Node, tick: Callable[[], None]) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    outline = [(f"{index}. {node.title}", f"node-{index}", 1)]
    out: list[Flowable] = [
        CondPageBreak(ctx.height * 0.3),
        Tick(tick),
        Heading(f"{index}. {para_text(node.title)}", s.h2, outline),
    ]
    status = ctx.statuses[node.id]
    required = ", ".join(d.role_name(r) for r in node.required_roles) or "None"
    note = node.kind is NodeKind.NOTE
    w = ctx.width
    widths = [90, w / 2 - 90, 80, w / 2 - 80]
    rows = [
        ["Kind", KIND_LABELS[node.kind], "Owner (lane)", C(_owner(ctx, node), widths[3], s.cell)],
        ["Status", "— (note)" if note else _status_text(status), "Review round", str(node.round)],
        ["Approvals required", C(required, widths[1], s.cell), "Node id", C(node.id, widths[3], s.cell)],
    ]
    extra = [("BACKGROUND", (0, 0), (0, -1), HEAD_FILL), ("BACKGROUND", (2, 0), (2, -1), HEAD_FILL)]
    if not note:
        extra += _status_cmds(status, 1, 1)
    out.append(grid_table(rows, widths, header=False, zebra=False, extra=extra, bold_cols=[0, 2]))
    out.append(Spacer(1, 4))
    out.append(P(node.description, s.body) if node.description.strip() else M("No description.", s.small))
    out += _checklist(ctx, node)
    out += _evidence(ctx, node)
    out += _signoffs(ctx, node)
    return out


def _checklist(ctx: Ctx, node: Node) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = [M("Checklist", s.h3)]
    if not node.checklist:
        return [*out, M("No checklist items.", s.small)]
    w = [18, ctx.width - 278, 46, 110, 104]
    head = ["", "Item", "Required", "Ticked by", "When (UTC)"]
    rows = [
        [
            "☑" if item.done else "☐",
            C(item.text, w[1], s.cell),
            "Yes" if item.required else "No",
            C(item.done_by or "—", w[3], s.cell),
            stamp(item.done_at),
        ]
        for item in node.checklist
    ]
    for chunk in _chunks(rows):
        out.append(grid_table([head, *chunk], w, extra=[("ALIGN", (0, 0), (0, -1), "CENTER")]))
    return out


def _evidence(ctx: Ctx, node: Node) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = [M("Evidence", s.h3)]
    if not node.evidence:
        return [*out, M("No evidence attached.", s.small)]
    w = [ctx.width * f for f in (0.3, 0.3, 0.26, 0.14)]
    head = ["File name", "Title", "Category", "Size"]
    pairs = []
    for ev in node.evidence:
        detail = f"SHA-256 {ev.sha256} · added by {ev.added_by or '—'} at {stamp(ev.added_at)}"
        pairs.append(
            [
                [
                    C(ev.filename, w[0], s.cell_bold),
                    C(ev.title or "—", w[1], s.cell),
                    C(ev.category or "—", w[2], s.cell),
                    human_size(ev.size),
                ],
                [C(detail, ctx.width, s.cell_muted), "", "", ""],
            ]
        )
    for chunk in _chunks(pairs, CHUNK_ROWS // 2):
        rows = [head] + [row for pair in chunk for row in pair]
        extra: list[tuple] = []
        for r in range(1, len(rows), 2):
            extra += [
                ("FONT", (0, r), (0, r), BOLD, CELL_SIZE, CELL_LEADING),
                ("SPAN", (0, r + 1), (-1, r + 1)),
                ("TEXTCOLOR", (0, r + 1), (-1, r + 1), MUTED),
            ]
        out.append(grid_table(rows, w, zebra=False, extra=extra))
    return out


def _signoffs(ctx: Ctx, node: Node) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    out: list[Flowable] = [M("Sign-offs", s.h3)]
    if not node.signoffs:
        wanted = (
            "awaiting " + ", ".join(d.role_name(r) for r in node.required_roles)
            if node.required_roles
            else ""
        )
        return [*out, P(f"No sign-offs recorded{'; ' + wanted if wanted else ''}.", s.small)]
    w = [ctx.width * f for f in (0.27, 0.19, 0.2, 0.22, 0.12)]
    head = ["Signer (printed name)", "Role", "Decision", "Time (UTC)", "State"]
    pairs = []
    for x in node.signoffs:
        state = _signoff_state(node, x)
        active = state == "Active"
        body = s.cell if active else s.cell_muted
        detail = (
            f"Meaning: {x.meaning or '—'} · Comment: {x.comment or '—'} · Conditions: {x.conditions or '—'}"
            f" · round {x.round}"
        )
        pairs.append(
            (
                [
                    [
                        C(x.signer, w[0], s.cell_bold if active else s.cell_muted),
                        C(d.role_name(x.role), w[1], body),
                        DECISION_LABELS[x.decision],
                        stamp(x.at),
                        state,
                    ],
                    [C(detail, ctx.width, body), "", "", "", ""],
                ],
                active,
            )
        )
    for chunk in _chunks(pairs, CHUNK_ROWS // 2):
        rows = [head] + [row for pair, _ in chunk for row in pair]
        extra: list[tuple] = [("SPAN", (0, r), (-1, r)) for r in range(2, len(rows), 2)]
        for k, (_, active) in enumerate(chunk):
            r = 1 + 2 * k
            extra.append(
                ("FONT", (0, r), (0, r), BOLD, CELL_SIZE, CELL_LEADING)
                if active
                else ("TEXTCOLOR", (0, r), (-1, r), MUTED)
            )
        out.append(grid_table(rows, w, zebra=False, extra=extra))
    return out


# -- role matrix and problems ------------------------------------------------------------------
def role_matrix(ctx: Ctx, width: float) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    out: list[Flowable] = [
        Heading("Role matrix", s.h1, [("Role matrix", "roles", 0)]),
        M(
            "<b>O</b> owns the step (its lane) · <b>A</b> approves it (a required sign-off) · "
            "<b>C</b> consulted (signed off without being required).",
            s.small,
        ),
        Spacer(1, 4),
    ]
    roles = d.roles
    if not roles:
        return [*out, M("This SOP defines no roles.", s.body)]
    first = min(160.0, width * 0.3)
    col = (width - first) / len(roles)
    head = ["Step"] + [P(r.name, s.head) for r in roles]
    rows = []
    for n in d.nodes:
        if n.kind is NodeKind.NOTE:
            continue
        owner = d.owner_role(n)
        signers = {x.role for x in n.signoffs}
        cells = []
        for r in roles:
            marks = ("O" if r.id == owner else "") + ("A" if r.id in n.required_roles else "")
            if r.id in signers and r.id not in n.required_roles:
                marks += "C"
            cells.append(" ".join(marks))
        rows.append([C(n.title, first, s.cell), *cells])
    for chunk in _chunks(rows):
        out.append(
            grid_table(
                [head, *chunk], [first] + [col] * len(roles), extra=[("ALIGN", (1, 1), (-1, -1), "CENTER")]
            )
        )
    return out


def problems_section(ctx: Ctx) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    out: list[Flowable] = [Spacer(1, 10), Heading("Open problems", s.h1, [("Open problems", "problems", 0)])]
    if ctx.problems is None:
        return [*out, M("Validation was not available when this report was made.", s.body)]
    if not ctx.problems:
        return [*out, M("Validation found no open problems.", s.body)]
    titles = {n.id: n.title for n in d.nodes}
    head = [M(h, s.head) for h in ("Severity", "Code", "Problem", "Where")]
    rows = []
    for p in ctx.problems:
        severity = getattr(p, "severity", "")
        severity = getattr(severity, "value", severity)
        where = ", ".join(titles.get(nid, nid) for nid in getattr(p, "node_ids", ()) or ())
        rows.append(
            [
                P(str(severity).capitalize(), s.cell_bold),
                P(getattr(p, "code", ""), s.cell),
                P(getattr(p, "message", str(p)), s.cell),
                P(where or "—", s.cell),
            ]
        )
    for chunk in _chunks(rows):
        out.append(grid_table([head, *chunk], [52, 110, ctx.width - 292, 130]))
    return out


# -- audit trail -------------------------------------------------------------------------------
def _details_text(details: dict[str, Any], limit: int = 260) -> str:
    text = json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    text = text[1:-1] if text.startswith("{") else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_trail(ctx: Ctx) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    out: list[Flowable] = [
        Heading("Audit trail", s.h1, [("Audit trail", "audit", 0)]),
        M(
            f"{len(d.audit)} events, oldest first. Each hash is the SHA-256 of the event's canonical JSON, "
            "which includes the previous event's hash; the package's <i>audit-log.jsonl</i> holds them in full. "
            f"Head: {para_text(d.audit_head)}",
            s.body,
        ),
    ]
    if not d.audit:
        return [*out, M("No audit events recorded yet.", s.body)]
    titles = {n.id: n.title for n in d.nodes}
    head = ["Seq", "Time (UTC)", "Actor", "Action", "Node", "Details", "Hash", "Previous"]
    w = ctx.wide
    widths = [30, 90, 84, 96, 96, w - 30 - 90 - 84 - 96 - 96 - 140, 70, 70]

    def chunk_table(start: int) -> list[Flowable]:
        rows = [
            [
                str(e.seq),
                stamp(e.at),
                C(e.actor, widths[2], s.cell),
                C(e.action, widths[3], s.cell),
                C(titles.get(e.node, e.node) if e.node else "—", widths[4], s.cell),
                C(_details_text(e.details), widths[5], s.cell),
                e.hash[:10] + "…",
                e.prev_hash[:10] + "…",
            ]
            for e in d.audit[start : start + CHUNK_ROWS]
        ]
        table = grid_table([head, *rows], widths, extra=[("TEXTCOLOR", (7, 1), (7, -1), MUTED)])
        return [Tick(ctx.check), table]

    # Each chunk's rows are made when layout reaches it, so 100,000 events never sit in memory
    # as table cells all at once.
    out += [Expand(partial(chunk_table, start)) for start in range(0, len(d.audit), CHUNK_ROWS)]
    return out
