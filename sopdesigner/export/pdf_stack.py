"""A node record as one flowable: its tables and text blocks laid out one under the other.

Platypus handles every flowable through a general loop (frame bookkeeping, spacing, a trial
wrap, a split attempt, a graphics state per drawing); a report of 1,000 nodes had six of them
per node. ``Stack`` lays out its parts itself, exactly as a frame would place them one after
the other: the gap between two parts is the larger of the first one's space after and the next
one's space before, a part that does not fit is split where it would have split on its own,
and a ``CondPageBreak`` among the parts starts a new page when less than its height is left.
``min_start`` does the same for the stack as a whole (a record starts on a new page when less
than that is left). Parts must draw with raw operators only (``RawFlowable``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable

from sopdesigner.export.pdf_text import RawFlowable, num

_FUZZ = 1e-6  # platypus's tolerance when it checks that a flowable fits


class Stack(RawFlowable):
    def __init__(self, parts: Sequence[Flowable], *, min_start: float = 0.0) -> None:
        super().__init__()
        self.parts = list(parts)
        self.min_start = min_start
        # The first part's space before is applied here (see _lead), so that the frame passes
        # the whole space left, which is what min_start is compared with.
        self.spaceBefore = 0.0
        self.spaceAfter = float(getattr(self.parts[-1], "spaceAfter", 0.0)) if self.parts else 0.0
        # Outline entries of the parts (a record's heading): bookmarked on the page where the
        # stack, and so its first part, is drawn.
        self.outline = [entry for p in self.parts for entry in getattr(p, "outline", ())]
        self._placed: list[tuple[Flowable, float]] = []
        self.width = self.height = 0.0

    def _lead(self) -> float | None:
        """What the frame leaves above the first part: None at the top of a frame (space before
        is dropped there), else the space after of the flowable above, already taken."""
        frame = getattr(self, "_frame", None)
        if frame is None or frame._atTop:
            return None
        if self.min_start or not frame._oASpace:
            # min_start stands for a conditional page break before the parts, which (drawn at
            # zero size) resets the space after the frame remembers: the full space before.
            return 0.0
        return float(frame._prevASpace)

    def _layout(self, avail_w: float, avail_h: float) -> tuple[int, float, float]:
        """Place parts from the top until one does not fit in ``avail_h``: (its index or
        ``len(parts)``, the height used so far, the gap before it)."""
        placed: list[tuple[Flowable, float]] = []
        used = 0.0
        lead = self._lead()
        first = True
        after = 0.0  # the space after the last part placed, not yet taken
        for i, part in enumerate(self.parts):
            if isinstance(part, CondPageBreak):
                # As in a frame: the break compares what is left once the space after the
                # part above is taken, and the next part's space before then counts in full.
                used += after
                after = 0.0
                if first and lead is not None:
                    lead = 0.0
                if avail_h - used < part.height:
                    self._placed = placed
                    return i, used, 0.0
                continue
            before = float(getattr(part, "spaceBefore", 0.0))
            if first:
                gap = 0.0 if lead is None else max(before - lead, 0.0)
                first = False
            else:
                gap = max(after, before)
            _w, h = part.wrap(avail_w, max(avail_h - used - gap, 0.0))
            if used + gap + h > avail_h + _FUZZ:
                self._placed = placed
                return i, used, gap
            used += gap + h
            placed.append((part, used))
            after = float(getattr(part, "spaceAfter", 0.0))
        self._placed = placed
        return len(self.parts), used, 0.0

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = avail_w
        if avail_h < self.min_start:
            self.height = avail_h + 1.0  # does not fit here: split() sends it to the next page
            return avail_w, self.height
        stop, used, _gap = self._layout(avail_w, avail_h)
        if stop < len(self.parts):
            self.height = avail_h + 1.0  # more than is left: platypus asks split() where to cut
        else:
            self.height = used
        return avail_w, self.height

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        if avail_h < self.min_start:
            return []
        stop, used, gap = self._layout(avail_w, avail_h)
        if stop == len(self.parts):
            return [self]
        part = self.parts[stop]
        if isinstance(part, CondPageBreak):
            # The break stays in front of the rest, which therefore goes to the next page.
            head, tail = self.parts[:stop], self.parts[stop:]
        else:
            pieces = part.split(avail_w, avail_h - used - gap) if avail_h - used - gap > 0 else []
            if len(pieces) >= 2:
                head = [*self.parts[:stop], pieces[0]]
                tail = [*pieces[1:], *self.parts[stop + 1 :]]
            else:
                head, tail = self.parts[:stop], self.parts[stop:]
        if not head:
            return []
        return [Stack(head, min_start=self.min_start), Stack(tail)] if tail else [Stack(head)]

    def draw(self) -> None:
        canv = self.canv
        code: list[Any] = canv._code
        top = self.height
        for part, bottom_from_top in self._placed:
            y = top - bottom_from_top
            code.append(f"q 1 0 0 1 0 {num(y)} cm")
            part.canv = canv
            part.draw()
            del part.canv
            code.append("Q")
