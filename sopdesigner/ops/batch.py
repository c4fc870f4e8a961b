"""Several ops as one undo step (paste, align, auto layout, lane add = role + lane…)."""

from __future__ import annotations

from dataclasses import dataclass

from sopdesigner.model.document import Document
from sopdesigner.ops.base import Applied, Context, Op


@dataclass
class Batch(Op):
    ops: list[Op]
    text: str = "Edit"

    @property
    def structural_any(self) -> bool:
        return any(_is_structural(op) for op in self.ops)

    def apply(self, doc: Document, ctx: Context) -> Applied:
        done: list[Applied] = []
        try:
            for op in self.ops:
                done.append(op.apply(doc, ctx))
        except Exception:
            # Roll back what already happened so a failed batch changes nothing.
            for applied in reversed(done):
                applied.inverse.apply(doc, ctx)
            raise
        inverse = Batch([a.inverse for a in reversed(done)], self.text)
        return Applied(inverse, [c for a in done for c in a.changes], [r for a in done for r in a.records])

    def describe(self) -> str:
        return self.text


def _is_structural(op: Op) -> bool:
    return op.structural_any if isinstance(op, Batch) else op.structural


def is_structural(op: Op) -> bool:
    """Whether an op changes the diagram's structure (refused while review mode locks it)."""
    return _is_structural(op)
