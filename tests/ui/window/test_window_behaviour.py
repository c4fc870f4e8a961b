"""Autosave timing, preferences, theme, run(path) and keyboard order on the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox

from sopdesigner.ops.nodes import SetNodeFields
from sopdesigner.storage.document_file import DocumentFile
from sopdesigner.storage.settings import Settings, load_settings, save_settings
from sopdesigner.storage.workspace import Workspace


def test_autosave_after_editing_stops_and_clean_close_discards(window, answers, template_doc, qtbot):
    window.update_settings(autosave_seconds=1)
    window.new_from_document(template_doc)
    assert window.workspace.work_path is None
    node = window.controller.document.nodes[0]
    window.controller.execute(SetNodeFields(node.id, {"title": "Autosaved title"}))
    assert window.files.autosave_timer.isActive()
    assert window.files.autosave_timer.interval() == 1000
    qtbot.waitUntil(
        lambda: window.workspace.work_path is not None and window.workspace.work_path.exists(), timeout=10_000
    )
    work = window.workspace.work_path
    with DocumentFile.open(work, read_only=True) as f:
        assert f.load().node(node.id).title == "Autosaved title"
    # A running editor's own snapshot is not offered for recovery.
    assert Workspace.recoverable() == []
    answers.question = answers.question.Discard
    assert window.files.close_document()
    assert not work.exists()


def test_preferences_set_actor_and_autosave(window, template_doc, monkeypatch):
    from sopdesigner.ui import help_dialogs

    def fake_exec(self):
        self.name.setText("Grace Hopper")
        self.autosave.setValue(7)
        return 1

    monkeypatch.setattr(help_dialogs.PreferencesDialog, "exec", fake_exec)
    window.new_from_document(template_doc)
    window.actions["preferences"].trigger()
    assert load_settings().user_name == "Grace Hopper"
    assert load_settings().autosave_seconds == 7
    node = window.controller.document.nodes[0]
    window.controller.execute(SetNodeFields(node.id, {"title": "By Grace"}))
    assert window.controller.document.audit[-1].actor == "Grace Hopper"


def test_theme_switch_changes_palette_and_is_saved(window):
    window.actions["theme_dark"].trigger()
    dark = QApplication.instance().palette().color(QPalette.ColorRole.Window)
    assert dark.lightness() < 100
    assert load_settings().theme == "dark"
    assert window.effective_theme == "dark" and window.scene.theme.name == "dark"
    window.actions["theme_light"].trigger()
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert window.actions["theme_light"].isChecked() and not window.actions["theme_dark"].isChecked()


def _frame_pixels(box: QCheckBox) -> int:
    image = box.grab().toImage()
    frame = QColor(150, 150, 155)
    return sum(image.pixelColor(x, y) == frame for x in range(image.width()) for y in range(image.height()))


def test_dark_theme_frames_check_boxes_and_light_is_plain_fusion(window, qtbot):
    from sopdesigner.ui.check_frame_style import CheckFrameStyle

    app = QApplication.instance()
    window.actions["theme_dark"].trigger()
    assert isinstance(app.style(), CheckFrameStyle)
    dark_box = QCheckBox("Done")
    qtbot.addWidget(dark_box)
    assert _frame_pixels(dark_box) > 20  # the square outline Fusion lacks on a dark base
    window.actions["theme_light"].trigger()
    assert not isinstance(app.style(), CheckFrameStyle) and app.style().name() == "fusion"
    light_box = QCheckBox("Done")
    qtbot.addWidget(light_box)
    assert _frame_pixels(light_box) == 0


def test_run_with_a_path_opens_it(qtbot, answers, template_doc, tmp_path):
    from sopdesigner.ui import app

    path = tmp_path / "given.sop"
    DocumentFile.create(path, template_doc).close()
    assert app.run(str(path)) == 0
    win = app.windows.pop()
    qtbot.addWidget(win)
    assert win.workspace.path == path.resolve()
    assert win.controller.document.model_dump() == template_doc.model_dump()
    assert "given.sop" in win.windowTitle() and not win.isWindowModified()
    win.close()


def test_grid_snap_legend_toggles_persist(window):
    save_settings(Settings())
    for key, field in (("grid", "grid_visible"), ("snap", "snap_to_grid"), ("legend", "show_legend")):
        before = getattr(load_settings(), field)
        window.actions[key].trigger()
        assert getattr(load_settings(), field) is (not before)
        assert window.actions[key].isChecked() is (not before)


def test_tab_goes_from_palette_to_canvas(window, template_doc, qtbot):
    window.new_from_document(template_doc)
    window.activateWindow()
    window.palette_panel.list.setFocus()
    qtbot.keyClick(window.palette_panel.list, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.view


def test_problem_click_selects_node(window, template_doc):
    window.new_from_document(template_doc)
    target = template_doc.nodes[2].id
    window.problems_panel.problem_activated.emit([target], [])
    assert window.scene.selected_node_ids() == [target]
    assert window.selection_label.text() == "1 node selected"


def test_lane_header_click_shows_lane_properties(window, template_doc):
    window.new_from_document(template_doc)
    lane = template_doc.lanes[1]
    height = lane.height
    window.scene.lane_selected.emit(lane.id)
    panel = window.properties_panel
    assert panel.stack.currentWidget() is panel.lane_page
    assert panel.lane_role.text() == template_doc.role_name(lane.role)
    panel.lane_height.setValue(height + 40)
    assert window.controller.document.lane(lane.id).height == height + 40
    assert window.undo_action.isEnabled() and "Resize lanes" in window.undo_action.text()


def test_delete_key_while_editing_a_title_edits_text_not_the_diagram(window, template_doc, qtbot):
    from PySide6.QtTest import QTest

    window.new_from_document(template_doc)
    window.show()
    node = template_doc.nodes[1]
    count = len(window.controller.document.nodes)
    window.scene.select_ids([node.id])
    window.view.setFocus()
    window.scene.start_inline_edit(node.id)
    editor = window.scene.inline_editor()
    assert editor is not None
    original = editor.toPlainText()
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Delete)
    assert len(window.controller.document.nodes) == count
    assert editor.toPlainText() == original[1:]


def test_palette_drag_dropped_on_the_canvas_adds_that_kind(window, template_doc):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    window.new_from_document(template_doc)
    window.show()
    before = len(window.controller.document.nodes)
    item = window.palette_panel.list.item(3)  # Decision
    mime = window.palette_panel.list.mimeData([item])
    viewport = window.view.viewport()
    pos = viewport.rect().center()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods),
        QDragMoveEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods),
        QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, buttons, mods),
    ):
        QApplication.sendEvent(viewport, event)
    nodes = window.controller.document.nodes
    assert len(nodes) == before + 1
    assert nodes[-1].kind.value == "decision"
    window.undo_action.trigger()
    assert len(window.controller.document.nodes) == before
