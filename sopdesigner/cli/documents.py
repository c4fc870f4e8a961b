"""``templates``, ``new``, ``import``, ``status`` and ``export``: making documents and reading
them out from scripts.

A command that creates a ``.sop`` file writes it with ``DocumentFile.create`` (it appears
complete or not at all, and never over an existing file) after appending the event that says
where the document came from, through an ``EditSession``. Exports are each written atomically.
Nothing here imports Qt except ``export --png/--svg``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from sopdesigner.cli.common import EXIT_OK, actor_from, fail
from sopdesigner.cli.open_document import missing_evidence, read_document, require_new_path, say, say_json
from sopdesigner.editing.session import EditSession
from sopdesigner.errors import DocumentFileError, InvalidEditError
from sopdesigner.model.document import Document
from sopdesigner.storage.blobs import BlobSource

ZIP_MAGIC = b"PK\x03\x04"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "templates",
        help="list the templates a new document can start from",
        description="List built-in and user templates (id and title).",
    )
    p.add_argument("--json", action="store_true", help="print id, title, description, builtin as JSON")
    p.set_defaults(handler=cmd_templates)

    p = sub.add_parser(
        "new",
        help="create a document from a template or an existing SOP",
        description="Create a new .sop document from a template, or a new deployment "
        "from an existing SOP (same structure, records cleared, fresh audit trail).",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--template", metavar="ID", help="template id (see `sopdesigner templates`)")
    source.add_argument("--from", dest="from_file", metavar="FILE.sop", help="an existing SOP document")
    p.add_argument("out", metavar="OUT", help="the new .sop file (must not exist)")
    p.add_argument("--actor", metavar="A", help="who is recorded in the audit trail")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser(
        "import",
        help="create a document from a diagram.json or an audit package",
        description="Create a .sop document from a diagram.json, or from an audit "
        "package .zip (verified first; its evidence is restored).",
    )
    p.add_argument("src", metavar="SRC", help="diagram.json or audit package .zip")
    p.add_argument("out", metavar="OUT", help="the new .sop file (must not exist)")
    p.add_argument("--actor", metavar="A", help="who is recorded in the audit trail")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "status",
        help="one line per node: status, checklist, evidence, sign-offs",
        description="Show each node's status, checklist progress, evidence and sign-offs.",
    )
    p.add_argument("file", metavar="FILE", help="the .sop document")
    p.add_argument("--json", action="store_true", help="print the status as JSON on stdout")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser(
        "export",
        help="write the PDF report, diagram.json, audit package or images",
        description="Export a document; give at least one output.",
    )
    p.add_argument("file", metavar="FILE", help="the .sop document")
    p.add_argument("--pdf", metavar="P", help="PDF report")
    p.add_argument("--json", metavar="J", help="canonical diagram.json")
    p.add_argument("--package", metavar="Z", help="audit package (BagIt .zip)")
    p.add_argument("--png", metavar="I", help="PNG image of the diagram")
    p.add_argument("--svg", metavar="S", help="SVG image of the diagram")
    p.set_defaults(handler=cmd_export)


# --------------------------------------------------------------------------- templates / new
def cmd_templates(args: argparse.Namespace) -> int:
    from sopdesigner.templates import list_templates

    infos = list_templates()
    if args.json:
        say_json(
            [
                {"id": t.id, "title": t.title, "description": t.description, "builtin": t.builtin}
                for t in infos
            ]
        )
        return EXIT_OK
    width = max((len(t.id) for t in infos), default=0)
    for t in infos:
        say(f"{t.id.ljust(width)}  {t.title}{'' if t.builtin else '  (yours)'}")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from sopdesigner.templates import load_template, new_deployment

    out = require_new_path(args.out)
    if args.template is not None:
        doc = load_template(args.template)
        doc.audit = []  # a template carries no history; the trail starts here
        details: dict[str, str] = {"template": args.template}
    else:
        src = Path(args.from_file)
        source_doc = read_document(src)
        doc = new_deployment(source_doc)
        details = {"from": src.name, "from_document": source_doc.id}
    EditSession(doc, actor_from(args)).log("document.created", None, details)
    _create(out, doc)
    say(f"Created '{out}' ({len(doc.nodes)} nodes).")
    return EXIT_OK


def _create(
    out: Path, doc: Document, blobs: BlobSource | None = None, elsewhere: Callable[[str], bool] | None = None
) -> None:
    from sopdesigner.storage.document_file import DocumentFile

    DocumentFile.create(out, doc, blobs=blobs, elsewhere=elsewhere).close()


# --------------------------------------------------------------------------- import
def cmd_import(args: argparse.Namespace) -> int:
    from sopdesigner.export.importing import importing

    src = Path(args.src)
    out = require_new_path(args.out)
    with importing(src, actor_from(args)) as result:
        doc = result.document
        # diagram.json carries evidence metadata, not bytes: keep the records, say what is missing.
        missing = result.missing_bytes
        _create(out, doc, blobs=result.blobs, elsewhere=missing.__contains__ if missing else None)
    restored = ", evidence restored" if result.is_package else ""
    say(f"Imported '{src.name}' into '{out}' ({len(doc.nodes)} nodes{restored}).")
    if missing:
        fail(
            f"note: {len(missing)} evidence file(s) are listed without their bytes (a diagram.json holds "
            "none); import the audit package to restore them."
        )
    return EXIT_OK


# --------------------------------------------------------------------------- status
def cmd_status(args: argparse.Namespace) -> int:
    from sopdesigner.cli.status_table import status_data, status_lines

    doc = read_document(args.file)
    if args.json:
        say_json(status_data(doc))
    else:
        say("\n".join(status_lines(doc)))
    return EXIT_OK


# --------------------------------------------------------------------------- export
def cmd_export(args: argparse.Namespace) -> int:
    from sopdesigner.storage.document_file import DocumentFile

    source = Path(args.file)
    outputs = [
        (kind, Path(value))
        for kind in ("pdf", "json", "package", "png", "svg")
        if (value := getattr(args, kind)) is not None
    ]
    if not outputs:
        raise InvalidEditError("Give at least one of --pdf, --json, --package, --png or --svg.")
    targets = [p.resolve() for _, p in outputs]
    if len(set(targets)) != len(targets):
        raise InvalidEditError("Two exports name the same file; give each its own path.")
    if source.exists() and source.resolve() in targets:
        raise InvalidEditError(f"An export would overwrite the document '{source.name}' itself.")
    for _, path in outputs:
        if path.is_dir():
            raise DocumentFileError(f"'{path}' is a folder.")
        if not path.parent.is_dir():
            raise DocumentFileError(f"The folder '{path.parent}' does not exist.")
    with DocumentFile.open(source, read_only=True) as f:
        doc = f.load()
        for kind, path in outputs:
            EXPORTERS[kind](doc, f, path)
            say(f"Wrote {kind} {path}")
    return EXIT_OK


def _export_json(doc: Document, blobs: BlobSource, path: Path) -> None:
    from sopdesigner.export.diagram_json import dumps_diagram
    from sopdesigner.storage.atomic import atomic_output

    data = dumps_diagram(doc)
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
        # The temp file is created private (0600); an export is meant to be shared like any
        # file the user saves, so give it the permissions the user's umask asks for.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)


def _export_pdf(doc: Document, blobs: BlobSource, path: Path) -> None:
    from sopdesigner.export.pdf_report import write_pdf

    write_pdf(doc, path)


def _export_package(doc: Document, blobs: BlobSource, path: Path) -> None:
    missing = missing_evidence(doc, blobs)
    if missing:
        raise DocumentFileError(
            f"The bytes of evidence '{missing[0]}' are not in this document, so no audit package was written."
        )
    from sopdesigner.export.package import write_package

    write_package(doc, blobs, path)


def _headless_qt() -> None:
    """Images need Qt but no window: without this, on a build server with no display (or a stale
    ssh DISPLAY) Qt aborts the whole process while looking for one. An explicit choice wins."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _export_png(doc: Document, blobs: BlobSource, path: Path) -> None:
    _headless_qt()
    from sopdesigner.ui.canvas.image_export import render_png  # Qt, only for images

    render_png(doc, path)


def _export_svg(doc: Document, blobs: BlobSource, path: Path) -> None:
    _headless_qt()
    from sopdesigner.ui.canvas.image_export import render_svg

    render_svg(doc, path)


EXPORTERS: dict[str, Callable[[Document, BlobSource, Path], None]] = {
    "pdf": _export_pdf,
    "json": _export_json,
    "package": _export_package,
    "png": _export_png,
    "svg": _export_svg,
}
