"""Text normalization that repairs without destroying: HTML entities, mojibake, odd whitespace, control chars."""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

_WHITESPACE = re.compile(r"\s+")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_CONTROL = {"Cc": " ", "Cf": ""}  # control chars become spaces, invisible format chars (but emoji ZWJ) go
_FTFY = ftfy.TextFixerConfig(unescape_html=False, explain=False)


def normalize(text: str) -> str:
    """Canonical form of a text, kept readable: case, punctuation, emoji and words are untouched."""
    for _ in range(3):  # "&amp;amp;" style double escapes in scraped tweets
        if not _ENTITY.search(text):
            break
        text = html.unescape(text)
    text = ftfy.fix_text(text, _FTFY)  # mojibake such as "iâ€™m" -> "i’m"
    text = "".join(_CONTROL.get(unicodedata.category(c), c) if c != "\u200d" else c for c in text)
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def dedup_key(text: str) -> str:
    """The key for exact-duplicate and train/eval overlap checks: the normalized text, case-folded."""
    return normalize(text).casefold()
