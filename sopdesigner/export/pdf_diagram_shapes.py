"""The diagram page's shapes as PDF path operators: a node outline per kind and the status
pill, each made once per size (``functools.cache``) with its bottom-left corner at the origin,
for the diagram to place with a translation. Rounded corners are exactly reportlab's
``roundRect`` curves, so pages look as they did when drawn through the canvas API.
"""

from __future__ import annotations

import functools

from sopdesigner.export.pdf_text import num
from sopdesigner.model.enums import NodeKind

#: reportlab's factor for a quarter circle drawn as one Bézier curve (``roundRect``).
_ROUND = 0.4472


def round_rect_path(x: float, y: float, w: float, h: float, radius: float) -> str:
    """The path of a rectangle with rounded corners, exactly as reportlab's ``roundRect``
    draws it (same points, same curves), as PDF operators without the painting operator."""
    xl, xh = min(x, x + w), max(x, x + w)
    yl, yh = min(y, y + h), max(y, y + h)
    t = _ROUND * radius
    return (
        f"{num(xl + radius)} {num(yl)} m {num(xh - radius)} {num(yl)} l "
        f"{num(xh - t)} {num(yl)} {num(xh)} {num(yl + t)} {num(xh)} {num(yl + radius)} c "
        f"{num(xh)} {num(yh - radius)} l "
        f"{num(xh)} {num(yh - t)} {num(xh - t)} {num(yh)} {num(xh - radius)} {num(yh)} c "
        f"{num(xl + radius)} {num(yh)} l "
        f"{num(xl + t)} {num(yh)} {num(xl)} {num(yh - t)} {num(xl)} {num(yh - radius)} c "
        f"{num(xl)} {num(yl + radius)} l "
        f"{num(xl)} {num(yl + t)} {num(xl + t)} {num(yl)} {num(xl + radius)} {num(yl)} c h"
    )


@functools.cache
def node_path(kind: NodeKind, w: float, h: float, s: float) -> str:
    """A node's outline (filled and stroked) with its bottom-left corner at the origin."""
    if kind in (NodeKind.START, NodeKind.END):
        return round_rect_path(0.0, 0.0, w, h, h / 2) + " B"
    if kind is NodeKind.DECISION:
        return f"{num(w / 2)} {num(h)} m {num(w)} {num(h / 2)} l {num(w / 2)} 0 l 0 {num(h / 2)} l h B"
    if kind is NodeKind.NOTE:
        fold = 14 * s
        return (
            f"0 0 m {num(w)} 0 l {num(w)} {num(h - fold)} l {num(w - fold)} {num(h)} l 0 {num(h)} l h B "
            f"{num(w - fold)} {num(h)} m {num(w - fold)} {num(h - fold)} l {num(w)} {num(h - fold)} l S"
        )
    box = f"0 0 {num(w)} {num(h)} re B"
    if kind is NodeKind.CHECKPOINT:
        inset = 4 * s
        box += f" {num(inset)} {num(inset)} {num(w - 2 * inset)} {num(h - 2 * inset)} re S"
    return box


@functools.cache
def pill_path(w: float, h: float) -> str:
    """A status pill's outline with its bottom-left corner at the origin."""
    return round_rect_path(0.0, 0.0, w, h, h / 2) + " B"
