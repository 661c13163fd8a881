"""Each distinct template is compiled once: by source text and sandbox setting, within the same limits.

The counts come from the cache's own record of misses (a miss is one real
compile); no assertion here is about time.
"""

import uuid

import pytest

from tinychat.core import templates
from tinychat.core.templates import (
    COMPILE_CACHE_SIZE,
    ChatTemplate,
    TemplateError,
    save_custom_template,
)

MESSAGES = [{"role": "user", "content": "Hello"}]


def compiles() -> int:
    """Real compiles so far (cache misses) in this process."""
    return templates._compile_source.cache_info().misses


def fresh(text: str) -> str:
    """A source no other test compiles, so the first use here is a real compile."""
    return "{# " + uuid.uuid4().hex + " #}" + text


def test_checking_and_rendering_one_template_compiles_it_once():
    source = fresh("{% for m in messages %}[{{ m.content }}]{% endfor %}")
    before = compiles()
    for _ in range(3):
        # A new ChatTemplate each time, as the window makes one for each question it asks.
        template = ChatTemplate("mine", "mine", source)
        template.check()
        assert template.render(MESSAGES).text.endswith("[Hello]")
    assert compiles() - before == 1


def test_a_changed_source_is_compiled_anew_and_takes_effect():
    before = compiles()
    first = ChatTemplate("mine", "mine", fresh("{{ messages[0].content }}!")).render(MESSAGES).text
    second = ChatTemplate("mine", "mine", fresh("{{ messages[0].content }}?")).render(MESSAGES).text
    assert first.endswith("Hello!") and second.endswith("Hello?")
    assert compiles() - before == 2


def test_the_sandbox_setting_is_part_of_the_key():
    # The same text: strict (built-ins, a person's own) refuses an unknown name, a file's own leaves it empty.
    source = fresh("{{ nothing_here }}{{ messages[0].content }}")
    assert ChatTemplate("file", "gguf", source, strict=False).render(MESSAGES).text.endswith("Hello")
    with pytest.raises(TemplateError, match="not defined"):
        ChatTemplate("mine", "mine", source, strict=True).render(MESSAGES)
    assert ChatTemplate("file", "gguf", source, strict=False).render(MESSAGES).text.endswith("Hello")


def test_a_kept_template_is_stopped_at_the_time_limit_every_time(monkeypatch):
    """The limits are enforced when rendering, so a compiled template taken from the cache is held to them."""
    monkeypatch.setattr(templates, "MAX_RENDER_SECONDS", 0.2)  # read at each rendering
    looping = fresh("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x")
    before = compiles()
    for name in ("first", "second"):
        with pytest.raises(TemplateError, match=f"'{name}' was stopped because it ran for more than 0.2 seconds"):
            ChatTemplate(name, name, looping).render(MESSAGES)
    assert compiles() - before == 1  # the second one was the kept template, and it was stopped too


