"""Display options and small interactions: themes, grid, legend, level of detail, lane header
click and menu, edge menu, selecting and deleting an edge."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from sopdesigner.model import EdgeKind
from sopdesigner.ui.canvas.legend_item import LegendItem
from sopdesigner.ui.canvas.menus import edge_menu, lane_menu
from sopdesigner.ui.canvas.style import DARK, LIGHT, THEMES, theme_named


def _pixel(canvas, x, y) -> QColor:
    image = canvas.view.viewport().grab().toImage()
    p = canvas.vp(x, y)
    return image.pixelColor(p.x(), p.y())


def test_theme_switch_repaints_in_dark_colours(canvas, qtbot):
    # (200, 40) is empty lane background in the first (data science) lane.
    assert _pixel(canvas, 200, 30) == QColor(LIGHT.lane_fill_a)
    canvas.scene.set_theme(DARK)
    assert _pixel(canvas, 200, 30) == QColor(DARK.lane_fill_a)
    item = canvas.scene.node_item("risk")
    # The status colour is the same in both themes: status reads the same everywhere.
    assert item.status_colour() == QColor("#9E9E9E")
    assert theme_named("Dark") is DARK and theme_named("nope") is LIGHT


def test_grid_toggle(canvas):
    canvas.scene.set_legend_visible(True)
    # Above the lanes and right of the legend there is only background and grid.
    x, y = 10, -200
    canvas.view.centerOn(300, -100)
    lines = {_pixel(canvas, x + dx, y).name() for dx in range(0, 40)}
    assert QColor(LIGHT.grid).name() in lines
    canvas.scene.set_grid_visible(False)
    lines = {_pixel(canvas, x + dx, y).name() for dx in range(0, 40)}
    assert lines == {QColor(LIGHT.background).name()}


def _background(canvas, rect: QRectF) -> set[str]:
    """The colours ``drawBackground`` leaves in ``rect`` at 100 % (one image pixel a unit)."""
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("#FF00FF"))
    painter = QPainter(image)
    painter.translate(-rect.left(), -rect.top())
    canvas.scene.drawBackground(painter, rect)
    painter.end()
    return {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}


def test_grid_is_not_drawn_under_the_lanes(canvas):
    # Only safe because a lane's fills hide everything under them, in every theme.
    for theme in THEMES.values():
        for name in ("lane_fill_a", "lane_fill_b", "lane_header_fill"):
            assert theme.color(name).alpha() == 255, (theme.name, name)
    background, grid = QColor(LIGHT.background).name(), QColor(LIGHT.grid).name()
    lanes = canvas.scene.lane_item(canvas.controller.document.lanes[0].id).sceneBoundingRect()
    inside = QRectF(lanes.left() + 200, lanes.top() + 20, 120, 60)
    assert _background(canvas, inside) == {background}
    # Where the repaint reaches past the lanes (here above the first) the grid is drawn.
    across = inside.translated(0, -lanes.top() - 80)
    assert _background(canvas, across) == {background, grid}


def test_legend_toggle_changes_export_area(canvas):
    legend = next(i for i in canvas.scene.items() if isinstance(i, LegendItem))
    with_legend = canvas.scene.content_rect()
    assert with_legend.contains(legend.sceneBoundingRect())
    canvas.scene.set_legend_visible(False)
    assert not legend.isVisible()
    assert canvas.scene.legend_visible() is False


def test_text_is_laid_out_lazily_and_skipped_when_zoomed_out(canvas, qapp):
    from sopdesigner.ui.canvas.scene import DiagramScene
    from sopdesigner.ui.canvas.view import DiagramView

    scene = DiagramScene(canvas.controller, LIGHT)
    view = DiagramView(scene)
    view.resize(800, 500)
    view.show()
    view.set_zoom(0.2)
    view.viewport().grab()
    # Drawn at 20 %: outlines only, so no node has paid for its text layout yet.
    assert all(item._layout is None for item in scene.node_items())
    view.set_zoom(1.0)
    view.centerOn(scene.node_item("risk").pos())
    view.viewport().grab()
    assert scene.node_item("risk")._layout is not None
    view.close()


def test_click_on_lane_header_emits_lane_selected(canvas, qtbot):
    with qtbot.waitSignal(canvas.scene.lane_selected) as blocker:
        canvas.press(-70, 400)
        canvas.release(-70, 400)
    assert blocker.args == ["lane-legal"]


def test_lane_menu_actions_run_scene_commands(canvas):
    menu = lane_menu(canvas.scene, "lane-security")
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert set(actions) == {"Rename…", "Move up", "Move down", "Add lane below…", "Remove lane"}
    actions["Move down"].trigger()
    assert [la.id for la in canvas.doc.lanes][1:3] == ["lane-legal", "lane-security"]
    first = lane_menu(canvas.scene, "lane-data-science")
    up = next(a for a in first.actions() if a.text() == "Move up")
    assert not up.isEnabled()


def test_edge_menu_toggles_rework(canvas):
    menu = edge_menu(canvas.scene, canvas.scene.edge_item("e2"))
    rework = next(a for a in menu.actions() if a.text().startswith("Rework"))
    assert not rework.isChecked()
    rework.trigger()
    assert canvas.doc.edge("e2").kind is EdgeKind.REWORK
    canvas.undo()
    assert canvas.doc.edge("e2").kind is EdgeKind.FLOW


def test_click_an_edge_then_delete_it(canvas):
    # e1 runs straight from start's right side (175, 80) to validate's left side (245, 80).
    canvas.press(210, 80)
    canvas.release(210, 80)
    assert canvas.scene.selected_edge_ids() == ["e1"] and canvas.scene.selected_node_ids() == []
    canvas.key(Qt.Key.Key_Delete)
    assert "e1" not in {e.id for e in canvas.doc.edges}
    assert {n.id for n in canvas.doc.nodes} >= {"start", "validate"}
    canvas.undo()
    assert canvas.doc.edge("e1").source == "start"


def test_ctrl_a_selects_everything(canvas):
    canvas.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.scene.selected_node_ids()) == 6 and len(canvas.scene.selected_edge_ids()) == 6


def test_drag_a_multi_selection_moves_all_in_one_step(canvas):
    canvas.scene.select_ids(["start", "validate"])
    canvas.drag((100, 80), (100, 120))
    assert canvas.doc.node("start").position.y == 120
    assert canvas.doc.node("validate").position.y == 120
    assert canvas.controller.undo_stack.count() == 1
    assert canvas.scene.node_item("validate").pos() == QPointF(340, 120)
