"""Where the template comes from, and what happens with bad templates and long conversations."""

import pytest

from tinychat.core import templates as t
from tinychat.core.templates import TemplateError

SMOLLM_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
HELLO = [{"role": "user", "content": "Hello"}]


# -- resolution -------------------------------------------------------------------


def test_catalog_builtin_wins_over_the_files_own_template():
    chosen = t.resolve_template("/models/tinyllama-1.1b-chat-v1.0.Q8_0.gguf", chat_template=SMOLLM_TEMPLATE)
    assert (chosen.name, chosen.rule) == ("zephyr", t.RULE_CATALOG)
    assert "TinyLlama-1.1B-Chat-v1.0" in chosen.reason and not chosen.warning


@pytest.mark.parametrize(
    "file, expected",
    [
        ("tinyllama-1.1b-32k-instruct.Q4_K_M.gguf", "alpaca-multiturn"),
        ("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "llama3"),
        ("llama-3.2-1b-espanol.f16.gguf", "alpaca"),
    ],
)
def test_catalog_names_the_format_of_each_known_model(file, expected):
    assert t.resolve_template(file).name == expected


def test_catalog_gguf_means_the_files_own_template():
    chosen = t.resolve_template("SmolLM2-135M-Instruct.Q4_1.gguf", chat_template=SMOLLM_TEMPLATE)
    assert (chosen.source, chosen.rule) == ("gguf", t.RULE_GGUF)
    assert "SmolLM2" in chosen.reason


def test_unknown_model_uses_its_own_template():
    chosen = t.resolve_template("/x/mystery-model.gguf", chat_template=SMOLLM_TEMPLATE, architecture="llama")
    assert (chosen.source, chosen.rule, chosen.warning) == ("gguf", t.RULE_GGUF, "")


@pytest.mark.parametrize(
    "arch, specials, expected",
    [
        ("llama", ("<s>", "</s>", "<|im_start|>", "<|im_end|>"), "chatml"),
        ("llama", ("<|begin_of_text|>", "<|start_header_id|>", "<|eot_id|>"), "llama3"),
        ("qwen2", (), "chatml"),
        ("llama", ("<s>", "</s>"), "raw"),
    ],
)
def test_without_any_template_a_guess_is_made_and_said_to_be_one(arch, specials, expected):
    chosen = t.resolve_template("/x/mystery.gguf", architecture=arch, special_tokens=specials)
    assert (chosen.name, chosen.rule) == (expected, t.RULE_GUESS)
    assert "guess" in chosen.warning and "guess" in chosen.reason


def test_a_broken_gguf_template_falls_back_to_a_guess_that_says_why():
    chosen = t.resolve_template("/x/mystery.gguf", chat_template="{% for m in messages %}", architecture="qwen2")
    assert chosen.rule == t.RULE_GUESS and chosen.name == "chatml"
    assert "syntax error" in chosen.warning


def test_override_by_builtin_name_wins_over_everything():
    chosen = t.resolve_template("tinyllama-1.1b-chat-v1.0.Q8_0.gguf", chat_template=SMOLLM_TEMPLATE, override="chatml")
    assert (chosen.name, chosen.rule) == ("chatml", t.RULE_OVERRIDE)
    assert "chosen by you" in chosen.reason


def test_override_by_file(tmp_path):
    path = tmp_path / "mine.jinja"
    path.write_text(
        '{# stops: ["END"] #}\n{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}', encoding="utf-8"
    )
    chosen = t.resolve_template("SmolLM2-135M-Instruct.Q4_1.gguf", override=str(path))
    assert chosen.source == str(path) and chosen.rule == t.RULE_OVERRIDE
    rendered = chosen.render(HELLO, eos_token="<|im_end|>")
    assert rendered.text == "[user] Hello\n"
    assert rendered.stops == ("END", "<|im_end|>")


def test_saved_custom_template_is_found_by_name(isolated_data_dir):
    path = t.save_custom_template("brackets", "{% for m in messages %}<{{ m.content }}>{% endfor %}", stops=["<"])
    assert path.parent == isolated_data_dir / "templates"
    assert t.custom_template_names() == ["brackets"]
    chosen = t.resolve_template("x.gguf", override="brackets")
    assert chosen.render(HELLO).text == "<Hello>" and chosen.stops == ("<",)


@pytest.mark.parametrize("name", ["", "../evil", "chatml", "a b"])
def test_bad_custom_template_names_are_refused(name):
    with pytest.raises(TemplateError):
        t.save_custom_template(name, "{{ messages[0].content }}")


def test_saving_a_broken_template_writes_nothing(isolated_data_dir):
    with pytest.raises(TemplateError, match="line 2"):
        t.save_custom_template("broken", "ok\n{% if %}")
    assert not (isolated_data_dir / "templates" / "broken.jinja").exists()


@pytest.mark.parametrize("spec", ["no-such-template", "/no/such/file.jinja"])
def test_unknown_override_is_a_clear_error(spec):
    with pytest.raises(TemplateError, match="chatml"):
        t.resolve_template("x.gguf", override=spec)


def test_template_file_that_is_not_text(tmp_path):
    path = tmp_path / "bin.jinja"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(TemplateError, match="UTF-8"):
        t.load_template(str(path))


def test_default_system_prompt_comes_from_the_catalog():
    assert t.default_system_prompt("tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf") == "You are a friendly chatbot."
    assert t.default_system_prompt("unknown.gguf") == ""
    assert t.with_system_prompt(HELLO, "Be brief.")[0] == {"role": "system", "content": "Be brief."}
    assert t.with_system_prompt([{"role": "system", "content": "old"}, *HELLO], "") == HELLO


# -- bad templates ----------------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ messages['__class__'] }}",
]


