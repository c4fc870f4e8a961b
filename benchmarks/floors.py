"""The floors of PERFORMANCE.md: bare PySide6 / pydantic / sqlite3 / networkx / reportlab doing
the same work as the product with nothing else. ``run.py`` measures each next to the product in
the same run and reports product / floor.

Imports are lazy (inside functions) except for Qt in ``FloorItem``'s module-level class, which
is created on first use, so a cold floor process pays only for what its floor uses.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sopdesigner.model.document import Document

_ITEM_CLASS: Any = None


def _item_class() -> Any:
    """The floor node item: outline + title, title skipped below 50 % (level of detail)."""
    global _ITEM_CLASS
    if _ITEM_CLASS is not None:
        return _ITEM_CLASS
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QPainter, QPen
    from PySide6.QtWidgets import QGraphicsItem

    class _FloorItem(QGraphicsItem):
        def __init__(self, w: float, h: float, title: str):
            super().__init__()
            self._rect = QRectF(-w / 2, -h / 2, w, h)
            self._title = title
            self._pen = QPen(QColor("#52606D"), 2)
            self._brush = QBrush(QColor("#FFFFFF"))
            self.setFlags(
                QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            )

        def boundingRect(self) -> QRectF:
            return self._rect.adjusted(-2, -2, 2, 2)

        def paint(self, painter: QPainter, option, widget=None) -> None:
            painter.setPen(self._pen)
            painter.setBrush(self._brush)
            painter.drawRoundedRect(self._rect, 8, 8)
            if option.levelOfDetailFromTransform(painter.worldTransform()) >= 0.5:
                painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self._title)

    _ITEM_CLASS = _FloorItem
    return _FloorItem


def FloorItem(w: float, h: float, title: str) -> Any:
    return _item_class()(w, h, title)


def floor_scene(doc: Document) -> tuple[Any, dict[str, Any]]:
    """A BSP-indexed scene: one floor item per node (at its centre), one stock line per
    connector, an explicit scene rect. Returns (scene, items by node id)."""
    from PySide6.QtWidgets import QGraphicsScene

    scene = QGraphicsScene()
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
    return scene, floor_populate(scene, doc)


def floor_populate(scene: Any, doc: Document) -> dict[str, Any]:
    """T4's floor: fill an existing (empty) scene as ``floor_scene`` does, so a rebuild can be
    measured in a scene that a shown view already displays. Returns the items by node id."""
    from PySide6.QtGui import QColor, QPen

    from sopdesigner.model.geometry import NODE_SIZES

    items = {}
    for nd in doc.nodes:
        w, h = NODE_SIZES[nd.kind]
        it = FloorItem(w, h, nd.title)
        it.setPos(nd.position.x, nd.position.y)
        scene.addItem(it)
        items[nd.id] = it
    pen = QPen(QColor("#3E4C59"), 1.8)
    for e in doc.edges:
        a, b = items[e.source].pos(), items[e.target].pos()
        scene.addLine(a.x(), a.y(), b.x(), b.y(), pen).setZValue(-1)
    scene.setSceneRect(scene.itemsBoundingRect().adjusted(-400, -400, 400, 400))
    return items


def floor_read(path: Path) -> Document:
    """The read part of T2/T3: bare sqlite3 reads the stored body and audit rows, the product's
    pydantic model validates them with the GC paused, and the survivors are frozen."""
    import gc
    import json

    con = sqlite3.connect(path)
    try:
        body = con.execute("SELECT body FROM document WHERE id = 1").fetchone()[0]
        events = [r[0] for r in con.execute("SELECT event FROM audit ORDER BY seq")]
    finally:
        con.close()
    gc.disable()
    try:
        data = json.loads(body)
        data["audit"] = [json.loads(e) for e in events]
        doc = Document.model_validate(data)
    finally:
        gc.enable()
    gc.freeze()
    return doc


def floor_open(path: Path, width: int, height: int) -> tuple[Document, Any]:
    """T2/T3 "document part": ``floor_read``, then ``floor_scene`` in a shown BSP view, fitted
    (antialiasing only when zoomed in enough, as level of detail) and painted once. Returns the
    document and the view (keep it alive while measuring)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication, QGraphicsView

    doc = floor_read(path)
    scene, _items = floor_scene(doc)
    rect = scene.itemsBoundingRect()
    view = QGraphicsView(scene)
    scene.setParent(view)  # a view does not own its scene; the caller keeps only the view
    view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
    view.resize(width, height)
    view.show()
    QApplication.processEvents()
    view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
    view.setRenderHint(QPainter.RenderHint.Antialiasing, view.transform().m11() >= 0.4)
    view.viewport().repaint()
    return doc, view


def floor_validation(doc: Document) -> int:
    """T13: the bare networkx pass of ``bench_rules`` (graph, acyclicity, reachability,
    generations, one loop over every node's records)."""
    from benchmarks.bench_rules import floor_pass

    return floor_pass(doc)


class FloorStore:
    """T14: the same file layout written by bare sqlite3 (rollback journal, synchronous FULL,
    as the product's file): one transaction updating the document body and appending the new
    audit rows, after ``model_dump_json``."""

    def __init__(self, path: Path, doc: Document) -> None:
        self.con = sqlite3.connect(path, isolation_level=None)
        self.con.execute("PRAGMA journal_mode = DELETE")
        self.con.execute("PRAGMA synchronous = FULL")
        self.con.execute("CREATE TABLE document(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        self.con.execute(
            "CREATE TABLE audit(seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, event TEXT NOT NULL)"
        )
        self.con.execute("INSERT INTO document VALUES (1, '')")
        self.stored = 0
        self.save(doc)

    def save(self, doc: Document) -> None:
        body = doc.model_dump_json(exclude={"audit"})
        new = doc.audit[self.stored :]
        self.con.execute("BEGIN IMMEDIATE")
        self.con.executemany(
            "INSERT INTO audit VALUES (?, ?, ?)", [(e.seq, e.hash, e.model_dump_json()) for e in new]
        )
        self.con.execute("UPDATE document SET body = ? WHERE id = 1", (body,))
        self.con.execute("COMMIT")
        self.stored = len(doc.audit)

    def close(self) -> None:
        self.con.close()


def floor_pdf(n: int, path: Path) -> None:
    """T16: bare reportlab platypus, a diagram page of N boxes then one page per node with a
    heading, a paragraph and a small table (``bench_pdf.floor``)."""
    from benchmarks.bench_pdf import floor

    floor(n, path)
