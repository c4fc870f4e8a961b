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


# -- fixed-layout tables: splitting, no text lost, the audit summary, status cells --------------
def long_record_document():
    """The factories' SOP with one node whose record runs over several pages: 90 checklist
    items, 12 evidence files and 10 sign-offs, plus one item longer than a whole page."""
    from sopdesigner.model import ChecklistItem, Decision, Evidence, SignOff

    doc = make_document()
    node = next(n for n in doc.nodes if n.id == "validate")
    node.checklist = [
        ChecklistItem(id=f"i{k}", text=f"Check number {k} of the long record", done=k % 2 == 0, done_by="Ann")
        for k in range(90)
    ]
    words = " ".join(f"word{k}" for k in range(1800))  # ~11,000 characters: taller than a page
    node.checklist.append(ChecklistItem(id="huge", text=f"Huge item start {words} huge item end"))
    node.evidence = [
        Evidence(
            id=f"e{k}",
            sha256=f"{k:064x}",
            size=100 + k,
            filename=f"evidence-file-{k}.txt",
            title=f"Title {k}",
        )
        for k in range(12)
    ]
    node.required_roles = ["security"]
    node.signoffs = [
        SignOff(
            id=f"s{k}",
            signer=f"Signer Number{k}",
            role="security",
            decision=Decision.APPROVE,
            comment=f"Comment {k}",
            at="2026-01-01T10:00:00Z",
        )
        for k in range(10)
    ]
    return doc, node


def test_a_record_longer_than_a_page_splits_repeats_its_headers_and_loses_no_text(tmp_path):
    doc, node = long_record_document()
    path = tmp_path / "long.pdf"
    write_pdf(doc, path)
    texts = page_texts(path)
    record = [t for t in texts if "Check number" in t or "evidence-file-" in t or "Signer Number" in t]
    assert len(record) >= 3  # the record really does run over several pages
    text = " ".join(texts)
    for item in node.checklist[:-1]:
        assert item.text in text
    assert "Huge item start word0 word1" in text and "word1799 huge item end" in text
    for ev in node.evidence:
        assert ev.filename in text and f"SHA-256 {ev.sha256}" in text
    for s in node.signoffs:
        assert s.signer in text and f"Comment: {s.comment}" in text
    # Every page the checklist continues on starts with its header row again.
    first = next(i for i, t in enumerate(texts) if "Node records" in t)
    records = texts[first : next(i for i, t in enumerate(texts) if "Role matrix" in t)]
    continued = [t for t in records if "Check number" in t and "Checklist" not in t]
    assert continued
    for t in continued:
        assert "Item Required Ticked by When (UTC)" in t


def test_every_checklist_item_evidence_and_signoff_of_the_recorded_document_is_printed(recorded, report):
    text = " ".join(page_texts(report))
    for node in recorded.nodes:
        for item in node.checklist:
            assert flat(item.text) in text
        for ev in node.evidence:
            assert flat(ev.filename) in text and ev.sha256 in text
            assert flat(ev.title) in text and flat(ev.category) in text
        for s in node.signoffs:
            assert flat(s.signer) in text
            for part in (s.meaning, s.comment, s.conditions):
                assert flat(part) in text


def test_audit_trail_rows_summarise_the_details_instead_of_printing_json(recorded, report):
    texts = page_texts(report)
    start = next(i for i, t in enumerate(texts) if "Audit trail" in t and "events, oldest first" in t)
    trail = " ".join(texts[start:])
    assert "data/audit-log.jsonl" in trail and "data/diagram.json" in trail
    assert "sopdesigner verify" in trail
    assert 'item "Performance metrics reviewed"' in trail
    assert "signer Zoë Łukasiewicz · Security · request changes" in trail
    assert "evidence metrics report.pdf (1000 bytes, sha256 " in trail
    assert "round 2 · 1 sign-off superseded" in trail
    assert '"item":' not in trail and '"sha256":' not in trail  # no raw JSON
    for event in recorded.audit:
        assert f"{event.hash[:8]}…" in trail  # one row per event


