"""Fixtures for driving the whole editor window in-process through ``ui.app.run``."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox


class Answers:
    """What patched dialogs answer; tests change the fields they care about."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.question = QMessageBox.StandardButton.Discard
        self.save_path: str | None = None
        self.open_path: str | None = None
        self.text = ("Risk office", True)
        self.asked: list[str] = []
        self.warnings: list[str] = []


@pytest.fixture
def answers(tmp_path, monkeypatch):
    """Patch every modal dialog the window can open, so menu actions run unattended."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    a = Answers(tmp_path)

    def question(parent, title, text, *args, **kwargs):
        a.asked.append(text)
        if a.question == QMessageBox.StandardButton.Discard and "Remove it" in text:
            return QMessageBox.StandardButton.Yes
        if a.question == QMessageBox.StandardButton.Discard and "Throw away" in text:
            return QMessageBox.StandardButton.Yes
        return a.question

    def save_name(parent, caption, start="", filter_="", *args, **kwargs):
        if a.save_path is not None:
            return a.save_path, filter_
        suffix = start.rsplit(".", 1)[-1] if "." in start else "sop"
        return str(tmp_path / f"out-{len(a.asked)}-{caption.split()[-1].lower()}.{suffix}"), filter_

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda p, t, text, *x, **k: a.warnings.append(text))
    )
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda *x, **k: QMessageBox.StandardButton.Ok)
    )
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *x, **k: QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *x, **k: None))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *x, **k: (a.open_path or "", "")))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *x, **k: a.text))
    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(lambda *x, **k: (1.0, True)))
    monkeypatch.setattr(
        QInputDialog, "getItem", staticmethod(lambda p, t, label, items, *x, **k: (items[0], True))
    )
    return a


@pytest.fixture
def window(qtbot, answers):
    from sopdesigner.ui import app

    assert app.run(None) == 0
    win = app.windows.pop()
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    yield win
    answers.question = QMessageBox.StandardButton.Discard
    win.close()


@pytest.fixture
def template_doc():
    from sopdesigner.templates import list_templates, load_template

    return load_template(list_templates()[0].id)


@pytest.fixture
def window_factory_env(_isolated_user_dirs):
    """The SOPDESIGNER_HOME the child process must share with this test."""
    return _isolated_user_dirs
