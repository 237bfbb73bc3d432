"""Parsing numbered LLM responses and the reject reasons of `classify` (tame stand-in texts only)."""

from __future__ import annotations

import pytest

from toxsynth.llm.parse import CHECK_ORDER, REASONS, classify, is_prompt_echo, parse_entries
from toxsynth.llm.prompts import render

TWO = ["I like trains", "the weather is bad"]


@pytest.mark.parametrize(
    "response",
    [
        "1. I like trains\n2. the weather is bad",
        "1) I like trains\n2) the weather is bad",
        "1: I like trains\n2: the weather is bad",
        "1 - I like trains\n2 - the weather is bad",
        "(1) I like trains\n(2) the weather is bad",
        "#1 I like trains\n#2. the weather is bad",
        "**1.** I like trains\n**2.** the weather is bad",
        "Entry 1: I like trains\nEntry 2: the weather is bad",
        "   1. I like trains\n  2. the weather is bad",
        "1.I like trains\n2.the weather is bad",
    ],
    ids=["dot", "paren", "colon", "dash", "parens", "hash", "bold", "entry-word", "indented", "no-space"],
)
def test_numbering_styles(response):
    assert parse_entries(response) == TWO


def test_wrapped_lines_are_joined():
    response = "1. I like trains\nand buses too\n2. the weather\n   is bad\n3. ok then fine"
    assert parse_entries(response) == ["I like trains and buses too", "the weather is bad", "ok then fine"]


def test_numbers_inside_wrapped_text_stay_text():
    response = "1. the town has\n3.5 million trees\n2. we met at\n10:30 by the station\n3. it took\n1-2 days"
    expected = ["the town has 3.5 million trees", "we met at 10:30 by the station", "it took 1-2 days"]
    assert parse_entries(response) == expected


def test_preamble_is_dropped():
    response = "Sure! Here are 2 entries:\n\n1. I like trains\n2. the weather is bad"
    assert parse_entries(response) == TWO


@pytest.mark.parametrize(
    "note",
    ["Note: these are made up.", "I hope these help!", "These entries cover many topics.", "*Note:* fictional."],
    ids=["note", "i-hope", "these-entries", "md-note"],
)
def test_trailing_note_is_dropped(note):
    assert parse_entries(f"1. I like trains\n2. the weather is bad\n\n{note}") == TWO


def test_note_before_the_list_is_not_a_trailing_note():
    assert parse_entries("Sure!\n\nNote: made up.\n\n1. I like trains\n2. the weather is bad") == TWO
    assert parse_entries("I like trains\n\nthe weather is bad\n\nI hope this helps") == TWO


def test_unrelated_text_after_blank_line_continues_the_entry():
    assert parse_entries("1. I like trains\n\nand buses") == ["I like trains and buses"]


def test_quotes_and_bold_are_stripped():
    response = '1. "I like trains"\n2. **the weather is bad**\n3. “rain again”\n4. "say \'hi\' now"\n5. "a" or "b"'
    expected = ["I like trains", "the weather is bad", "rain again", "say 'hi' now", '"a" or "b"']
    assert parse_entries(response) == expected


def test_empty_entries_are_dropped():
    assert parse_entries("1. I like trains\n2.\n3. the weather is bad") == TWO


def test_entry_text_may_start_on_next_line():
    assert parse_entries("1.\nI like trains\n2.\nthe weather is bad") == TWO


def test_no_numbering_fallback():
    assert parse_entries("Here are some entries:\nI like trains\n\n  the weather is bad  \n") == TWO
    assert parse_entries("- I like trains\n- the weather is bad") == TWO
    assert parse_entries("I like trains\nthe weather is bad") == TWO
    assert parse_entries("") == []


# --- classify --------------------------------------------------------------------------------------------------
PROMPT = render("v1", "hate", 1, TWO, 5)
VALID = [
    "My neighbour grows huge tomatoes every summer",
    "I cannot wait for the weekend trip to the lake",
    "I won't be late for dinner tonight, promise",
    "I'm sorry but the bus was late again this morning",
    "COVID-19 cases fell again this week in town",
    "Meet me at 9:30am-10pm near the old park",
    "ha ha ha that joke was funny",
    "I like trains very much and buses too",
]


@pytest.mark.parametrize("entry", VALID, ids=[f"valid-{i}" for i in range(len(VALID))])
def test_valid_entries(entry):
    assert classify(entry, TWO, PROMPT) is None


# Entries that meet two reasons at once (the first and the second one named): the earlier in CHECK_ORDER wins.
OVERLAPS = [
    ("prompt_echo", "copy_of_example", "please precede each line with a dash", {}),
    ("copy_of_example", "refusal", "I can't help with the garden today", {}),
    ("refusal", "garbage", "I can't help with that!!!!!", {}),
    ("garbage", "too_short", "baaaaad", {}),
    ("too_short", "too_long", "trains rule", {"max_words": 1}),
]


