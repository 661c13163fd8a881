"""Every built-in template against the exact text its model was trained on.

The conversations: one, two and three turns, each with and without a system
prompt. The expected strings are written out by hand from the formats in the
model cards (Zephyr for TinyLlama chat, the Alpaca variants, ChatML, Llama 3).
"""

import pytest

from tinychat.core.templates import builtin, builtin_names

SYSTEM = {"role": "system", "content": "Be kind."}
TURNS = [
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello."},
    {"role": "user", "content": "Why?"},
    {"role": "assistant", "content": "Because."},
    {"role": "user", "content": "Ok"},
]


def conversation(turns: int, system: bool) -> list[dict]:
    return ([SYSTEM] if system else []) + TURNS[: 2 * turns - 1]


ALPACA_PLAIN = (
    "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
)
ALPACA_INPUT = (
    "Below is an instruction that describes a task, paired with an input that provides further context. "
    "Write a response that appropriately completes the request.\n\n"
)

GOLDEN = {
    "zephyr": {
        (1, False): "<|user|>\nHi</s>\n<|assistant|>\n",
        (2, False): "<|user|>\nHi</s>\n<|assistant|>\nHello.</s>\n<|user|>\nWhy?</s>\n<|assistant|>\n",
        (3, False): "<|user|>\nHi</s>\n<|assistant|>\nHello.</s>\n<|user|>\nWhy?</s>\n"
        "<|assistant|>\nBecause.</s>\n<|user|>\nOk</s>\n<|assistant|>\n",
        (1, True): "<|system|>\nBe kind.</s>\n<|user|>\nHi</s>\n<|assistant|>\n",
        (
            2,
            True,
        ): "<|system|>\nBe kind.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello.</s>\n<|user|>\nWhy?</s>\n<|assistant|>\n",
        (3, True): "<|system|>\nBe kind.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello.</s>\n<|user|>\nWhy?</s>\n"
        "<|assistant|>\nBecause.</s>\n<|user|>\nOk</s>\n<|assistant|>\n",
    },
    "alpaca-multiturn": {
        (1, False): "### Input:\nHi\n\n### Response:\n",
        (2, False): "### Input:\nHi\n\n### Response:\nHello.\n\n### Input:\nWhy?\n\n### Response:\n",
        (3, False): "### Input:\nHi\n\n### Response:\nHello.\n\n### Input:\nWhy?\n\n### Response:\nBecause.\n\n"
        "### Input:\nOk\n\n### Response:\n",
        (1, True): "### Instruction:\nBe kind.\n\n### Input:\nHi\n\n### Response:\n",
        (2, True): (
            "### Instruction:\nBe kind.\n\n### Input:\nHi\n\n### Response:\nHello.\n\n"
            "### Input:\nWhy?\n\n### Response:\n"
        ),
        (3, True): "### Instruction:\nBe kind.\n\n### Input:\nHi\n\n### Response:\nHello.\n\n### Input:\nWhy?\n\n"
        "### Response:\nBecause.\n\n### Input:\nOk\n\n### Response:\n",
    },
    # Single-turn: only the latest message is sent; the system prompt becomes the instruction.
    "alpaca": {
        (1, False): ALPACA_PLAIN + "### Instruction:\nHi\n\n### Response:\n",
        (2, False): ALPACA_PLAIN + "### Instruction:\nWhy?\n\n### Response:\n",
        (3, False): ALPACA_PLAIN + "### Instruction:\nOk\n\n### Response:\n",
        (1, True): ALPACA_INPUT + "### Instruction:\nBe kind.\n\n### Input:\nHi\n\n### Response:\n",
        (2, True): ALPACA_INPUT + "### Instruction:\nBe kind.\n\n### Input:\nWhy?\n\n### Response:\n",
        (3, True): ALPACA_INPUT + "### Instruction:\nBe kind.\n\n### Input:\nOk\n\n### Response:\n",
    },
    "chatml": {
        (1, False): "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        (2, False): "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n"
        "<|im_start|>user\nWhy?<|im_end|>\n<|im_start|>assistant\n",
        (3, False): "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n"
        "<|im_start|>user\nWhy?<|im_end|>\n<|im_start|>assistant\nBecause.<|im_end|>\n"
        "<|im_start|>user\nOk<|im_end|>\n<|im_start|>assistant\n",
        (1, True): "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        (2, True): "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
        "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nWhy?<|im_end|>\n<|im_start|>assistant\n",
        (3, True): "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
        "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nWhy?<|im_end|>\n"
        "<|im_start|>assistant\nBecause.<|im_end|>\n<|im_start|>user\nOk<|im_end|>\n<|im_start|>assistant\n",
    },
    "llama3": {
        (1, False): "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
        (2, False): "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nWhy?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
        (3, False): "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nWhy?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nBecause.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nOk<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
        (1, True): "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe kind.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
        (2, True): "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe kind.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nWhy?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
        (3, True): "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe kind.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nWhy?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nBecause.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nOk<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
    },
    # No template: the text itself, for a base model to continue.
    "raw": {
        (1, False): "Hi",
        (2, False): "HiHello.Why?",
        (3, False): "HiHello.Why?Because.Ok",
        (1, True): "Be kind.\n\nHi",
        (2, True): "Be kind.\n\nHiHello.Why?",
        (3, True): "Be kind.\n\nHiHello.Why?Because.Ok",
    },
}

