"""The PDF report's node records: one section per node — its key facts, description,
checklist, evidence and sign-offs — as grids whose captions are the headings.

A node's heading is the caption of its first table, which also reports progress when it is
drawn; a record starts on a new page only when less than a fifth of one is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable

from sopdesigner.export.pdf_fonts import BOLD, REGULAR, plain_text
from sopdesigner.export.pdf_grid import Caption, Row, column, header_row, list_grid
from sopdesigner.export.pdf_sections import KIND_LABELS, Ctx, owner_name, stamp, status_grid_cell
from sopdesigner.export.pdf_stack import Stack
from sopdesigner.export.pdf_styles import HEAD_FILL, INK, MUTED
from sopdesigner.export.pdf_text import TextBlock
from sopdesigner.model.display import human_size
from sopdesigner.model.document import Node, SignOff
from sopdesigner.model.enums import NodeKind
from sopdesigner.model.status import DECISION_LABELS


class _Columns:
    """The record tables' columns and header rows for one report, made once (a report has a
    record per node, each of four tables; see ``pdf_grid.Column``)."""

    def __init__(self, ctx: Ctx) -> None:
        w = ctx.width
        self.facts_w = [96, w / 2 - 96, 80, w / 2 - 80]  # the labels fit one line
        f = self.facts_w
        self.label0, self.label2 = (column(f[k], BOLD, fill=HEAD_FILL) for k in (0, 2))
        self.fact1, self.fact3 = column(f[1]), column(f[3])
        self.status_w = f[1]
        self.check_w = [18, w - 278, 46, 110, 104]
        c = self.check_w
        self.check_head = header_row(["", "Item", "Required", "Ticked by", "When (UTC)"], c)
        self.check_cols = (column(c[0], centre=True), column(c[1]), column(c[2]), column(c[3]), column(c[4]))
        self.evidence_w = [w * x for x in (0.3, 0.3, 0.26, 0.14)]
        e = self.evidence_w
        self.evidence_head = header_row(["File name", "Title", "Category", "Size"], e)
        self.evidence_cols = (column(e[0], BOLD), column(e[1]), column(e[2]), column(e[3]))
        self.detail = {ink: column(w, colour=ink) for ink in (INK, MUTED)}
        self.signoff_w = [w * x for x in (0.27, 0.19, 0.2, 0.22, 0.12)]
        g = self.signoff_w
        self.signoff_head = header_row(
            ["Signer (printed name)", "Role", "Decision", "Time (UTC)", "State"], g
        )
        self.signoff_cols = {
            ink: (
                column(g[0], BOLD if ink is INK else REGULAR, ink),
                column(g[1], colour=ink),
                column(g[2], colour=ink),
                column(g[3], colour=ink),
                column(g[4], colour=ink),
            )
            for ink in (INK, MUTED)
        }
        self.captions = {
            name: _caption(name, ctx.styles.h3, w) for name in ("Checklist", "Evidence", "Sign-offs")
        }
        # Each table's widths, header row and zebra striping.
        self.tables = {
            "Checklist": (self.check_w, self.check_head, True),
            "Evidence": (self.evidence_w, self.evidence_head, False),
            "Sign-offs": (self.signoff_w, self.signoff_head, False),
        }


def _table(ctx: Ctx, name: str, rows: list[Row]) -> list[Flowable]:
    """One of a record's three tables, headed by its caption ``name``."""
    cols = _columns(ctx)
    widths, head, zebra = cols.tables[name]
    caption = cols.captions[name]
    return [
        list_grid(
            widths, rows, page_h=ctx.height, header=head, zebra=zebra, on_draw=ctx.check, caption=caption
        )
    ]


def _columns(ctx: Ctx) -> _Columns:
    made = ctx.cache.get("record_columns")
    if made is None:
        made = ctx.cache["record_columns"] = _Columns(ctx)
    return made


def _signoff_state(node: Node, s: SignOff) -> str:
    if s.superseded:
        return "Superseded"
    if s.round != node.round:
        return "Earlier round"
    return "Active"


def _text_block(text: str, style: ParagraphStyle, outline: Sequence[tuple[str, str, int]] = ()) -> TextBlock:
    """Plain text in a paragraph style's font, size, spacing and colour (no markup). Not kept
    with the next flowable: platypus keeps a heading with what follows by measuring both in a
    copy of the frame (a deep copy per heading, thousands in a long report); node sections use
    ``_subheading``'s conditional page break instead."""
    return TextBlock(
        text,
        style.fontName,
        style.fontSize,
        style.leading,
        colour=style.textColor,
        space_before=style.spaceBefore,
        space_after=style.spaceAfter,
        outline=outline,
    )


def _caption(text: str, style: ParagraphStyle, width: float) -> Caption:
    """A heading in a paragraph style, drawn by the grid it heads (see ``Caption``)."""
    return Caption(
        text,
        style.fontName,
        style.fontSize,
        style.leading,
        width,
        colour=style.textColor,
        space_before=style.spaceBefore,
        space_after=style.spaceAfter,
    )


