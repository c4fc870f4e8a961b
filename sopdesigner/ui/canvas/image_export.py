"""PNG and SVG pictures of a document, drawn exactly as the canvas draws it, with the PRINT
theme (whatever the window's theme), the request header and the status legend.

Needs no window: a QApplication is created if none exists (offscreen works). The document is
copied, so rendering never touches the caller's model or undo history.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter

from sopdesigner.errors import DocumentFileError
from sopdesigner.model.document import Document
from sopdesigner.ui.canvas.style import PRINT

BORDER = 24.0


def _ensure_app() -> None:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        QApplication([])


def _print_scene(doc: Document):
    from sopdesigner.ui.canvas.scene import DiagramScene
    from sopdesigner.ui.controller import DocumentController

    controller = DocumentController(doc.model_copy(deep=True), actor="export")
    scene = DiagramScene(controller, PRINT)
    scene.set_grid_visible(False)
    scene.set_legend_visible(True)
    scene.clearSelection()
    return scene, controller


def _source_rect(scene) -> QRectF:
    return scene.content_rect().adjusted(-BORDER, -BORDER, BORDER, BORDER)


def render_png(doc: Document, path, *, scale: float = 2.0) -> None:
    """Write the diagram as a PNG at ``scale`` pixels per scene unit (2.0 suits high-DPI and print)."""
    _ensure_app()
    scene, _controller = _print_scene(doc)
    source = _source_rect(scene)
    size = QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
    if size.width() * size.height() > 400_000_000:
        raise DocumentFileError(
            "The diagram is too large for a PNG at this scale; use SVG or a smaller scale."
        )
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, size.width(), size.height()), source)
    painter.end()
    _save(path, lambda tmp: image.save(str(tmp), "PNG"))


def render_svg(doc: Document, path) -> None:
    """Write the diagram as an SVG (vector; text stays text)."""
    from PySide6.QtSvg import QSvgGenerator

    _ensure_app()
    scene, _controller = _print_scene(doc)
    source = _source_rect(scene)
    target = Path(path)

    def write(tmp: Path) -> bool:
        gen = QSvgGenerator()
        gen.setFileName(str(tmp))
        gen.setSize(QSize(round(source.width()), round(source.height())))
        gen.setViewBox(QRectF(0, 0, source.width(), source.height()))
        gen.setTitle(doc.title)
        gen.setDescription(f"SOP diagram '{doc.title}' exported by SOP Designer")
        painter = QPainter(gen)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(QRectF(0, 0, source.width(), source.height()), Qt.GlobalColor.white)
        scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
        return painter.end()

    _save(target, write)


def _save(path, write) -> None:
    """Write through a temp file and rename, so a failed export never leaves half a picture."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        ok = write(tmp)
        if not ok or not tmp.exists():
            raise DocumentFileError(f"Could not write the picture to {target}.")
        os.replace(tmp, target)
    except OSError as err:
        raise DocumentFileError(f"Could not write the picture to {target}: {err.strerror or err}.") from err
    finally:
        if tmp.exists():
            tmp.unlink()