STOPS = {
    "zephyr": "</s>",
    "alpaca-multiturn": "### Input:",
    "alpaca": "### Instruction:",
    "chatml": "<|im_end|>",
    "llama3": "<|eot_id|>",
}


def test_every_builtin_has_golden_strings():
    assert set(GOLDEN) == set(builtin_names())


@pytest.mark.parametrize("name", sorted(GOLDEN))
@pytest.mark.parametrize("turns", [1, 2, 3])
@pytest.mark.parametrize("system", [False, True], ids=["no-system", "system"])
def test_builtin_renders_exactly(name, turns, system):
    rendered = builtin(name).render(conversation(turns, system), bos_token="<s>", eos_token="</s>")
    assert rendered.text == GOLDEN[name][(turns, system)]
    assert rendered.source == name


@pytest.mark.parametrize("name", sorted(STOPS))
def test_builtin_stops_where_its_format_ends_a_turn(name):
    rendered = builtin(name).render(conversation(1, False), bos_token="<s>", eos_token="</s>")
    assert STOPS[name] in rendered.stops


def test_tinyllama_32k_card_example_is_reproduced_byte_for_byte():
    # The prompt in the model card's usage example.
    expected = (
        "### Instruction:\nYou are a helpful assistant specialized in simple technical explanations.\n\n"
        "### Input:\nExplain what speculative decoding is in simple terms.\n\n### Response:\n"
    )
    messages = [
        {"role": "system", "content": "You are a helpful assistant specialized in simple technical explanations."},
        {"role": "user", "content": "Explain what speculative decoding is in simple terms."},
    ]
    assert builtin("alpaca-multiturn").render(messages).text == expected


def test_bos_is_left_to_the_tokenizer_unless_the_template_writes_it():
    messages = conversation(1, False)
    assert builtin("zephyr").render(messages, bos_token="<s>").add_bos
    llama3 = builtin("llama3").render(messages, bos_token="<|begin_of_text|>")
    assert not llama3.add_bos and llama3.text.count("<|begin_of_text|>") == 1


def test_eos_token_is_always_a_stop():
    rendered = builtin("raw").render(conversation(1, False), eos_token="<|endoftext|>")
    assert rendered.stops == ("<|endoftext|>",)


def test_unknown_role_is_a_clear_error():
    from tinychat.core.templates import TemplateError

    with pytest.raises(TemplateError, match="unknown role tool"):
        builtin("chatml").render([{"role": "tool", "content": "x"}])


# TinyLlama-1.1B-Chat-v1.0's own chat template (tokenizer_config.json), as Hugging Face renders it.
TINYLLAMA_CHAT_TEMPLATE = (
    "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + "
    "eos_token }}\n"
    "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n"
    "{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}"
)


@pytest.mark.parametrize("turns", [1, 2, 3])
@pytest.mark.parametrize("system", [False, True], ids=["no-system", "system"])
def test_zephyr_matches_tinyllama_chat_own_template(turns, system):
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    reference = Jinja2ChatFormatter(template=TINYLLAMA_CHAT_TEMPLATE, eos_token="</s>", bos_token="<s>")
    messages = conversation(turns, system)
    assert builtin("zephyr").render(messages).text == reference(messages=messages).prompt
