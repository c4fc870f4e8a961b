"""PNG and SVG export: drawn like the canvas with the print theme, header and legend, read back
from disk; works in a fresh process with no window."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from sopdesigner.errors import DocumentFileError
from sopdesigner.model import Decision, SignOff
from sopdesigner.ui.canvas.image_export import render_png, render_svg

ROOT = Path(__file__).resolve().parents[3]


def _colour_near(img: QImage, x: int, y: int, want: str, radius: int = 6) -> bool:
    target = QColor(want)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            c = img.pixelColor(x + dx, y + dy)
            if (
                abs(c.red() - target.red()) + abs(c.green() - target.green()) + abs(c.blue() - target.blue())
                < 30
            ):
                return True
    return False


def test_png_size_and_status_colour_on_the_node(qapp, doc, tmp_path):
    doc.node("decide").signoffs.append(
        SignOff(id="s1", signer="Bea", role="business", decision=Decision.APPROVE, at="2026-01-01T00:00:00Z")
    )
    out = tmp_path / "diagram.png"
    render_png(doc, out, scale=1.0)
    img = QImage(str(out))
    assert not img.isNull()
    # Content: x from the header's left edge (-140, 1 unit of pen margin → -141) to the lanes' right
    # (rightmost node edge 1135 + 240 = 1375, +1 margin); y from the header top (-112 - 1) to the
    # last lane's bottom (640 + 1); plus a 24-unit border on each side.
    assert (img.width(), img.height()) == (1376 + 141 + 48, 641 + 113 + 48)
    # The decision diamond (820, 560) has an approved (#009E73) outline: its left tip is at x=735.
    ox, oy = 140 + 24, 112 + 24
    assert _colour_near(img, 735 + ox + 2, 560 + oy, "#009E73")
    # The not-started start node keeps a grey outline; no dark background anywhere (print theme).
    assert _colour_near(img, 25 + ox + 1, 80 + oy, "#9E9E9E")
    assert img.pixelColor(5, 5) == QColor("#FFFFFF")


def test_png_scale_doubles_pixels(qapp, doc, tmp_path):
    render_png(doc, tmp_path / "a.png", scale=1.0)
    render_png(doc, tmp_path / "b.png", scale=2.0)
    a, b = QImage(str(tmp_path / "a.png")), QImage(str(tmp_path / "b.png"))
    assert (b.width(), b.height()) == (2 * a.width(), 2 * a.height())


def test_export_does_not_touch_the_document(qapp, doc, tmp_path):
    before = doc.model_dump()
    render_png(doc, tmp_path / "a.png")
    render_svg(doc, tmp_path / "a.svg")
    assert doc.model_dump() == before


def test_svg_is_xml_with_titles_header_and_legend(qapp, doc, tmp_path):
    doc.request.model_name = "credit-score-xgb"
    out = tmp_path / "diagram.svg"
    render_svg(doc, out)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    for expected in (
        "Technical validation",
        "credit-score-xgb",
        "Status legend",
        "Approved with conditions",
        "Security",
    ):
        assert expected in texts


def test_unwritable_target_raises_a_sop_error(qapp, doc, tmp_path):
    with pytest.raises(DocumentFileError):
        render_png(doc, tmp_path / "missing-folder" / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_works_in_a_fresh_process_without_a_window(tmp_path):
    out = tmp_path / "fresh.png"
    code = (
        "import sys; sys.path.insert(0, {!r})\n"
        "from tests.factories import make_document\n"
        "from sopdesigner.ui.canvas.image_export import render_png, render_svg\n"
        "render_png(make_document(), {!r})\n"
        "render_svg(make_document(), {!r})\n"
        "from PySide6.QtWidgets import QApplication\n"
        "assert QApplication.topLevelWidgets() == []\n"
    ).format(str(ROOT), str(out), str(tmp_path / "fresh.svg"))
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() > 1000
    assert (tmp_path / "fresh.svg").stat().st_size > 1000
