"""The PDF report's node records: one section per node — its key facts, description,
checklist, evidence and sign-offs — as grids whose captions are the headings.

A node's heading is the caption of its first table, which also reports progress when it is
drawn; a record starts on a new page only when less than a fifth of one is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from sopdesigner.export.pdf_fonts import BOLD, REGULAR, plain_text
from sopdesigner.export.pdf_grid import Caption, Cell, Row, cell, column, header_row, list_grid
from sopdesigner.export.pdf_sections import KIND_LABELS, Ctx, owner_name, stamp, status_grid_cell
from sopdesigner.export.pdf_styles import HEAD_FILL, INK, MUTED
from sopdesigner.export.pdf_text import TextBlock
from sopdesigner.model.display import human_size
from sopdesigner.model.document import Node, SignOff
from sopdesigner.model.enums import NodeKind
from sopdesigner.model.status import DECISION_LABELS


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
    # A record starts on a new page unless its heading, key facts and first table rows fit here.
    out: list[Flowable] = [CondPageBreak(ctx.height * 0.2)]
    status = ctx.statuses[node.id]
    required = ", ".join(d.role_name(r) for r in node.required_roles) or "None"
    w = ctx.width
    widths = [96, w / 2 - 96, 80, w / 2 - 80]  # the labels fit one line

    def label(text: str, width: float) -> Cell:
        return cell(text, width, BOLD, fill=HEAD_FILL)

    status_cell = (
        cell("— (note)", widths[1]) if node.kind is NodeKind.NOTE else status_grid_cell(status, widths[1])
    )
    rows = [
        Row(
            [
                label("Kind", widths[0]),
                cell(KIND_LABELS[node.kind], widths[1]),
                label("Owner (lane)", widths[2]),
                cell(owner_name(ctx, node), widths[3]),
            ]
        ),
        Row(
            [
                label("Status", widths[0]),
                status_cell,
                label("Review round", widths[2]),
                cell(str(node.round), widths[3]),
            ]
        ),
        Row(
            [
                label("Approvals required", widths[0]),
                cell(required, widths[1]),
                label("Node id", widths[2]),
                cell(node.id, widths[3]),
            ]
        ),
    ]
    # The node's heading heads its first table, which reports progress when it is drawn.
    out.append(
        list_grid(
            widths,
            rows,
            page_h=ctx.height,
            zebra=False,
            on_draw=tick,
            caption=_caption(title, s.h2, w),
            outline=[(title, f"node-{index}", 1)],
        )
    )
    out.append(Spacer(1, 4))
    out.append(
        _text_block(node.description, s.body)
        if node.description.strip()
        else _text_block("No description.", s.small)
    )
    out += _checklist(ctx, node)
    out += _evidence(ctx, node)
    out += _signoffs(ctx, node)
    return out


def _checklist(ctx: Ctx, node: Node) -> list[Flowable]:
    s = ctx.styles
    if not node.checklist:
        return [*_subheading("Checklist", s.h3, s.small.leading), _text_block("No checklist items.", s.small)]
    w = [18, ctx.width - 278, 46, 110, 104]
    head = header_row(["", "Item", "Required", "Ticked by", "When (UTC)"], w)
    box, text, required, by, when = (
        column(w[0], centre=True),
        column(w[1]),
        column(w[2]),
        column(w[3]),
        column(w[4]),
    )
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
    caption = _caption("Checklist", s.h3, ctx.width)
    return [list_grid(w, rows, page_h=ctx.height, header=head, on_draw=ctx.check, caption=caption)]


def _evidence(ctx: Ctx, node: Node) -> list[Flowable]:
    s = ctx.styles
    if not node.evidence:
        return [
            *_subheading("Evidence", s.h3, s.small.leading),
            _text_block("No evidence attached.", s.small),
        ]
    w = [ctx.width * f for f in (0.3, 0.3, 0.26, 0.14)]
    head = header_row(["File name", "Title", "Category", "Size"], w)
    rows = []
    for ev in node.evidence:
        detail = f"SHA-256 {ev.sha256} · added by {ev.added_by or '—'} at {stamp(ev.added_at)}"
        rows.append(
            Row(
                [
                    cell(ev.filename, w[0], BOLD),
                    cell(ev.title or "—", w[1]),
                    cell(ev.category or "—", w[2]),
                    cell(human_size(ev.size), w[3]),
                ],
                detail=cell(detail, ctx.width, colour=MUTED),
            )
        )
    caption = _caption("Evidence", s.h3, ctx.width)
    return [
        list_grid(w, rows, page_h=ctx.height, header=head, zebra=False, on_draw=ctx.check, caption=caption)
    ]


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
    w = [ctx.width * f for f in (0.27, 0.19, 0.2, 0.22, 0.12)]
    head = header_row(["Signer (printed name)", "Role", "Decision", "Time (UTC)", "State"], w)
    rows = []
    for x in node.signoffs:
        state = _signoff_state(node, x)
        active = state == "Active"
        ink = INK if active else MUTED
        detail = (
            f"Meaning: {x.meaning or '—'} · Comment: {x.comment or '—'} · Conditions: {x.conditions or '—'}"
            f" · round {x.round}"
        )
        rows.append(
            Row(
                [
                    cell(x.signer, w[0], BOLD if active else REGULAR, ink),
                    cell(d.role_name(x.role), w[1], colour=ink),
                    cell(DECISION_LABELS[x.decision], w[2], colour=ink),
                    cell(stamp(x.at), w[3], colour=ink),
                    cell(state, w[4], colour=ink),
                ],
                detail=cell(detail, ctx.width, colour=ink),
            )
        )
    caption = _caption("Sign-offs", s.h3, ctx.width)
    return [
        list_grid(w, rows, page_h=ctx.height, header=head, zebra=False, on_draw=ctx.check, caption=caption)
    ]
