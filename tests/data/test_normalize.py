"""normalize(): repairs entities, mojibake, control chars and whitespace, and keeps the text otherwise intact."""

import pytest

from toxsynth.data.normalize import dedup_key, normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("fish &amp; chips", "fish & chips"),
        ("fish &amp;amp; chips", "fish & chips"),  # double-escaped, as scraped tweets often are
        ("&#8220;hello&#8221; &lt;3", '"hello" <3'),
        ("I\u00e2\u0080\u0099m fine", "I'm fine"),  # UTF-8 read as Latin-1 / cp1252
        ("  many   spaces\tand\r\nlines  ", "many spaces and lines"),
        ("zero\u200bwidth", "zerowidth"),
        ("Cafe\u0301", "Caf\u00e9"),  # NFC
        ("KEEP Case, punctuation!?", "KEEP Case, punctuation!?"),
        ("emoji 👍🏽 👨\u200d👩\u200d👧 stay", "emoji 👍🏽 👨\u200d👩\u200d👧 stay"),
        ("non-Latin: привет 你好 مرحبا", "non-Latin: привет 你好 مرحبا"),
        ("   \n\t ", ""),
    ],
    ids=["amp", "double-amp", "numeric-entities", "mojibake", "whitespace", "zero-width", "nfc", "case",
         "emoji", "scripts", "blank"],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_is_idempotent():
    text = "A &amp; B\u00e2\u0080\u0099s  te\u200bxt"
    assert normalize(normalize(text)) == normalize(text)


def test_dedup_key_ignores_case_entities_and_spacing():
    assert dedup_key("I like  TRAINS &amp; buses") == dedup_key("i like trains & buses")
    assert dedup_key("I like trains") != dedup_key("I like train")