def test_a_kept_template_is_held_to_the_output_and_depth_limits(monkeypatch):
    monkeypatch.setattr(templates, "MAX_OUTPUT_CHARS", 1000)
    wordy = ChatTemplate("wordy", "wordy", fresh("{% for i in range(200) %}{{ 'abcdefghij' }}{% endfor %}"))
    deep = ChatTemplate(
        "deep", "deep", fresh("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
    )
    for _ in range(2):
        with pytest.raises(TemplateError, match="wrote more than 1000 characters"):
            ChatTemplate(wordy.name, wordy.source, wordy.jinja).render(MESSAGES)
        with pytest.raises(TemplateError, match="it nests calls more than 100 deep"):
            ChatTemplate(deep.name, deep.source, deep.jinja).render(MESSAGES)


def test_a_refused_template_is_refused_again_under_its_own_name():
    broken = fresh("{% for m in messages %}\n{{ m.content }\n{% endfor %}")
    escape = fresh("{{ cycler.__init__.__globals__ }}")
    before = compiles()
    for name in ("one", "two"):
        with pytest.raises(TemplateError, match=f"'{name}' has a syntax error on line 2") as caught:
            ChatTemplate(name, name, broken).check()
        assert caught.value.line == 2
        with pytest.raises(TemplateError, match=f"'{name}' refers to '__globals__' on line 1"):
            ChatTemplate(name, name, escape).render(MESSAGES)
    assert compiles() - before == 2


def test_a_too_long_template_is_refused_before_any_compile(monkeypatch):
    monkeypatch.setattr(templates, "MAX_TEMPLATE_CHARS", 50)
    before = compiles()
    with pytest.raises(TemplateError, match="longer than 50 characters"):
        ChatTemplate("long", "long", fresh("x" * 60)).check()
    assert compiles() == before


def test_the_cache_is_bounded():
    for i in range(COMPILE_CACHE_SIZE + 5):
        ChatTemplate("n", "n", fresh(f"{i}{{{{ messages[0].content }}}}")).check()
    info = templates._compile_source.cache_info()
    assert info.maxsize == COMPILE_CACHE_SIZE and info.currsize == COMPILE_CACHE_SIZE


# -- in the window --------------------------------------------------------------


def _send(qtbot, window, text):
    window.prompt_edit.setPlainText(text)
    with (
        qtbot.waitSignal(window.xray_panel.updated, timeout=10000),  # the X-ray after the reply
        qtbot.waitSignal(window.conversation.replyFinished, timeout=10000),
    ):
        window.send()


def test_a_send_in_the_window_compiles_the_template_at_most_once_after_the_first(qtbot, fake_window):
    window = fake_window()
    _send(qtbot, window, "First question")
    before = compiles()
    _send(qtbot, window, "Second question")
    _send(qtbot, window, "Third question")
    # Before, each send compiled it about ten times (checks, the fit to the context, the model thread, the X-ray).
    assert compiles() - before <= 1
    assert "<|im_start|>user\nThird question<|im_end|>" in window.engines[0].prompts[-1]


def test_a_template_chosen_for_the_model_or_edited_takes_effect_at_the_next_send(qtbot, fake_window):
    window = fake_window()
    _send(qtbot, window, "In ChatML")
    assert "<|im_start|>user\nIn ChatML" in window.engines[0].prompts[-1]

    window.template_combo.setCurrentIndex(window.template_combo.findData("zephyr"))
    _send(qtbot, window, "In Zephyr")
    assert "<|user|>\nIn Zephyr</s>" in window.engines[0].prompts[-1]

    # One of the person's own templates, then saved again with a change (what the editor's Save does).
    save_custom_template("mine", "{% for m in messages %}<<{{ m.content }}>>{% endfor %}")
    window.model_box.fill_template_combo(select="mine")
    window.template_combo.setCurrentIndex(window.template_combo.findData("mine"))
    _send(qtbot, window, "Mine")
    assert window.engines[0].prompts[-1].endswith("<<Mine>>")
    save_custom_template("mine", "{% for m in messages %}(({{ m.content }})){% endfor %}")
    _send(qtbot, window, "Changed")
    assert window.engines[0].prompts[-1].endswith("((Changed))")


def test_the_editor_shows_each_new_error_as_you_type_even_one_it_has_seen(qtbot):
    from tinychat.gui.template_editor import TemplateEditor

    dialog = TemplateEditor()
    qtbot.addWidget(dialog)
    broken = fresh("{% for m in messages %}\n{{ m.content }\n{% endfor %}")
    fixed = broken.replace("{{ m.content }\n", "{{ m.content }}\n")
    escape = fresh("{% for m in messages %}\n{{ m.content }}\n{{ m.__class__ }}{% endfor %}")
    for _ in range(2):  # the second time round, every source is one already compiled
        dialog.editor.setPlainText(broken)
        qtbot.waitUntil(lambda: "syntax error on line 2" in dialog.status.text(), timeout=5000)
        assert dialog.error_line == 2 and dialog.preview.toPlainText() == ""
        dialog.editor.setPlainText(fixed)
        qtbot.waitUntil(lambda: "works" in dialog.status.text(), timeout=5000)
        assert "What is a token?" in dialog.preview.toPlainText()
        dialog.editor.setPlainText(escape)
        qtbot.waitUntil(lambda: "'__class__' on line 3" in dialog.status.text(), timeout=5000)
        assert dialog.error_line == 3