def test_audit_details_read_as_sentences_for_every_action_kind():
    from sopdesigner.export.pdf_audit import Describer

    doc = make_document()
    say = Describer(doc)
    sha = "3f4a" + "0" * 60
    cases = {
        (
            "checklist.ticked",
            '{"item": "i", "text": "Threat model reviewed"}',
        ): 'item "Threat model reviewed"',
        ("checklist.added", '{"item": "i", "text": "New", "required": true}'): 'item "New" (required)',
        ("checklist.changed", '{"item": "i", "text": {"old": "A", "new": "B"}}'): "text: A → B",
        (
            "evidence.attached",
            f'{{"filename": "report.pdf", "size": 31, "sha256": "{sha}", "title": ""}}',
        ): "evidence report.pdf (31 bytes, sha256 3f4a0000…)",
        (
            "signoff.recorded",
            '{"signer": "Yuki Ito", "role": "security", "decision": "approve", "round": 1}',
        ): "signer Yuki Ito · Security · approve",
        (
            "signoff.revoked",
            '{"signer": "Yuki Ito", "role": "legal", "decision": "approve_with_conditions", '
            '"round": 2, "conditions": "Re-check"}',
        ): "signer Yuki Ito · Legal · approve with conditions · round 2 · conditions: Re-check",
        (
            "review.round_started",
            '{"round": 2, "superseded": ["a", "b"]}',
        ): "round 2 · 2 sign-offs superseded",
        ("node.added", '{"title": "Deploy", "kind": "end", "lane": "lane-business"}'): (
            'end "Deploy" · lane Business'
        ),
        (
            "edge.added",
            '{"edge": "e", "source": "start", "target": "validate", "kind": "rework", "label": ""}',
        ): ('from "Deployment request" to "Technical validation" · rework'),
        ("role.added", '{"role": "qa", "name": "Quality"}'): 'role "Quality"',
        ("lane.added", '{"lane": "l", "role": "legal"}'): "lane of role Legal",
        (
            "request.changed",
            '{"model_name": {"old": "", "new": "fraud-scorer"}}',
        ): "model name: — → fraud-scorer",
        ("document.imported", f'{{"source": "diagram.json", "sha256": "{sha}"}}'): (
            "from diagram.json (sha256 3f4a0000…)"
        ),
        ("document.created", '{"template": "standard"}'): "from template standard",
        ("review.ended", '{"attendees": ["A", "B"], "duration": 60}'): "attendees: A, B; duration: 60",
        ("something.new", '{"x": 1}'): "x: 1",
        ("checklist.ticked", '{"item": "i", "text": "T", "undo": true}'): 'item "T" (undo)',
    }
    import json

    for (action, details), expected in cases.items():
        assert say(action, json.loads(details)) == expected, action


def test_audit_rows_are_at_most_two_lines(tmp_path):
    from sopdesigner.editing.session import EditSession

    doc = make_document()
    long_text = "A very long checklist item " + " ".join(f"clause{k}" for k in range(200)) + " THE-END"
    EditSession(doc, actor="Ann").log("checklist.ticked", "validate", {"item": "x", "text": long_text})
    path = tmp_path / "a.pdf"
    write_pdf(doc, path)
    trail = page_texts(path)[-1]
    assert 'item "A very long checklist item clause0' in trail
    assert "THE-END" not in trail  # cut after two lines, with an ellipsis
    assert "…" in trail


def test_status_labels_wrap_inside_the_summary_status_column(tmp_path, recorded, report):
    from reportlab.pdfbase import pdfmetrics

    from sopdesigner.export.pdf_fonts import REGULAR
    from sopdesigner.export.pdf_grid import PAD_X
    from sopdesigner.export.pdf_report import MARGIN
    from sopdesigner.export.pdf_sections import SUMMARY_WIDTHS, status_grid_cell
    from sopdesigner.model.enums import Status
    from sopdesigner.model.status import STATUS_STYLES

    width = SUMMARY_WIDTHS[4]
    for status in Status:
        cell = status_grid_cell(status, width)
        assert " ".join(cell.lines) == f"{STATUS_STYLES[status].glyph} {STATUS_STYLES[status].label}"
        for line in cell.lines:
            assert pdfmetrics.stringWidth(line, REGULAR, 7.8) <= width - 2 * PAD_X, (status, line)
    # In the PDF: the second line of "☑ Approved with conditions" starts inside the status column.
    second = status_grid_cell(Status.APPROVED_WITH_CONDITIONS, width).lines[1]
    left = MARGIN + sum(SUMMARY_WIDTHS[:4])
    reader = pypdf.PdfReader(report)
    summary = next(
        p for p in reader.pages if "Summary" in p.extract_text() and "Sign-offs" in p.extract_text()
    )
    starts: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            starts.append((text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4]))

    summary.extract_text(visitor_text=visit)
    xs = [x for text, x in starts if text.startswith(second)]
    assert xs and all(left < x < left + width for x in xs)


def test_page_streams_are_deflated_binary_and_the_gate_matches_the_cli(tmp_path):
    """Pages are compressed as they are finished (FlateDecode alone, no ASCII85), and the cover's
    ship gate, which reuses the report's validation, says what ``gate`` says on its own."""
    from sopdesigner.rules.gate import gate

    doc = make_document()
    out = tmp_path / "r.pdf"
    write_pdf(doc, out)
    reader = pypdf.PdfReader(out)
    for page in reader.pages:
        contents = page.get_object()["/Contents"].get_object()
        assert contents["/Filter"] in ("/FlateDecode", ["/FlateDecode"])
    cover = flat(reader.pages[0].extract_text())
    result = gate(doc)
    n = len(result.reasons)
    expected = "May ship: yes" if result.ship else f"May ship: no — {n} reason{'s' if n != 1 else ''}"
    assert expected in cover
