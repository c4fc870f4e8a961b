"""Dragging a whole selection: connectors between two selected nodes are carried along (moved
as a whole, not re-routed per mouse move), connectors to unselected nodes re-route live, and
release, Escape and undo leave every connector where routing from the nodes would put it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt

from sopdesigner.ui.canvas.carried_edges import CarriedEdges


def _nodes(canvas) -> dict[str, tuple[float, float]]:
    return {n.node_id: (n.pos().x(), n.pos().y()) for n in canvas.scene.node_items()}


def _routes(canvas) -> dict[str, list[tuple[float, float]]]:
    """Each connector's points in scene units, where they are drawn: by its own item, or
    offset by the drag proxy drawing it in its place (the item is then transparent)."""
    offsets = {}
    for item in canvas.scene.items():
        if isinstance(item, CarriedEdges):
            for edge in item.edges():
                offsets[edge.edge_id] = (item.x(), item.y())
    out = {}
    for e in canvas.doc.edges:
        item = canvas.scene.edge_item(e.id)
        assert item.pos() == QPointF(0, 0)
        assert item.opacity() == (0.0 if e.id in offsets else 1.0)
        dx, dy = offsets.get(e.id, (0.0, 0.0))
        out[e.id] = [(p.x() + dx, p.y() + dy) for p in item.points()]
    return out


def _fresh_routes(canvas) -> dict[str, list[tuple[float, float]]]:
    """What routing every connector again from its nodes' current positions gives."""
    for e in canvas.doc.edges:
        canvas.scene.edge_item(e.id).adjust()
    return _routes(canvas)


def _shifted(routes, dx: float, dy: float):
    return {k: [(x + dx, y + dy) for x, y in pts] for k, pts in routes.items()}


def _drag_all_by(canvas, dx: float, dy: float, release: bool = True) -> None:
    canvas.scene.select_all()
    canvas.press(1060, 80)  # "iterate", by its title
    for i in range(1, 5):
        canvas.move(1060 + dx * i / 4, 80 + dy * i / 4)
    if release:
        canvas.release(1060 + dx, 80 + dy)


def test_dragging_everything_moves_every_node_and_connector_by_the_step(canvas):
    nodes, routes = _nodes(canvas), _routes(canvas)
    _drag_all_by(canvas, 40, 0, release=False)
    # Live, mid-drag: every connector drawn where its nodes now are.
    assert _routes(canvas) == _shifted(routes, 40, 0)
    canvas.release(1100, 80)
    assert _nodes(canvas) == {k: (x + 40, y) for k, (x, y) in nodes.items()}
    assert {(n.position.x, n.position.y) for n in canvas.doc.nodes} == {
        (x + 40, y) for x, y in nodes.values()
    }
    moved = _routes(canvas)
    assert moved == _shifted(routes, 40, 0)
    # Dropped: the proxies are gone, each connector drawn by its item where routing puts it.
    assert not any(isinstance(it, CarriedEdges) for it in canvas.scene.items())
    assert moved == _fresh_routes(canvas)
    assert canvas.controller.undo_stack.count() == 1  # one MoveNodes op

    canvas.undo()
    assert _nodes(canvas) == nodes
    assert _routes(canvas) == routes
    canvas.redo()
    assert _routes(canvas) == _shifted(routes, 40, 0)


def test_escape_restores_every_node_and_connector(canvas):
    nodes, routes = _nodes(canvas), _routes(canvas)
    _drag_all_by(canvas, 60, 20, release=False)
    assert _nodes(canvas) != nodes
    canvas.key(Qt.Key.Key_Escape)
    canvas.release(1120, 100)
    assert _nodes(canvas) == nodes
    assert _routes(canvas) == routes
    assert not any(isinstance(it, CarriedEdges) for it in canvas.scene.items())
    assert canvas.controller.undo_stack.count() == 0


