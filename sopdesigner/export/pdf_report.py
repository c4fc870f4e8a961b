"""The PDF audit report: ``write_pdf(doc, path)`` lays out the sections and writes atomically.

The file is built in a temporary file next to the target, fsynced, and moved into place only
when complete; a cancel or an error leaves no file behind. reportlab is imported only when a
report is made, so start-up and ``sopdesigner validate`` stay fast. Pages are A4: the cover,
summary and node sections portrait, the diagram and the audit trail landscape; every page has a
"Page N of M" footer (M is a form drawn once at the end, so a single layout pass suffices).
"""

from __future__ import annotations

import gc
import os
import tempfile
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sopdesigner import APP_NAME, __version__
from sopdesigner.errors import CancelledError, SopError
from sopdesigner.model.clock import utc_now
from sopdesigner.model.document import Document

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

MARGIN = 36.0
FOOTER_FORM = "sopdesigner-page-total"


class _Cancelled(Exception):
    """Raised inside the layout loop; turned into CancelledError once the temp file is gone."""


def _validated(doc: Document) -> tuple[list[Any] | None, Any]:
    """The problems and the facts validation gathered (the cover's ship gate reuses both, so
    the document is validated once per report), or ``(None, None)`` without the rules."""
    try:
        from sopdesigner.rules.validation import validate_with_view
    except ImportError:
        return None, None
    problems, view = validate_with_view(doc)
    return list(problems), view


