"""How many of the oldest turns leave the prompt so the next turn fits: plain arithmetic, no Qt and no model."""

from tinychat.core.templates import ContextOverflow, TemplateError, context_overflow, reply_room

MESSAGES = [
    {"role": "system", "content": "sys tem"},
    {"role": "user", "content": "one one one"},
    {"role": "assistant", "content": "two two"},
    {"role": "user", "content": "three"},
    {"role": "assistant", "content": "four four"},
    {"role": "user", "content": "five"},
]  # 2 + 3 + 2 + 1 + 2 + 1 = 11 words


def _words(messages):
    return sum(len(m["content"].split()) for m in messages)


def test_the_reply_keeps_its_length_but_at_most_a_quarter_of_the_window_and_at_least_16():
    assert reply_room(4096, 256) == 256
    assert reply_room(512, 256) == 128
    assert reply_room(4096, 4) == 16
    assert reply_room(40, 256) == 16


def test_a_conversation_that_fits_loses_nothing():
    # Window 100, room 16: 84 tokens for the prompt, 11 needed.
    assert context_overflow(MESSAGES, _words, n_ctx=100, max_new_tokens=8) is None


def test_one_token_short_of_the_limit_fits_and_the_limit_itself_does_not():
    # Window 28, room 16 -> limit 12: 11 fits.
    assert context_overflow(MESSAGES, _words, n_ctx=28, max_new_tokens=8) is None
    # Window 27 -> limit 11: 11 tokens do not fit.
    overflow = context_overflow(MESSAGES, _words, n_ctx=27, max_new_tokens=8)
    assert overflow == ContextOverflow(needed=11, n_ctx=27, limit=11, drop=2)


def test_the_oldest_whole_turns_go_first():
    # Limit 7: dropping the first turn (5 tokens) leaves 6.
    overflow = context_overflow(MESSAGES, _words, n_ctx=23, max_new_tokens=100)
    assert overflow is not None
    assert (overflow.needed, overflow.limit, overflow.drop) == (11, 7, 2)
    # Limit 5: the second turn goes as well (3 more tokens), leaving 3 (system and latest).
    overflow = context_overflow(MESSAGES, _words, n_ctx=21, max_new_tokens=100)
    assert overflow is not None
    assert (overflow.limit, overflow.drop) == (5, 4)


def test_nothing_to_offer_when_even_the_latest_turn_is_too_long():
    # Limit 3: the system prompt and the last question alone need 3.
    assert context_overflow(MESSAGES, _words, n_ctx=19, max_new_tokens=100) is None


def test_a_prompt_that_cannot_be_counted_is_left_to_the_reply_to_report():
    def broken(_messages):
        raise TemplateError("the template is broken")

    assert context_overflow(MESSAGES, broken, n_ctx=10, max_new_tokens=8) is None

    def failing(_messages):
        raise ValueError("tokenizer failed")

    assert context_overflow(MESSAGES, failing, n_ctx=10, max_new_tokens=8) is None


def test_the_counter_sees_copies_and_the_messages_are_not_changed():
    seen = []

    def counting(messages):
        seen.append(messages)
        for message in messages:
            message["content"] += " extra"
        return 1000

    original = [dict(m) for m in MESSAGES]
    context_overflow(MESSAGES, counting, n_ctx=4096, max_new_tokens=256)
    assert original == MESSAGES
    assert seen