def test_connectors_to_unselected_nodes_follow_live(canvas):
    """All nodes but one selected: the connectors of the one left behind are re-routed on every
    move, the others carried."""
    still = next(n for n in canvas.scene.node_items() if n.node_id != "iterate" and n.edges)
    routes = _routes(canvas)
    canvas.scene.select_ids([n.node_id for n in canvas.scene.node_items() if n is not still])
    canvas.press(1060, 80)
    canvas.move(1080, 80)
    canvas.move(1100, 80)
    live = _routes(canvas)
    touching = {e.edge_id for e in still.edges}
    for eid, pts in live.items():
        if eid not in touching:
            assert pts == _shifted({eid: routes[eid]}, 40, 0)[eid]
    assert any(live[eid] != routes[eid] for eid in touching)  # they followed the move
    for eid in touching:  # ... and are already what routing gives
        canvas.scene.edge_item(eid).adjust()
    assert _routes(canvas) == live
    canvas.release(1100, 80)
    left = canvas.doc.node(still.node_id).position
    assert still.pos() == QPointF(left.x, left.y)
    assert _routes(canvas) == _fresh_routes(canvas)


def test_dragged_nodes_are_cached_only_while_dragged(canvas):
    """A drag blits each dragged node from a device pixmap; afterwards each node has the
    caching the scene chose for the zoom again, uncached ones included."""
    from PySide6.QtWidgets import QGraphicsItem

    mode = QGraphicsItem.CacheMode
    canvas.scene.set_node_caching(False)  # as at an overview zoom
    _drag_all_by(canvas, 40, 0, release=False)
    assert {it.cacheMode() for it in canvas.scene.node_items()} == {mode.DeviceCoordinateCache}
    canvas.release(1100, 80)
    assert {it.cacheMode() for it in canvas.scene.node_items()} == {mode.NoCache}
    canvas.scene.set_node_caching(True)  # a reading zoom: a drag leaves it as it is
    _drag_all_by(canvas, -40, 0)
    assert {it.cacheMode() for it in canvas.scene.node_items()} == {mode.DeviceCoordinateCache}


def test_a_zoom_during_the_drag_decides_the_caching_after_it(canvas):
    from PySide6.QtWidgets import QGraphicsItem

    canvas.scene.set_node_caching(False)
    _drag_all_by(canvas, 40, 0, release=False)
    canvas.scene.set_node_caching(True)  # as the view does when zoomed in to a reading zoom
    canvas.release(1100, 80)
    mode = QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert {it.cacheMode() for it in canvas.scene.node_items()} == {mode}


def test_the_proxy_draws_every_carried_connector_in_view_at_reading_zoom(canvas, monkeypatch):
    """The proxy looks only at the connectors filed in the columns a repaint exposes: one that
    spans many columns (a node moved far away) must still be drawn where it crosses the view."""
    from PySide6.QtCore import QPoint

    from sopdesigner.ops import MoveNodes
    from sopdesigner.ui.canvas import carried_edges

    canvas.controller.execute(MoveNodes({"deploy": (6200.0, 520.0)}))
    long_edges = [e for e in canvas.scene._edges.values() if e.boundingRect().width() > 3 * carried_edges.COLUMN]
    assert long_edges
    view = canvas.view
    view.centerOn(3000, 300)  # over the middle of the long connectors, far from their ends
    _drag_all_by(canvas, 40, 20, release=False)
    proxies = [it for it in canvas.scene.items() if isinstance(it, CarriedEdges)]
    assert proxies and any(set(long_edges) & set(p.edges()) for p in proxies)

    def on_screen():
        vp = view.viewport()
        whole = vp.screen().grabWindow(view.window().winId()).toImage()
        origin = vp.mapTo(view.window(), QPoint(0, 0))
        return whole.copy(origin.x(), origin.y(), vp.width(), vp.height())

    view.viewport().repaint()
    culled = on_screen()
    monkeypatch.setattr(carried_edges, "COLUMN", 1e12)  # one column: every connector looked at
    for p in proxies:
        p._columns, p._span = {0: list(range(len(p._edges)))}, (0, 0)
    view.viewport().repaint()
    assert culled == on_screen()
    canvas.release(1100, 100)