@pytest.mark.parametrize("source", ESCAPES)
@pytest.mark.parametrize("strict", [True, False], ids=["user", "gguf"])
def test_sandbox_escapes_are_refused_before_anything_runs(source, strict, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    template = t.ChatTemplate("evil", "evil", source, strict=strict)
    with pytest.raises(TemplateError, match=r"underscore|internals") as info:
        template.render(HELLO)
    assert info.value.line == 1
    assert not (tmp_path / "PWNED").exists()


def test_an_escape_built_at_run_time_is_stopped_by_the_sandbox():
    template = t.ChatTemplate("evil", "evil", "{{ ''|attr('__cl' ~ 'ass__') }}")
    with pytest.raises(TemplateError, match="stopped"):
        template.render(HELLO)


def test_templates_cannot_change_the_conversation():
    messages = [dict(HELLO[0])]
    with pytest.raises(TemplateError):
        t.ChatTemplate("m", "m", "{{ messages.append({'role': 'user', 'content': 'x'}) }}").render(messages)
    with pytest.raises(TemplateError):
        t.gguf_template("{% set _ = messages[0].update({'content': 'changed'}) %}hi").render(messages)
    assert messages == HELLO


def test_syntax_error_names_the_line():
    with pytest.raises(TemplateError, match="syntax error on line 3") as info:
        t.ChatTemplate("bad", "bad", "a\nb\n{% for m in messages %}").render(HELLO)
    assert info.value.line == 3


def test_undefined_variable_in_a_person_template_is_an_error_with_its_line():
    with pytest.raises(TemplateError, match="not defined on line 2: 'mesages' is undefined") as info:
        t.ChatTemplate("typo", "typo", "x\n{{ mesages[0].content }}").render(HELLO)
    assert info.value.line == 2


def test_gguf_templates_keep_the_lenient_undefined_of_llama_cpp_python():
    # Real model templates test optional variables by simply using them, as Hugging Face allows.
    rendered = t.gguf_template("{% if tools %}TOOLS{% endif %}{{ messages[0].content }}{{ not_given }}").render(HELLO)
    assert rendered.text == "Hello"


def test_empty_prompt_is_a_clear_error():
    with pytest.raises(TemplateError, match="empty prompt"):
        t.ChatTemplate("empty", "empty", "{% for m in messages %}{% endfor %}").render(HELLO)


def test_raise_exception_in_a_template_reaches_the_person():
    source = "{% if messages[0].role != 'system' %}{{ raise_exception('Needs a system prompt') }}{% endif %}"
    with pytest.raises(TemplateError, match="Needs a system prompt"):
        t.ChatTemplate("needs", "needs", source).render(HELLO)


# -- long conversations ---------------------------------------------------------------


def _words(messages):
    return sum(len(m["content"].split()) for m in messages)


def test_drop_oldest_turns_keeps_the_system_prompt_and_the_latest_turn():
    messages = [
        {"role": "system", "content": "sys tem"},
        {"role": "user", "content": "one one one"},
        {"role": "assistant", "content": "two two"},
        {"role": "user", "content": "three"},
        {"role": "assistant", "content": "four four"},
        {"role": "user", "content": "five"},
    ]
    fitted = t.drop_oldest_turns(messages, _words, limit=7)
    assert fitted.messages == [messages[0], *messages[3:]]
    assert fitted.dropped == messages[1:3]
    assert fitted.prompt_tokens == 6
    # Already fitting: nothing dropped.
    assert t.drop_oldest_turns(messages, _words, limit=100).dropped == []
    with pytest.raises(TemplateError, match="latest message alone needs 3 tokens"):
        t.drop_oldest_turns(messages, _words, limit=3)
