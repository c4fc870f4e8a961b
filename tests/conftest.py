"""Shared fixtures: offscreen Qt, settings and user data isolated in a temp folder."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point every platformdirs folder (settings, autosave, logs, user templates) at a temp dir,
    so tests never read or touch a real user's files."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("SOPDESIGNER_HOME", str(base))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    yield base


@pytest.fixture
def doc():
    from tests.factories import make_document

    return make_document()
