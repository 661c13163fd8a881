"""The glossary panel, used as a teacher would: search, follow a related term, switch language."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tinychat.core import glossary as glossary_module
from tinychat.core.glossary import Glossary, Term, load_glossary
from tinychat.gui.glossary_panel import GlossaryDialog, GlossaryPanel, system_language, term_tooltip


@pytest.fixture
def panel(qtbot):
    widget = GlossaryPanel(language="en")
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    return widget


def _see_also_button(panel, term_id):
    matching = [b for b in panel.see_also_buttons if b.objectName() == f"see_also_{term_id}"]
    assert len(matching) == 1 and matching[0].isVisible(), term_id
    return matching[0]


def test_lists_every_term_and_shows_one(panel):
    g = load_glossary()
    assert sorted(panel.visible_term_ids()) == sorted(g.ids)
    assert panel.current_term_id() in g.ids
    assert panel.title_label.text() == g[panel.current_term_id()].name("en")


def test_typing_in_the_search_box_filters_the_list(qtbot, panel):
    total = len(panel.visible_term_ids())
    qtbot.keyClicks(panel.search_edit, "quantiz")
    shown = panel.visible_term_ids()
    assert 0 < len(shown) < total
    assert shown[0] == "quantization"
    assert "temperature" not in shown
    # The first match is shown at once, so the class sees an answer while the teacher types.
    assert panel.current_term_id() == "quantization"
    assert panel.title_label.text() == "Quantization (quantized model)"
    panel.search_edit.clear()
    assert len(panel.visible_term_ids()) == total


def test_spanish_search_ignores_accents(qtbot, panel):
    panel.set_language("es")
    qtbot.keyClicks(panel.search_edit, "cuantizacion")
    assert panel.visible_term_ids()[0] == "quantization"
    assert panel.title_label.text() == "Cuantización (modelo cuantizado)"


def test_a_search_without_results_says_so(qtbot, panel):
    qtbot.keyClicks(panel.search_edit, "zebra crossing")
    assert panel.visible_term_ids() == []
    assert panel.title_label.text() == "Nothing found"
    assert "“zebra crossing”" in panel.long_view.toPlainText()
    assert panel.see_also_buttons == []
    assert not any(b.isVisible() for b in panel.findChildren(QPushButton))


def test_clicking_a_see_also_term_moves_to_it(qtbot, panel):
    assert panel.show_term("temperature")
    with qtbot.waitSignal(panel.termShown, timeout=2000) as blocker:
        qtbot.mouseClick(_see_also_button(panel, "top_p"), Qt.MouseButton.LeftButton)
    assert blocker.args == ["top_p"]
    assert panel.current_term_id() == "top_p"
    assert panel.term_list.currentItem().data(Qt.ItemDataRole.UserRole) == "top_p"
    assert panel.title_label.text() == "Top-p (nucleus sampling)"
    assert "add up to p" in panel.short_label.text()
    # And onwards from there: top_p links to min_p.
    qtbot.mouseClick(_see_also_button(panel, "min_p"), Qt.MouseButton.LeftButton)
    assert panel.current_term_id() == "min_p"


def test_show_term_clears_a_search_that_hides_the_term(panel):
    panel.set_search("top-k")
    assert "gguf" not in panel.visible_term_ids()
    assert panel.show_term("GGUF file")  # an alias works too
    assert panel.current_term_id() == "gguf"
    assert panel.search_edit.text() == ""
    assert panel.term_list.currentItem().data(Qt.ItemDataRole.UserRole) == "gguf"


def test_show_term_with_an_unknown_id_changes_nothing(panel):
    panel.show_term("seed")
    assert panel.show_term("warp drive") is False
    assert panel.current_term_id() == "seed"
    assert panel.title_label.text() == "Seed"


def test_switching_language_changes_the_text(qtbot, panel):
    panel.show_term("temperature")
    english_long = panel.long_view.toPlainText()
    with qtbot.waitSignal(panel.languageChanged, timeout=2000) as blocker:
        panel.language_combo.setCurrentIndex(panel.language_combo.findData("es"))
    assert blocker.args == ["es"]
    assert panel.language() == "es"
    assert panel.current_term_id() == "temperature"
    assert panel.title_label.text() == "Temperatura"
    assert panel.long_view.toPlainText() != english_long
    assert "Ejemplo:" in panel.long_view.toPlainText()
    assert _see_also_button(panel, "greedy_decoding").text() == "→ Decodificación voraz"
    names = [panel.term_list.item(row).text() for row in range(panel.term_list.count())]
    assert "Semilla" in names and "Seed" not in names
    panel.set_language("en_GB")
    assert panel.title_label.text() == "Temperature"
    assert panel.language_combo.currentData() == "en"


def test_the_example_starts_its_own_paragraph(panel):
    panel.show_term("top_p")
    text = panel.long_view.toPlainText()
    assert "\n\nExample: with p = 0.9" in text


def test_language_defaults_to_the_language_tinychat_speaks(qtbot, monkeypatch):
    """The glossary follows the one language choice (TINYCHAT_LANG here), not a locale of its own."""
    monkeypatch.setenv("TINYCHAT_LANG", "es_MX")
    assert system_language() == "es"
    spanish = GlossaryPanel()
    qtbot.addWidget(spanish)
    assert spanish.language() == "es"
    assert spanish.language_combo.currentData() == "es"
    monkeypatch.setenv("TINYCHAT_LANG", "de_DE")
    other = GlossaryPanel()
    qtbot.addWidget(other)
    assert other.language() == "en"


def test_text_from_the_data_is_never_read_as_html(qtbot):
    sneaky = Term(
        id="x",
        aliases=(),
        term={"en": "<b>Bold</b> & co"},
        short={"en": "<i>short</i>"},
        long={"en": "<a href='file:///etc'>link</a> <img src=x>. Example: <br>."},
        see_also=(),
    )
    widget = GlossaryPanel(glossary=Glossary([sneaky]), language="en")
    qtbot.addWidget(widget)
    widget.show_term("x")
    assert widget.title_label.textFormat() == Qt.TextFormat.PlainText
    assert widget.title_label.text() == "<b>Bold</b> & co"
    assert widget.short_label.textFormat() == Qt.TextFormat.PlainText
    assert "<a href='file:///etc'>link</a> <img src=x>." in widget.long_view.toPlainText()
    assert "<br>" in widget.long_view.toPlainText()


def test_font_scale_makes_the_explanation_larger(panel):
    before = panel.long_view.font().pointSizeF()
    assert before > panel.font().pointSizeF()  # already above normal size
    panel.set_font_scale(1.5)
    assert panel.long_view.font().pointSizeF() == pytest.approx(before * 1.5)
    panel.set_font_scale(100)  # clamped, not absurd
    assert panel.long_view.font().pointSizeF() == pytest.approx(before * 4)


def test_a_broken_glossary_file_is_explained_in_the_panel(qtbot, tmp_path, monkeypatch):
    broken = tmp_path / "glossary.json"
    broken.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(glossary_module, "glossary_path", lambda: broken)
    load_glossary.cache_clear()
    try:
        widget = GlossaryPanel(language="en")
        qtbot.addWidget(widget)
        assert widget.visible_term_ids() == []
        assert widget.title_label.text() == "The glossary is not available"
        assert "not valid JSON" in widget.long_view.toPlainText()
        assert str(broken) in widget.long_view.toPlainText()
        assert term_tooltip("temperature", "en") == ""
    finally:
        load_glossary.cache_clear()


def test_tooltips_for_the_parameters(qtbot):
    g = load_glossary()
    assert term_tooltip("top_k", "es") == g["top_k"].text("short", "es")
    assert term_tooltip("seed", "en").startswith("The starting number")
    assert term_tooltip("no_such_parameter", "en") == ""


def test_dialog_opens_at_a_term(qtbot, tmp_path):
    dialog = GlossaryDialog(language="es")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Glossary"
    assert dialog.show_term("seed") is True
    assert dialog.isVisible()
    assert dialog.panel.title_label.text() == "Semilla"
    picture = dialog.grab()
    assert not picture.isNull() and picture.width() > 600
    assert picture.save(str(tmp_path / "glossary.png"))


@pytest.mark.parametrize("key", ["token", "tokens", "context", "context_window"])
def test_token_and_context_link_to_the_tokenizer_playground(qtbot, panel, key):
    assert panel.show_term(key)
    assert panel.try_button.isVisible() and panel.try_button.text().startswith("▶ Try it:")
    with qtbot.waitSignal(panel.tryRequested) as blocker:
        qtbot.mouseClick(panel.try_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["tokens"]
    panel.set_language("es")
    assert panel.try_button.text().startswith("▶ Pruébalo:")


def test_terms_without_a_link_show_no_try_button(panel):
    assert panel.show_term("temperature")
    assert not panel.try_button.isVisible()


def test_a_try_link_to_an_unknown_view_is_a_sentence(tmp_path):
    import json

    from tinychat.core.glossary import GlossaryError, parse_glossary

    text = {"en": "x"}
    data = {"schema": 1, "terms": [
        {"id": "a", "term": text, "short": text, "long": text, "try": {"view": "nowhere", "label": text}}
    ]}
    with pytest.raises(GlossaryError, match="must name one of the views"):
        parse_glossary(json.loads(json.dumps(data)), tmp_path / "g.json")
