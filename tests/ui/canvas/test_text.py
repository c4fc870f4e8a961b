"""Title fitting: words wrap, the last line is elided when text is left over, a word longer
than a line is broken rather than clipped, and review mode falls back to the normal size."""

from __future__ import annotations

from sopdesigner.ui.canvas import text


def test_wrap_keeps_words_and_elides_the_rest(qapp):
    fm = text.metrics(13, True)
    width = fm.horizontalAdvance("Risk and compliance")
    lines = text.wrap("Risk and compliance review of the model before its deployment", fm, width, 2)
    assert lines[0] == "Risk and compliance"
    assert lines[1].endswith("…")
    assert all(fm.horizontalAdvance(line) <= width for line in lines)
    assert not text.complete("Risk and compliance review of the model before its deployment", lines)


def test_long_word_is_broken_not_clipped(qapp):
    fm = text.metrics(13, True)
    width = fm.horizontalAdvance("Deploy")
    lines = text.wrap("Deploymentrequest", fm, width, 5)
    assert "".join(lines) == "Deploymentrequest"
    assert all(fm.horizontalAdvance(line) <= width for line in lines)


def test_complete_title(qapp):
    fm = text.metrics(13, True)
    lines = text.wrap("Final decision", fm, 500, 2)
    assert lines == ["Final decision"] and text.complete("Final decision", lines)


def test_review_mode_never_breaks_a_word_that_fits_at_normal_size(canvas):
    canvas.scene.set_review_mode(True)
    item = canvas.scene.node_item("start")  # "Deployment request" in a 150-wide stadium
    layout = item._ensure_layout()
    assert " ".join(layout.title_lines) == "Deployment request"
    assert layout.title_px == 13
    deploy = canvas.scene.node_item("deploy")._ensure_layout()
    assert deploy.title_lines == ["Deploy"] and deploy.title_px == 15
