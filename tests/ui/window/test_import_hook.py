"""PySide6's import hook no longer reads (and keeps) the source of every module imported
after Qt, and still tells Qt modules from the others."""

from __future__ import annotations

import importlib
import json
import linecache
import sys

import sopdesigner.ui  # noqa: F401  (installs the lighter check)
from sopdesigner.ui import import_hook


def test_the_check_is_installed_and_answers_by_the_module_namespace():
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside is import_hook.uses_pyside
    assert import_hook.lighten()  # idempotent
    assert import_hook.uses_pyside(importlib.import_module("sopdesigner.ui.theme"))
    assert import_hook.uses_pyside(importlib.import_module("sopdesigner.ui.app"))
    assert not import_hook.uses_pyside(json)
    assert not import_hook.uses_pyside(importlib.import_module("sopdesigner.model.document"))


def test_a_module_imported_after_qt_is_not_read_into_linecache(tmp_path, monkeypatch):
    source = tmp_path / "fresh_module_for_hook_test.py"
    source.write_text("from PySide6.QtCore import QObject\nVALUE = 41 + 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    linecache.checkcache()
    # Through ``__import__`` (which PySide6 replaced), as an import statement runs it.
    module = __import__("fresh_module_for_hook_test")
    try:
        assert module.VALUE == 42
        assert str(source) not in linecache.cache
        feature = sys.modules["shibokensupport.feature"]
        assert feature.pyside_feature_dict["fresh_module_for_hook_test"] == 0  # "uses PySide"
    finally:
        sys.modules.pop("fresh_module_for_hook_test", None)
