"""File flows through the real window: save/reopen, unsaved prompt, recent files, revert."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from sopdesigner.ops.nodes import SetNodeFields
from sopdesigner.storage.paths import settings_path
from sopdesigner.storage.settings import load_settings
from sopdesigner.storage.workspace import Workspace


def _first_step(doc):
    return next(n for n in doc.nodes if n.kind.value == "step")


def test_start_page_without_document(window):
    assert window.controller is None
    assert window.central.currentWidget() is window.start_page
    assert window.windowTitle() == "SOP Designer"
    assert window.start_page.templates.count() >= 1
    assert not window.actions["save"].isEnabled()


def test_status_bar_shows_zoom_and_problems_only_with_a_document(window, answers, template_doc):
    status = (window.zoom_label, window.problems_button)
    assert not any(w.isVisible() for w in status)  # the start page: nothing to zoom or check
    window.new_from_document(template_doc.model_copy(deep=True))
    assert all(w.isVisible() for w in status)
    window.files.close_document()
    assert not any(w.isVisible() for w in status)


def test_save_reopen_compare(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc)
    assert window.central.currentWidget() is window.view
    assert window.isWindowModified()
    step = _first_step(window.controller.document)
    assert window.controller.execute(SetNodeFields(step.id, {"title": "Renamed step"}))
    answers.save_path = str(tmp_path / "saved.sop")
    window.actions["save"].trigger()  # never saved before: Save asks where (Save As)
    assert Path(answers.save_path).exists()
    assert not window.isWindowModified()
    assert window.saved_label.text() == "Saved"
    assert "saved.sop" in window.windowTitle()
    before = window.controller.document.model_dump()
    reopened = Workspace.open(answers.save_path)
    try:
        assert reopened.document.model_dump() == before
        assert _first_step(reopened.document).title == "Renamed step"
    finally:
        reopened.close()
    # Close and open again through the window.
    window.actions["close"].trigger()
    assert window.controller is None
    assert window.open_path(answers.save_path)
    assert window.controller.document.model_dump() == before


def test_unsaved_prompt_cancel_discard_save(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc)
    path = tmp_path / "doc.sop"
    answers.save_path = str(path)
    window.files.save()
    step = _first_step(window.controller.document)
    window.controller.execute(SetNodeFields(step.id, {"title": "Changed"}))
    assert window.saved_label.text() == "Modified"

    answers.question = QMessageBox.StandardButton.Cancel
    assert window.files.close_document() is False
    assert window.controller is not None
    assert any("Save the changes" in q for q in answers.asked)

    answers.question = QMessageBox.StandardButton.Save
    assert window.files.close_document() is True
    ws = Workspace.open(path)
    try:
        assert _first_step(ws.document).title == "Changed"
    finally:
        ws.close()

    assert window.open_path(path)
    window.controller.execute(SetNodeFields(step.id, {"title": "Thrown away"}))
    answers.question = QMessageBox.StandardButton.Discard
    assert window.files.close_document() is True
    ws = Workspace.open(path)
    try:
        assert _first_step(ws.document).title == "Changed"
    finally:
        ws.close()


def test_undo_back_to_saved_state_clears_modified(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc)
    answers.save_path = str(tmp_path / "u.sop")
    window.files.save()
    node = next(n for n in window.controller.document.nodes)
    window.controller.execute(SetNodeFields(node.id, {"description": "x"}))
    assert window.isWindowModified()
    window.undo_action.trigger()
    # Undoing a record change appends a compensating audit event: the file differs, so it
    # stays modified; a pure layout move would not.
    assert window.isWindowModified() == (len(window.controller.document.audit) != window._saved_audit_len)


def test_recent_files_listed_and_missing_greyed(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc)
    answers.save_path = str(tmp_path / "recent.sop")
    window.files.save()
    assert load_settings().recent_files[0] == str(Path(answers.save_path).resolve())
    texts = [a.text() for a in window.recent_menu.actions()]
    assert texts and "recent.sop" in texts[0]
    window.files.close_document()
    window.recent_menu.actions()[0].trigger()  # File → Open recent → 1 recent.sop
    assert window.workspace is not None and window.workspace.path == Path(answers.save_path).resolve()
    window.files.close_document()
    Path(answers.save_path).rename(tmp_path / "moved.sop")
    window.start_page.refresh()
    item = window.start_page.recent.item(0)
    assert "(file not found)" in item.text()
    # Opening the missing file offers to forget it.
    window.start_page.recent.itemActivated.emit(item)
    assert load_settings().recent_files == []
    assert window.controller is None


def test_open_damaged_file_keeps_document(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc)
    bad = tmp_path / "bad.sop"
    bad.write_bytes(b"not a database at all" * 100)
    assert window.open_path(bad) is False
    assert window.controller is not None and window.controller.document.title == template_doc.title
    assert len(answers.warnings) == 1 and "Traceback" not in answers.warnings[0]
    assert answers.warnings[0].endswith(".")


def test_revert_reloads_saved_file(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc)
    answers.save_path = str(tmp_path / "r.sop")
    window.files.save()
    step = _first_step(window.controller.document)
    original = step.title
    window.controller.execute(SetNodeFields(step.id, {"title": "Unwanted"}))
    answers.question = QMessageBox.StandardButton.Discard  # conftest answers Yes to "Throw away"
    window.actions["revert"].trigger()
    assert all(n.title != "Unwanted" for n in window.controller.document.nodes)
    assert _first_step(window.controller.document).title == original
    assert not window.isWindowModified()


def test_closing_the_window_asks_and_cancel_keeps_it_open(window, answers, template_doc):
    window.new_from_document(template_doc)
    window.show()
    answers.question = QMessageBox.StandardButton.Cancel
    assert window.close() is False
    assert window.isVisible() and window.controller is not None
    answers.question = QMessageBox.StandardButton.Discard
    assert window.close() is True
    assert load_settings().window_geometry  # the layout is remembered for next time


def test_save_failure_is_one_sentence_and_keeps_the_document(window, answers, template_doc, tmp_path):
    window.new_from_document(template_doc)
    answers.save_path = str(tmp_path / "no-such-folder" / "x.sop")
    assert window.files.save() is False
    assert len(answers.warnings) == 1
    message = answers.warnings[0]
    assert "Traceback" not in message and message.endswith(".") and "\n" not in message
    assert window.controller is not None and window.isWindowModified()
    assert window.workspace.path is None
    # The user picks a good place and the same document saves.
    answers.save_path = str(tmp_path / "x.sop")
    assert window.files.save() is True
    assert not window.isWindowModified()


def test_saving_again_leaves_recent_files_alone_until_another_comes_first(
    window, answers, template_doc, tmp_path
):
    window.new_from_document(template_doc)
    first = tmp_path / "first.sop"
    answers.save_path = str(first)
    window.files.save()
    written = settings_path().stat().st_ino  # the settings file is replaced on every write
    step = _first_step(window.controller.document)
    window.controller.execute(SetNodeFields(step.id, {"title": "Saved again"}))
    assert window.files.save()
    assert settings_path().stat().st_ino == written
    assert not window.isWindowModified() and window.saved_label.text() == "Saved"
    # Another file became the most recent (another window opened it): saving puts this one back.
    window.files.remember_recent(tmp_path / "other.sop")
    window.controller.execute(SetNodeFields(step.id, {"title": "Saved once more"}))
    assert window.files.save()
    QApplication.processEvents()  # the check waits for the next event-loop turn
    assert load_settings().recent_files[:2] == [str(first.resolve()), str((tmp_path / "other.sop").resolve())]
    assert "first.sop" in window.recent_menu.actions()[0].text()
