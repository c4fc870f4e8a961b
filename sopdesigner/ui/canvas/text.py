"""Text for items: greedy word wrap into a box, eliding the last line, cached metrics, and
cached ``QStaticText`` drawing.

Items lay out once (lazily, on the first detailed paint) and keep the result, because text
layout is the costly part of painting a node; repeated strings share one static text.
"""

from __future__ import annotations

from functools import cache, lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QStaticText, QTransform

from sopdesigner.ui.canvas.style import ui_font


@cache
def font(pixel_size: int, bold: bool = False) -> QFont:
    return ui_font(pixel_size, bold=bold)


@cache
def metrics(pixel_size: int, bold: bool = False) -> QFontMetricsF:
    return QFontMetricsF(font(pixel_size, bold))


def elide(text: str, fm: QFontMetricsF, width: float) -> str:
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, max(width, 0.0))


def wrap(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Lines of ``text`` no wider than ``width``; at most ``max_lines``, the last one elided
    when text is left over. Words longer than a line are broken, never clipped."""
    if max_lines <= 0 or width <= 0:
        return []
    words = text.split()
    lines: list[str] = []
    current = ""
    i = 0
    while i < len(words):
        word = words[i]
        candidate = f"{current} {word}" if current else word
        if fm.horizontalAdvance(candidate) <= width:
            current = candidate
            i += 1
            continue
        if not current:
            # A single word wider than the line: break it where it stops fitting.
            cut = max(1, _fit_chars(word, fm, width))
            current, words[i] = word[:cut], word[cut:]
            if not words[i]:
                i += 1
        lines.append(current)
        current = ""
        if len(lines) == max_lines:
            break
    if current and len(lines) < max_lines:
        lines.append(current)
        current = ""
    if i < len(words) and lines:
        # Text left over: the last line ends with an ellipsis rather than being cut silently.
        lines[-1] = elide(" ".join([lines[-1], *words[i:]]), fm, width)
    return lines


def complete(text: str, lines: list[str]) -> bool:
    """Whether ``lines`` show all of ``text`` with no word broken or elided."""
    return " ".join(lines).split() == text.split()


def _fit_chars(word: str, fm: QFontMetricsF, width: float) -> int:
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fm.horizontalAdvance(word[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


@lru_cache(maxsize=8192)
def static(string: str, pixel_size: int, bold: bool = False) -> QStaticText:
    """A laid-out text, shared by every item that draws the same string (status labels, badges)."""
    st = QStaticText(string)
    st.setTextFormat(Qt.TextFormat.PlainText)
    st.prepare(QTransform(), font(pixel_size, bold))
    return st


def draw(
    painter: QPainter, rect: QRectF, string: str, pixel_size: int, bold: bool = False, *, centre: bool = True
) -> None:
    """Draw one line centred in ``rect`` (or left-aligned, vertically centred) with a cached static text."""
    st = static(string, pixel_size, bold)
    size = st.size()
    x = rect.center().x() - size.width() / 2 if centre else rect.left()
    painter.setFont(font(pixel_size, bold))
    painter.drawStaticText(QPointF(x, rect.center().y() - size.height() / 2), st)