def _subheading(text: str, style: ParagraphStyle, following: float) -> list[Flowable]:
    """A heading that starts a new page unless it and ``following`` points of what comes
    after it (a table's header and first row) fit on this one."""
    need = style.spaceBefore + style.leading + style.spaceAfter + following
    return [CondPageBreak(need), _text_block(text, style)]


def node_section(ctx: Ctx, index: int, node: Node, tick: Callable[[], None]) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    title = f"{index}. {plain_text(node.title)}"
    out: list[Flowable] = []
    status = ctx.statuses[node.id]
    required = ", ".join(d.role_name(r) for r in node.required_roles) or "None"
    w = ctx.width
    cols = _columns(ctx)
    # Two label/value pairs per row.
    label, value, label_r, value_r = cols.label0, cols.fact1, cols.label2, cols.fact3
    status_cell = value("— (note)") if node.kind is NodeKind.NOTE else status_grid_cell(status, cols.status_w)
    rows = [
        Row(
            [
                label("Kind"),
                value(KIND_LABELS[node.kind]),
                label_r("Owner (lane)"),
                value_r(owner_name(ctx, node)),
            ]
        ),
        Row([label("Status"), status_cell, label_r("Review round"), value_r(str(node.round))]),
        Row([label("Approvals required"), value(required), label_r("Node id"), value_r(node.id)]),
    ]
    # The node's heading heads its first table, which reports progress when it is drawn.
    out.append(
        list_grid(
            cols.facts_w,
            rows,
            page_h=ctx.height,
            zebra=False,
            on_draw=tick,
            caption=_caption(title, s.h2, w),
            outline=[(title, f"node-{index}", 1)],
        )
    )
    description = (
        _text_block(node.description, s.body)
        if node.description.strip()
        else _text_block("No description.", s.small)
    )
    description.spaceBefore = 4  # under the facts table (a Spacer would be one more flowable)
    out.append(description)
    out += _checklist(ctx, node)
    out += _evidence(ctx, node)
    out += _signoffs(ctx, node)
    # One flowable per record (see Stack); it starts on a new page when less than a fifth of
    # one is left.
    return [Stack(out, min_start=ctx.height * 0.2)]


def _checklist(ctx: Ctx, node: Node) -> list[Flowable]:
    s = ctx.styles
    if not node.checklist:
        return [*_subheading("Checklist", s.h3, s.small.leading), _text_block("No checklist items.", s.small)]
    cols = _columns(ctx)
    box, text, required, by, when = cols.check_cols
    rows = [
        Row(
            [
                box("☑" if item.done else "☐"),
                text(item.text),
                required("Yes" if item.required else "No"),
                by(item.done_by or "—"),
                when(stamp(item.done_at)),
            ]
        )
        for item in node.checklist
    ]
    return _table(ctx, "Checklist", rows)


def _evidence(ctx: Ctx, node: Node) -> list[Flowable]:
    s = ctx.styles
    if not node.evidence:
        return [
            *_subheading("Evidence", s.h3, s.small.leading),
            _text_block("No evidence attached.", s.small),
        ]
    cols = _columns(ctx)
    name, title, category, size = cols.evidence_cols
    detail_of = cols.detail[MUTED]
    rows = []
    for ev in node.evidence:
        detail = f"SHA-256 {ev.sha256} · added by {ev.added_by or '—'} at {stamp(ev.added_at)}"
        rows.append(
            Row(
                [
                    name(ev.filename),
                    title(ev.title or "—"),
                    category(ev.category or "—"),
                    size(human_size(ev.size)),
                ],
                detail=detail_of(detail),
            )
        )
    return _table(ctx, "Evidence", rows)


def _signoffs(ctx: Ctx, node: Node) -> list[Flowable]:
    d, s = ctx.doc, ctx.styles
    if not node.signoffs:
        wanted = (
            "awaiting " + ", ".join(d.role_name(r) for r in node.required_roles)
            if node.required_roles
            else ""
        )
        none = _text_block(f"No sign-offs recorded{'; ' + wanted if wanted else ''}.", s.small)
        return [*_subheading("Sign-offs", s.h3, s.small.leading), none]
    cols = _columns(ctx)
    rows = []
    for x in node.signoffs:
        state = _signoff_state(node, x)
        ink = INK if state == "Active" else MUTED
        signer, role, decision, when, state_col = cols.signoff_cols[ink]
        detail = (
            f"Meaning: {x.meaning or '—'} · Comment: {x.comment or '—'} · Conditions: {x.conditions or '—'}"
            f" · round {x.round}"
        )
        rows.append(
            Row(
                [
                    signer(x.signer),
                    role(d.role_name(x.role)),
                    decision(DECISION_LABELS[x.decision]),
                    when(stamp(x.at)),
                    state_col(state),
                ],
                detail=cols.detail[ink](detail),
            )
        )
    return _table(ctx, "Sign-offs", rows)