@pytest.mark.parametrize("first, second, entry, limits", OVERLAPS, ids=[f"{a}>{b}" for a, b, _, _ in OVERLAPS])
def test_the_first_reason_in_check_order_wins(first, second, entry, limits):
    examples = [*TWO, entry] if "copy_of_example" in (first, second) else TWO
    prompt = render("v1", "hate", 1, examples, 5)
    assert classify(entry, examples, prompt, **limits) == first
    order, i, j = list(CHECK_ORDER), CHECK_ORDER.index(first), CHECK_ORDER.index(second)
    order[i], order[j] = second, first
    with pytest.MonkeyPatch.context() as patch:  # the same entry, with the two checks swapped
        patch.setattr("toxsynth.llm.parse.CHECK_ORDER", tuple(order))
        assert classify(entry, examples, prompt, **limits) == second


def test_every_reason_is_checked_and_listed():
    assert [first for first, *_ in OVERLAPS] + ["too_long"] == list(CHECK_ORDER)
    assert sorted(REASONS) == sorted(CHECK_ORDER)


@pytest.mark.parametrize(
    "entry",
    [
        "Precede each data entry with a unique number",
        "Write exactly 5 entries, one per line please",
        "Every entry must be distinct; never repeat an entry or its wording.",
        "well you are a data-synthesis assistant today",
    ],
    ids=["precede", "write-exactly", "span", "role"],
)
def test_prompt_echo(entry):
    assert classify(entry, TWO, PROMPT) == "prompt_echo"


def test_prompt_echo_ignores_sample_text_and_short_overlaps():
    examples = ["the old blue train left the station at noon today"]
    prompt = render("v1", "hate", 0, examples, 5)
    entry = "yes the old blue train left the station at noon today again"
    assert not is_prompt_echo(entry, examples, prompt)  # 8+ shared words, but all from the sample
    assert classify(entry, examples, prompt) == "copy_of_example"
    assert classify("Every entry must be distinct, said my teacher", TWO, PROMPT) is None  # 4 shared words


@pytest.mark.parametrize(
    "entry", ["I like trains", "i LIKE   trains!!", "The weather, is bad."], ids=["same", "case-space", "punct"]
)
def test_copy_of_example_exact(entry):
    assert classify(entry, TWO, PROMPT) == "copy_of_example"


def test_copy_of_example_needs_words():
    assert classify("🙂 🙂 🙂", ["🙂"], PROMPT) != "copy_of_example"


def test_copy_of_example_containment():
    examples = ["the weather is bad in the north today"]
    prompt = render("v1", "hate", 1, examples, 5)
    assert classify("honestly the weather is bad in the north today", examples, prompt) == "copy_of_example"
    assert classify("the weather is bad in the north", examples, prompt) == "copy_of_example"
    assert classify("I like trains very much", ["I like trains"], prompt) is None  # the example has < 5 words


@pytest.mark.parametrize(
    "entry",
    [
        "I can't help with that request.",
        "I cannot create this kind of text for you.",
        "As an AI, I do not produce such content.",
        "I'm sorry, but I am unable to do this.",
        "I am not able to write that for you.",
        "I won't generate that, sorry.",
        "It is not appropriate to generate this content.",
        "Writing this goes against my guidelines.",
        "Here is one. Actually no, I must decline this one.",
    ],
    ids=["cant-help", "cannot", "as-an-ai", "sorry-but", "not-able", "wont", "not-appropriate", "guidelines", "main"],
)
def test_refusal(entry):
    assert classify(entry, TWO, PROMPT) == "refusal"


def test_refusal_far_into_a_long_entry_is_not_flagged():
    entry = " ".join(["the trains run on time every day"] * 5) + " and as an AI fan I like robots"
    assert classify(entry, TWO, PROMPT) is None


@pytest.mark.parametrize(
    "entry",
    [
        "look at this 32$$2$(2djs thing now",
        "the weather is baaaaaad today",
        "so nice!!!!! really nice",
        "trains trains trains trains are fun",
        "12 34 56 78 90 ok",
        "%%% ### @@@ 123 abc",
    ],
    ids=["random-token", "char-run", "bang-run", "word-run", "digits", "symbols"],
)
def test_garbage(entry):
    assert classify(entry, TWO, PROMPT) == "garbage"


def test_short_and_long():
    assert classify("trains rule", TWO, PROMPT) == "too_short"
    assert classify("trains rule today", TWO, PROMPT) is None
    assert classify("trains rule", TWO, PROMPT, min_words=2) is None
    long = " ".join(f"word{i}" for i in range(81))
    assert classify(long, TWO, PROMPT) == "too_long"
    assert classify(long, TWO, PROMPT, max_words=100) is None
    assert classify(" ".join(f"word{i}" for i in range(80)), TWO, PROMPT) is None


def test_first_reason_wins():
    assert classify("I like trains", TWO, PROMPT, min_words=5) == "copy_of_example"  # before too_short
    assert classify("As an AI no", TWO, PROMPT, min_words=5) == "refusal"  # before too_short
    assert classify("aaaaaa", TWO, PROMPT) == "garbage"  # before too_short
