"""A Stack must place its parts exactly where a frame places the same parts one by one.

Each case lays the same parts out twice with real reportlab platypus: once as separate
flowables behind a ``CondPageBreak`` (what the report used to do), once as one ``Stack`` with
``min_start``. The PDFs are read back with pypdf and every text run's page and position must
be the same, whatever space is left on the first page (page breaks fall before, inside and
between the parts).
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import CondPageBreak, Flowable, SimpleDocTemplate, Spacer

from sopdesigner.export.pdf_fonts import BOLD, register_fonts
from sopdesigner.export.pdf_grid import Caption, Row, column, header_row, list_grid
from sopdesigner.export.pdf_stack import Stack
from sopdesigner.export.pdf_text import TextBlock

PAGE_H = A4[1] - 144  # SimpleDocTemplate's default margins (72 pt)
WIDTH = A4[0] - 144


def _parts(items: int) -> list[Flowable]:
    """A record: a heading grid, a paragraph, a conditional break and a second grid."""
    facts = list_grid(
        [120, WIDTH - 120],
        [Row([column(120, BOLD)("Kind"), column(WIDTH - 120)("Step")])],
        page_h=PAGE_H,
        zebra=False,
        caption=Caption("1. A node", BOLD, 12.5, 16, WIDTH, space_before=8, space_after=4),
    )
    words = " ".join(f"word{i}" for i in range(120))
    text = TextBlock(words, BOLD, 9.5, 12.5, space_before=4, space_after=4)
    head = header_row(["Item", "Done"], [WIDTH - 60, 60])
    rows = [Row([column(WIDTH - 60)(f"Item number {i}"), column(60)("Yes")]) for i in range(items)]
    table = list_grid(
        [WIDTH - 60, 60],
        rows,
        page_h=PAGE_H,
        header=head,
        caption=Caption("Checklist", BOLD, 10, 13, WIDTH, space_before=6, space_after=3),
    )
    note = TextBlock("A note right under the table.", BOLD, 9.5, 12.5, space_before=5, space_after=7)
    tail = TextBlock("The end of the record.", BOLD, 9.5, 12.5, space_before=6)
    return [facts, text, CondPageBreak(150), table, note, tail]


def _runs(path: Path) -> list[tuple[int, str, float, float]]:
    """Every text run: (page, text, x, y), positions rounded to 0.01 pt."""
    out: list[tuple[int, str, float, float]] = []
    for number, page in enumerate(pypdf.PdfReader(path).pages):

        def visit(text: str, cm: list[float], tm: list[float], *_: object, number: int = number) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                out.append((number, text.strip(), round(x, 2), round(y, 2)))

        page.extract_text(visitor_text=visit)
    return out


def _build(path: Path, story: list[Flowable]) -> None:
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def _before(filled: float) -> list[Flowable]:
    """What precedes the record: ``filled`` points, ending in a block with space after."""
    return [Spacer(1, filled), TextBlock("Before.", BOLD, 9.5, 12.5, space_after=9)] if filled else []


@pytest.mark.parametrize("filled", [0.0, *range(40, 700, 23)])
@pytest.mark.parametrize("items", [3, 60])
def test_a_stack_places_its_parts_where_a_frame_would(tmp_path: Path, filled: float, items: int) -> None:
    register_fonts()
    _build(tmp_path / "frame.pdf", [*_before(filled), CondPageBreak(PAGE_H * 0.2), *_parts(items)])
    _build(tmp_path / "stack.pdf", [*_before(filled), Stack(_parts(items), min_start=PAGE_H * 0.2)])
    expected, actual = _runs(tmp_path / "frame.pdf"), _runs(tmp_path / "stack.pdf")
    assert actual == expected
    texts = [text for _, text, _, _ in actual]
    assert texts[-1] == "The end of the record."
    assert any(text.startswith(f"Item number {items - 1} ") for text in texts)  # a row is one run


def test_a_record_starts_on_the_next_page_when_less_than_min_start_is_left(tmp_path: Path) -> None:
    register_fonts()
    # 100 pt left on the first page: the record would fit, but min_start asks for 200.
    story = [Spacer(1, PAGE_H - 100), Stack([TextBlock("Short record.", BOLD, 9.5, 12.5)], min_start=200)]
    _build(tmp_path / "out.pdf", story)
    assert [(page, text) for page, text, _, _ in _runs(tmp_path / "out.pdf")] == [(1, "Short record.")]
