"""User settings on disk: a round trip, and a damaged or hand-edited file never stops the app and
loses only what is wrong in it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sopdesigner.storage.paths import settings_path
from sopdesigner.storage.settings import MAX_RECENT, Settings, load_settings, save_settings


def _write(data: bytes | str) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def test_a_saved_file_reads_back_equal(tmp_path):
    s = Settings(
        user_name="Мария Иванова",
        theme="dark",
        grid_visible=False,
        snap_to_grid=False,
        show_legend=False,
        autosave_seconds=42,
        window_geometry="AdnQywADAAA=",
        window_state="AAAA/wAAAAD9",
    ).with_recent(tmp_path / "a.sop")
    save_settings(s)
    assert json.loads(settings_path().read_text("utf-8"))["user_name"] == "Мария Иванова"
    assert load_settings() == s
    assert load_settings().recent_files == [str((tmp_path / "a.sop").resolve())]


def test_no_file_gives_the_defaults():
    assert not settings_path().exists()
    assert load_settings() == Settings()


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'"a string"', b"null", b"[" * 100_000],
    ids=["empty", "text", "binary", "list", "string", "null", "deeply-nested"],
)
def test_an_unreadable_file_gives_the_defaults(content):
    _write(content)
    assert load_settings() == Settings()


def test_one_bad_value_resets_only_that_setting(tmp_path):
    good = Settings(user_name="Ada", theme="dark", autosave_seconds=30).with_recent(tmp_path / "x.sop")
    data = good.as_dict()
    data["theme"] = "blue"  # hand-edited
    data["grid_visible"] = "yes"
    data["autosave_seconds"] = 0
    data["unknown_key"] = 1
    _write(json.dumps(data))
    loaded = load_settings()
    assert loaded.theme == "system" and loaded.grid_visible is True and loaded.autosave_seconds == 3
    assert loaded.user_name == "Ada" and loaded.recent_files == good.recent_files


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("user_name", "x" * 201),
        ("user_name", 5),
        ("autosave_seconds", True),  # a bool is an int in Python, not a number of seconds
        ("autosave_seconds", 601),
        ("autosave_seconds", "3"),
        ("show_legend", 1),
        ("recent_files", "a.sop"),
        ("recent_files", ["a.sop", 3]),
        ("window_state", "A" * 100_001),
    ],
)
def test_wrong_types_and_ranges_fall_back_to_the_default(key, value):
    _write(json.dumps({key: value, "user_name": "kept"} if key != "user_name" else {key: value}))
    loaded = load_settings()
    assert getattr(loaded, key) == getattr(Settings(), key)
    if key != "user_name":
        assert loaded.user_name == "kept"


def test_recent_files_are_capped_and_most_recent_first(tmp_path):
    s = Settings()
    for i in range(MAX_RECENT + 5):
        s = s.with_recent(tmp_path / f"{i}.sop")
    assert len(s.recent_files) == MAX_RECENT
    assert s.recent_files[0] == str((tmp_path / f"{MAX_RECENT + 4}.sop").resolve())
    again = s.with_recent(tmp_path / "5.sop")
    assert again.recent_files[0].endswith("5.sop") and len(set(again.recent_files)) == MAX_RECENT
    assert str((tmp_path / "5.sop").resolve()) not in again.without_recent(again.recent_files[0]).recent_files
    # A file listing more than the cap (hand-edited) keeps the first ones.
    _write(json.dumps({"recent_files": [f"/f{i}.sop" for i in range(50)]}))
    assert load_settings().recent_files == [f"/f{i}.sop" for i in range(MAX_RECENT)]


def test_settings_are_never_built_invalid():
    with pytest.raises(ValueError, match="theme"):
        Settings(theme="blue")
    with pytest.raises(ValueError, match="autosave_seconds"):
        Settings().updated(autosave_seconds=0)
    assert Settings().updated(show_legend=False).show_legend is False


def test_reading_settings_builds_no_pydantic_model():
    """Start-up reads the settings: pydantic's schema machinery must wait for the first document."""
    code = (
        "import sys; from sopdesigner.storage.settings import load_settings; load_settings(); "
        "print('pydantic._internal._generate_schema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"
