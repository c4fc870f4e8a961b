"""The PDF report's sections as flowables: cover, summary, role matrix and open problems
(node records are in ``pdf_records``, the audit trail in ``pdf_audit``), and what they share.

Headings carry their outline (bookmark) entries; ``Tick`` flowables report progress and give
cancel a chance while the pages are laid out. Every user value goes through ``P``/``para_text``
or a grid cell (``pdf_grid``), never into markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer

from sopdesigner.export.pdf_fonts import BOLD, REGULAR, para_text
from sopdesigner.export.pdf_grid import Caption, Cell, Column, Grid, Row, cell, column, header_row, list_grid
from sopdesigner.export.pdf_styles import (
    INK,
    M,
    P,
    Styles,
    key_value_table,
)
from sopdesigner.model.document import Document, Node
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
# The summary's columns but the last: each label and header fits (a status wraps inside its cell,
# "☑ Approved with conditions" on two lines); Sign-offs takes the rest, a signer per line.
SUMMARY_WIDTHS = [22, 96, 50, 60, 70, 47, 46]


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
    check: Callable[[], None] = lambda: None  # raises to cancel; called before each page of a long table
    wide_height: float = 0.0  # landscape frame height
    checked: tuple[list[Any], Any] | None = None  # validate_with_view's answer, for the ship gate
    cache: dict[str, Any] = field(default_factory=dict)  # what sections make once per report


# -- helpers -----------------------------------------------------------------------------------
def _status_text(status: Status) -> str:
    style = STATUS_STYLES[status]
    return f"{style.glyph} {style.label}"


def owner_name(ctx: Ctx, node: Node) -> str:
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


# -- cover -------------------------------------------------------------------------------------
def _gate_summary(ctx: Ctx) -> list[Flowable]:
    """The answer ``sopdesigner gate`` gives for this document, so the auditor reads it first."""
    try:
        from sopdesigner.rules.gate import gate
    except ImportError:
        return []
    s = ctx.styles
    result = gate(ctx.doc, ctx.checked)
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
    ]
    decisions = [n for n in d.nodes if n.kind is NodeKind.DECISION]
    if decisions:
        w = [170, 120, ctx.width - 290]
        rows = []
        for node in decisions:
            conds = [x for x in latest_by_role(node).values() if x.conditions.strip()]
            cond_text = "\n".join(
                f"{x.conditions.strip()} — {x.signer} ({d.role_name(x.role)})" for x in conds
            )
            rows.append(
                Row(
                    [
                        cell(node.title, w[0], BOLD),
                        status_grid_cell(ctx.statuses[node.id], w[1]),
                        cell(cond_text or "None", w[2]),
                    ]
                )
            )
        # A grid headed by its heading: a long list of decisions starts on this page, not the next.
        head = header_row(["Decision", "Status", "Conditions"], w)
        caption = Caption(
            "Final decision",
            s.h2.fontName,
            s.h2.fontSize,
            s.h2.leading,
            ctx.width,
            colour=s.h2.textColor,
            space_before=s.h2.spaceBefore,
            space_after=s.h2.spaceAfter,
        )
        out.append(list_grid(w, rows, page_h=ctx.height, header=head, zebra=False, caption=caption))
    else:
        out += [
            M("Final decision", s.h2),
            M("This SOP has no decision node, so it records no final decision.", s.body),
        ]
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
    w = [*SUMMARY_WIDTHS, ctx.width - sum(SUMMARY_WIDTHS)]
    head = header_row(["#", "Node", "Kind", "Owner", "Status", "Checklist", "Evidence", "Sign-offs"], w)
    nodes = d.nodes
    number, title, kind, owner, checklist, evidence, signoffs = (
        column(w[0]),
        column(w[1], BOLD),
        column(w[2]),
        column(w[3]),
        column(w[5]),
        column(w[6]),
        column(w[7]),
    )

    def row_at(i: int) -> Row:
        n = nodes[i]
        done = sum(1 for item in n.checklist if item.done)
        active = active_signoffs(n)
        signed = "\n".join(
            f"{x.signer} ({d.role_name(x.role)}): {DECISION_LABELS[x.decision]}" for x in active
        )
        older = len(n.signoffs) - len(active)
        if older:
            signed += f"\n(+{older} superseded)" if signed else f"({older} superseded)"
        status = ctx.statuses[n.id] if n.kind is not NodeKind.NOTE else None
        return Row(
            [
                number(i + 1),
                title(n.title),
                kind(KIND_LABELS[n.kind]),
                owner(owner_name(ctx, n)),
                status_grid_cell(status, w[4]) if status is not None else cell("—", w[4]),
                checklist(f"{done}/{len(n.checklist)}" if n.checklist else "—"),
                evidence(len(n.evidence)),
                signoffs(signed or "—"),
            ]
        )

    out.append(Grid(w, len(nodes), row_at, page_h=ctx.height, header=head, on_draw=ctx.check))
    return out


def status_grid_cell(status: Status, width: float) -> Cell:
    """A status in a grid: its label wraps inside the cell (never over the next column), on
    its colour, in the text colour that reads on that colour."""
    style = STATUS_STYLES[status]
    colours = _STATUS_COLOURS.get(status)
    if colours is None:
        colours = _STATUS_COLOURS[status] = (HexColor(style.colour), HexColor(style.text_on))
    return cell(_status_text(status), width, REGULAR, colours[1], colours[0])


_STATUS_COLOURS: dict[Status, tuple[Color, Color]] = {}


# -- role matrix and problems ------------------------------------------------------------------
def role_matrix(ctx: Ctx, width: float, page_h: float) -> list[Flowable]:
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
    widths = [first] + [col] * len(roles)
    head = header_row(["Step"] + [r.name for r in roles], widths, centre_from=1)
    steps = [n for n in d.nodes if n.kind is not NodeKind.NOTE]

    # A column of marks per role, not one shared: a cell keeps its text operators for the one
    # position it was last drawn at, and "A" drawn in six columns would be remade every time.
    step_col = column(first)
    mark_cols = [Column(col, REGULAR, INK, None, True, 0) for _ in roles]

    def row_at(i: int) -> Row:
        n = steps[i]
        owner = d.owner_role(n)
        signers = {x.role for x in n.signoffs}
        cells = [step_col(n.title)]
        for r, mark_col in zip(roles, mark_cols, strict=True):
            marks = ("O" if r.id == owner else "") + ("A" if r.id in n.required_roles else "")
            if r.id in signers and r.id not in n.required_roles:
                marks += "C"
            cells.append(mark_col(" ".join(marks)))
        return Row(cells)

    out.append(Grid(widths, len(steps), row_at, page_h=page_h, header=head, on_draw=ctx.check))
    return out


def problems_section(ctx: Ctx, page_h: float) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    out: list[Flowable] = [Spacer(1, 10), Heading("Open problems", s.h1, [("Open problems", "problems", 0)])]
    if ctx.problems is None:
        return [*out, M("Validation was not available when this report was made.", s.body)]
    if not ctx.problems:
        return [*out, M("Validation found no open problems.", s.body)]
    titles = {n.id: n.title for n in d.nodes}
    w = [52, 110, ctx.width - 292, 130]
    head = header_row(["Severity", "Code", "Problem", "Where"], w)
    rows = []
    for p in ctx.problems:
        severity = getattr(p, "severity", "")
        severity = getattr(severity, "value", severity)
        where = ", ".join(titles.get(nid, nid) for nid in getattr(p, "node_ids", ()) or ())
        rows.append(
            Row(
                [
                    cell(str(severity).capitalize(), w[0], BOLD),
                    cell(getattr(p, "code", ""), w[1]),
                    cell(getattr(p, "message", str(p)), w[2]),
                    cell(where or "—", w[3]),
                ]
            )
        )
    return [*out, list_grid(w, rows, page_h=page_h, header=head, on_draw=ctx.check)]