def write_pdf(
    doc: Document,
    path: str | os.PathLike[str],
    *,
    problems: list[Any] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> None:
    """Write the audit report of ``doc`` to ``path``; raise CancelledError (and write nothing)
    if ``cancel()`` turns true. ``progress(done, total)`` is called once per node section."""
    target = Path(path)
    checked = None
    if problems is None:
        problems, view = _validated(doc)
        checked = None if problems is None else (problems, view)
    if cancel is not None and cancel():
        raise CancelledError("The PDF export was cancelled; no file was written.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SopError(f"The folder {folder} does not exist, so the PDF cannot be written there.")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    # The cyclic GC is paused meanwhile, as for bulk loads (PERFORMANCE.md): layout allocates
    # millions of short-lived objects, and each full collection they trigger walks the whole
    # open document again (a quarter of the export's time at 1,000 nodes). Reference counting
    # still frees them as they go, so memory stays flat.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _build(doc, tmp, problems, checked, progress, cancel)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(folder)
    except _Cancelled:
        tmp.unlink(missing_ok=True)
        raise CancelledError("The PDF export was cancelled; no file was written.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if gc_was_enabled:
            gc.enable()


try:
    # ISA-L's deflate writes a standard zlib stream three times faster than zlib at level 1
    # (the pages of a long report are ~15 MB of operators).
    from isal.isal_zlib import compress as _isal_compress

    def _deflate(data: bytes) -> bytes:
        return _isal_compress(data, 1)

except ImportError:  # a platform without an isal wheel: the same stream, made by zlib

    def _deflate(data: bytes) -> bytes:
        return zlib.compress(data, 1)


def compress_page(page: Any) -> None:
    """Deflate a finished page's content now rather than when the file is saved: the report
    holds one compressed stream per page instead of every page's text until the end (peak
    memory), and skips reportlab's ASCII85 pass over it (a binary stream is a valid PDF and a
    fifth smaller). The stream is what reportlab writes with compression on, minus ASCII85."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream

    text = page.stream
    if not page.compression or not text:
        return
    stream = PDFStream(content=_deflate(text.encode("utf8") if isinstance(text, str) else text))
    stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
    stream.__Comment__ = "page stream"
    page.Contents = stream
    page.stream = None


def light_page(page: Any) -> None:
    """Let a plain finished page format itself directly at save instead of through
    reportlab's general catalog machinery (a thousand pages, twenty attribute lookups and a
    dictionary object each). Pages with anything more than contents and shared resources
    (annotations, boxes, transitions, durations) keep reportlab's formatting."""
    if (
        page.Annots
        or page.Dur is not None
        or page.Rotate
        or any(getattr(page, box) for box in ("CropBox", "ArtBox", "BleedBox", "TrimBox"))
        or (page.Trans is not None and page.Trans.dict)
    ):
        return
    page.__class__ = _light_page_class()


_LIGHT_PAGE: Any = None


def _light_page_class() -> Any:
    """The page class ``light_page`` gives (made on first use: reportlab is imported lazily)."""
    global _LIGHT_PAGE
    if _LIGHT_PAGE is None:
        from reportlab.lib.rl_accel import fp_str
        from reportlab.pdfbase.pdfdoc import PDFPage

        class LightPage(PDFPage):
            def format(self, document: Any) -> bytes:
                ref = document.Reference
                return (
                    f"<<\n/Contents {ref(self.Contents).format(document).decode('ascii')}"
                    f" /MediaBox [ 0 0 {fp_str(self.pagewidth)} {fp_str(self.pageheight)} ]"
                    f" /Parent {ref(document.Pages).format(document).decode('ascii')}"
                    f" /Resources {ref(self.Resources).format(document).decode('ascii')}"
                    " /Type /Page\n>>"
                ).encode("ascii")

        _LIGHT_PAGE = LightPage
    return _LIGHT_PAGE


def share_resources(page: Any, doc: Any, shared: dict[tuple[Any, ...], Any]) -> None:
    """Point a finished page at one resource dictionary shared by every page that uses the same
    resources, instead of the copy reportlab writes into each page (a thousand identical
    ``/Font /ProcSet /XObject`` dictionaries formatted at save). Pages with colour spaces,
    shadings or graphics states of their own keep their own dictionary."""
    from reportlab.pdfbase.pdfdoc import PDFResourceDictionary

    if page.Resources or page._colorsUsed or page._shadingUsed or page.ExtGState:
        return
    forms = page.XObjects
    key = (bool(page.hasImages), tuple(sorted(forms.dict)) if forms is not None else ())
    ref = shared.get(key)
    if ref is None:
        resources = PDFResourceDictionary()
        resources.basicFonts()
        if page.hasImages:
            resources.allProcs()
        if forms is not None:
            resources.XObject = forms
        ref = shared[key] = doc.Reference(resources, f"SOPResources{len(shared)}")
    page.Resources = ref


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _build(
    doc: Document,
    out: Path,
    problems: list[Any] | None,
    checked: tuple[list[Any], Any] | None,
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    from reportlab.lib.colors import Color
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

    from sopdesigner.export import pdf_fonts, pdf_grid, pdf_text
    from sopdesigner.export import pdf_sections as sec
    from sopdesigner.export.pdf_audit import audit_trail
    from sopdesigner.export.pdf_diagram import diagram_flowables
    from sopdesigner.export.pdf_fonts import REGULAR, plain_text
    from sopdesigner.export.pdf_records import node_section
    from sopdesigner.export.pdf_styles import Expand, expand_placeholders, make_styles
    from sopdesigner.export.pdf_text import TextWriter
    from sopdesigner.model.status import node_status

    styles = make_styles()
    portrait_size, landscape_size = A4, landscape(A4)
    footer_h = 20.0
    pw, ph = portrait_size[0] - 2 * MARGIN, portrait_size[1] - 2 * MARGIN - footer_h
    lw, lh = landscape_size[0] - 2 * MARGIN, landscape_size[1] - 2 * MARGIN - footer_h
    title = plain_text(doc.title) or "Untitled SOP"
    head = doc.audit_head
    exported_at = utc_now()

    grey = Color(0.4, 0.4, 0.4)
    footer_text = f"{title[:90]} · audit head {head[:16]}…"
    room = stringWidth("00000", REGULAR, 7.5)  # the total is drawn later: room for five digits

    def footer(canvas: Any, _doc: Any) -> None:
        width = canvas._pagesize[0]
        label = f"Page {canvas.getPageNumber()} of "
        label_w = stringWidth(label, REGULAR, 7.5)
        x = width - MARGIN - room - label_w
        text = TextWriter(canvas)
        text.lines(REGULAR, 7.5, grey, MARGIN, MARGIN - 14, 9.0, [footer_text])
        text.lines(REGULAR, 7.5, grey, x, MARGIN - 14, 9.0, [label])
        text.finish()
        # The total is a form defined once all pages exist. Placed with raw operators: the
        # canvas's saveState/translate/restoreState cost more than the rest of the footer.
        canvas._code.append(f"q 1 0 0 1 {pdf_text.num(x + label_w)} {pdf_text.num(MARGIN - 14)} cm")
        canvas.doForm(FOOTER_FORM)
        canvas._code.append("Q")

    class ReportCanvas(Canvas):
        _sop_resources: dict[tuple[Any, ...], Any]

        def showPage(self) -> None:
            super().showPage()
            page = self._doc.Pages.pages[-1]
            compress_page(page)
            share_resources(page, self._doc, self.__dict__.setdefault("_sop_resources", {}))
            if page.Resources is not None and page.Contents is not None:
                light_page(page)

        def save(self) -> None:
            self.beginForm(FOOTER_FORM)
            self.setFont(REGULAR, 7.5)
            self.setFillColorRGB(0.4, 0.4, 0.4)
            self.drawString(0, 0, str(self.getPageNumber() - 1))
            self.endForm()
            super().save()

    class ReportTemplate(BaseDocTemplate):
        def filterFlowables(self, flowables: list[Any]) -> None:
            expand_placeholders(flowables)

        def afterFlowable(self, flowable: Any) -> None:
            for text, key, level in getattr(flowable, "outline", ()):
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(
                    plain_text(text)[:200], key, level=level, closed=level == 0 and key == "nodes"
                )

    keywords = ["AI model deployment", "approval", "audit report", "SOP"]
    keywords += [k for k in (doc.request.model_name, doc.request.model_version) if k.strip()]
    subject = "Deployment approval audit report"
    if doc.request.model_name.strip():
        subject += f" for {doc.request.model_name.strip()} {doc.request.model_version.strip()}".rstrip()
    template = ReportTemplate(
        str(out),
        pagesize=portrait_size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + footer_h,
        title=title,
        author=plain_text(doc.identity.owner.strip() or doc.request.requester.strip() or APP_NAME),
        subject=plain_text(subject),
        keywords=[plain_text(k) for k in keywords],
        creator=f"{APP_NAME} {__version__}",
        producer=f"{APP_NAME} {__version__} (reportlab)",
    )
    template.addPageTemplates(
        [
            PageTemplate(
                "portrait",
                [
                    Frame(
                        MARGIN,
                        MARGIN + footer_h,
                        pw,
                        ph,
                        id="p",
                        leftPadding=0,
                        rightPadding=0,
                        topPadding=0,
                        bottomPadding=0,
                    )
                ],
                onPage=footer,
                pagesize=portrait_size,
            ),
            PageTemplate(
                "landscape",
                [
                    Frame(
                        MARGIN,
                        MARGIN + footer_h,
                        lw,
                        lh,
                        id="l",
                        leftPadding=0,
                        rightPadding=0,
                        topPadding=0,
                        bottomPadding=0,
                    )
                ],
                onPage=footer,
                pagesize=landscape_size,
            ),
        ]
    )

    statuses = {n.id: node_status(n) for n in doc.nodes}
    total = len(doc.nodes) + 1

    def check() -> None:
        if cancel is not None and cancel():
            raise _Cancelled

    ctx = sec.Ctx(
        doc, styles, pw, lw, ph, exported_at, statuses, problems, check, wide_height=lh, checked=checked
    )

    def report(done: int) -> Callable[[], None]:
        def tick() -> None:
            check()
            if progress is not None:
                progress(done, total)

        return tick

    story: list[Any] = sec.cover(ctx)
    story += [NextPageTemplate("landscape"), PageBreak()]
    tiles = diagram_flowables(doc, lw, lh, f"Diagram: {title}", statuses)
    story.append(sec.Heading("", styles.small, [("Diagram", "diagram", 0)]))
    for i, tile in enumerate(tiles):
        if i:
            story.append(PageBreak())
        if len(tiles) > 1:
            story.append(sec.Heading("", styles.small, [(f"Part {i + 1}", f"diagram-{i + 1}", 1)]))
        story.append(tile)
    story += [NextPageTemplate("portrait"), PageBreak(), sec.Tick(report(0))]
    story += sec.summary(ctx)
    story += [PageBreak(), sec.Heading("Node records", styles.h1, [("Node records", "nodes", 0)])]
    # Node sections are made when layout reaches them (see Expand): peak memory stays flat.
    story += [
        Expand(partial(node_section, ctx, i, node, report(i))) for i, node in enumerate(doc.nodes, start=1)
    ]
    roles_wide = len(doc.roles) > 7
    if roles_wide:
        story += [NextPageTemplate("landscape")]
    story += [PageBreak()]
    story += sec.role_matrix(ctx, lw if roles_wide else pw, lh if roles_wide else ph)
    story += sec.problems_section(ctx, lh if roles_wide else ph)
    if not roles_wide:
        story += [NextPageTemplate("landscape")]
    story += [PageBreak()]
    story += audit_trail(ctx)
    try:
        template.build(story, canvasmaker=ReportCanvas)
    finally:
        # The layout caches hold this report's strings: memory goes back once it is written.
        pdf_grid.clear_caches()
        pdf_text.clear_caches()
        pdf_fonts.clear_caches()
    if progress is not None:
        progress(total, total)
