"""The PDF report, parsed back with pypdf: content, escaping, fonts, outline, metadata, footers,
vector diagram (fitted and tiled), progress, cancel and the atomic write."""

from __future__ import annotations

import re

import pypdf
import pytest

from sopdesigner import __version__
from sopdesigner.errors import CancelledError
from sopdesigner.export.pdf_diagram import MIN_SCALE, plan_tiles
from sopdesigner.export.pdf_report import write_pdf
from sopdesigner.model import Node, NodeKind, Point
from sopdesigner.model.geometry import Rect
from tests.export.records import HOSTILE, SIGNERS, record_everything
from tests.factories import make_document


def flat(text: str) -> str:
    return " ".join(text.split())


def page_texts(path) -> list[str]:
    return [flat(p.extract_text()) for p in pypdf.PdfReader(path).pages]


def outline_titles(outline) -> list[str]:
    out: list[str] = []
    for item in outline:
        out += outline_titles(item) if isinstance(item, list) else [item.title]
    return out


@pytest.fixture(scope="module")
def recorded():
    doc = make_document()
    record_everything(doc)
    return doc


@pytest.fixture(scope="module")
def report(recorded, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    write_pdf(recorded, path)
    return path


def test_every_title_signer_and_the_audit_head_are_in_the_text(recorded, report):
    text = " ".join(page_texts(report))
    for node in recorded.nodes:
        assert node.title in text
    for name in SIGNERS:
        assert name in text
    assert recorded.audit_head in text
    assert len(recorded.audit_head) == 64
    assert "fraud-scorer" in text and "2.3.1" in text and "prod-eu-west" in text
    assert "Re-check bias metrics after 30 days" in text  # the final decision's conditions


def test_user_markup_is_printed_literally(report):
    text = " ".join(page_texts(report))
    assert flat(HOSTILE) in text
    # The hostile evidence file name keeps its dots and slashes as text, too.
    assert "../../etc/passwd" in text


def test_no_images_or_links_the_app_did_not_add(report):
    reader = pypdf.PdfReader(report)
    for page in reader.pages:
        assert "/Annots" not in page
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            assert ref.get_object().get("/Subtype") != "/Image"


def test_outline_has_a_bookmark_per_section_and_per_node(recorded, report):
    reader = pypdf.PdfReader(report)
    titles = outline_titles(reader.outline)
    for section in (
        "Cover",
        "Diagram",
        "Summary",
        "Node records",
        "Role matrix",
        "Open problems",
        "Audit trail",
    ):
        assert section in titles
    for i, node in enumerate(recorded.nodes, start=1):
        assert f"{i}. {node.title}" in titles
    # Each node bookmark points at the page where that node's section starts.
    texts = page_texts(report)
    nodes_outline = next(item for item in reader.outline if isinstance(item, list))
    for i, entry in enumerate(nodes_outline, start=1):
        page = reader.get_destination_page_number(entry)
        assert f"{i}. {recorded.nodes[i - 1].title}" in texts[page]


def test_metadata(recorded, report):
    meta = pypdf.PdfReader(report).metadata
    assert meta.title == "Test SOP"
    assert meta.author == SIGNERS[1]  # the SOP owner
    assert "fraud-scorer" in meta.subject
    assert meta.creator == f"SOP Designer {__version__}"
    assert "audit report" in meta["/Keywords"]


def test_every_page_says_page_n_of_m(report):
    texts = page_texts(report)
    assert len(texts) >= 6
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text


def test_diagram_page_is_vector_with_lanes_statuses_and_legend(recorded, report):
    reader = pypdf.PdfReader(report)
    texts = page_texts(report)
    page_no = next(i for i, t in enumerate(texts) if "Diagram: Test SOP" in t)
    page = reader.pages[page_no]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = texts[page_no]
    for lane in ("Data Science", "Security", "Legal", "Business"):
        assert lane in text
    assert "Technical validation" in text and "Final decision" in text
    assert "✔ Approved" in text and "☑ Approved with conditions" in text  # glyph + label, not colour alone
    for label in ("Not started", "In progress", "In review", "Needs revision", "Rejected"):
        assert label in text  # the legend lists every status
    content = page.get_contents().get_data().decode("latin-1")
    assert re.search(r"\bre\b", content) and re.search(r"\bl\b", content)  # rectangles and line paths
    assert "[" in content and "] 0 d" in content  # a dash pattern: the rework edge


def test_unicode_and_missing_glyphs_never_fail(tmp_path):
    doc = make_document()
    doc.nodes[1].title = "Проверка модели · Ελέγχος · 承認 🚀"
    doc.nodes[2].description = "control\x07chars and a lone surrogate \ud800 are dropped"
    path = tmp_path / "u.pdf"
    write_pdf(doc, path)
    text = " ".join(page_texts(path))
    assert "Проверка модели · Ελέγχος" in text
    assert "\ufffd" in text  # CJK and emoji the bundled font lacks print as the replacement character
    assert "controlchars and a lone surrogate are dropped" in text


def test_progress_is_reported_per_node_and_ends_complete(tmp_path):
    doc = make_document()
    calls: list[tuple[int, int]] = []
    write_pdf(doc, tmp_path / "p.pdf", progress=lambda d, t: calls.append((d, t)))
    total = len(doc.nodes) + 1
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert {d for d, _ in calls} >= set(range(total + 1))


def test_cancel_leaves_no_file_and_keeps_an_existing_one(tmp_path):
    doc = make_document()
    target = tmp_path / "r.pdf"
    target.write_bytes(b"the previous report")
    seen: list[int] = []
    with pytest.raises(CancelledError):
        write_pdf(doc, target, progress=lambda d, t: seen.append(d), cancel=lambda: len(seen) >= 2)
    assert target.read_bytes() == b"the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]  # no temp file left behind


def test_validation_problems_are_listed(tmp_path):
    from sopdesigner.rules.validation import validate

    doc = make_document()
    doc.nodes.append(
        Node(
            id="orphan",
            kind=NodeKind.STEP,
            title="Orphan step",
            lane="lane-legal",
            position=Point(x=300, y=400),
        )
    )
    problems = validate(doc)
    assert problems
    path = tmp_path / "v.pdf"
    write_pdf(doc, path)
    text = " ".join(page_texts(path))
    for p in problems:
        assert flat(p.message) in text


def test_a_large_diagram_is_tiled_at_a_legible_scale(tmp_path):
    doc = make_document()
    lanes = [lane.id for lane in doc.lanes]
    for i in range(80):
        doc.nodes.append(
            Node(
                id=f"n{i}",
                kind=NodeKind.STEP,
                title=f"Extra step {i}",
                lane=lanes[i % 4],
                position=Point(x=1400 + 260 * (i // 4), y=80 + 160 * (i % 4)),
            )
        )
    path = tmp_path / "big.pdf"
    write_pdf(doc, path)
    reader = pypdf.PdfReader(path)
    titles = outline_titles(reader.outline)
    parts = [t for t in titles if t.startswith("Part ")]
    assert len(parts) >= 2
    text = " ".join(page_texts(path))
    assert "part 1 of" in text
    for i in range(80):
        assert f"Extra step {i}" in text


def test_tile_plan_keeps_small_diagrams_on_one_page_and_big_ones_legible():
    one = plan_tiles(Rect(-140, 0, 1300, 700), 770, 440)
    assert one.rows * one.cols == 1 and one.scale >= MIN_SCALE
    big = plan_tiles(Rect(-140, 0, 9000, 1400), 770, 440)
    assert big.cols > 1 and big.scale == pytest.approx(MIN_SCALE)
    # The tiles cover the whole content.
    assert min(v.x for v in big.views) <= -140
    assert max(v.right for v in big.views) >= -140 + 9000
    assert max(v.bottom for v in big.views) >= 1400


def test_every_template_exports(tmp_path):
    from sopdesigner.templates import list_templates, load_template

    infos = [i for i in list_templates() if i.builtin]
    assert infos
    for info in infos:
        doc = load_template(info.id)
        path = tmp_path / f"{info.id}.pdf"
        write_pdf(doc, path)
        text = " ".join(page_texts(path))
        for node in doc.nodes:
            assert flat(node.title) in text, (info.id, node.title)


def test_cancel_is_honoured_inside_the_audit_trail_too(tmp_path):
    doc = make_document()
    record_everything(doc)
    seen: list[int] = []
    target = tmp_path / "late.pdf"
    with pytest.raises(CancelledError):
        # Every node section has been laid out by the time this turns true.
        write_pdf(doc, target, progress=lambda d, t: seen.append(d), cancel=lambda: len(doc.nodes) in seen)
    assert len(doc.nodes) in seen
    assert list(tmp_path.iterdir()) == []


def test_cover_states_the_ship_gate_answer(tmp_path):
    from pypdf import PdfReader

    from tests.factories import make_document

    doc = make_document()
    out = tmp_path / "gate.pdf"
    write_pdf(doc, out)
    cover = PdfReader(out).pages[0].extract_text()
    assert "Ship gate" in cover and "May ship: no" in cover
    assert "Security sign-off missing on 'Risk and compliance review'" in " ".join(cover.split())
