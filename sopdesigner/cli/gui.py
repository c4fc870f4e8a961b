"""``sopdesigner [FILE]``: start the editor (imports Qt only here, lazily)."""

from __future__ import annotations


def open_editor(path: str | None) -> int:
    from sopdesigner.ui.app import run

    return run(path)
