"""Parse an LLM's numbered-list response into entries, and classify each entry as valid or rejected.

`parse_entries` splits a response into entries ("1.", "1)", "1:", "1 -", "(1)", "#1", "**1.**", "Entry 1:");
`classify` returns None for a usable entry or the first reject reason in CHECK_ORDER. The rules are
deliberately simple; every threshold is a constant below.
"""

from __future__ import annotations

import functools
import re

REASONS = ("refusal", "garbage", "too_short", "too_long", "copy_of_example", "prompt_echo")
CHECK_ORDER = ("prompt_echo", "copy_of_example", "refusal", "garbage", "too_short", "too_long")

# --- parsing -------------------------------------------------------------------------------------------------
_BOLD = r"(?:\*\*|__)?"
NUMBERED_LINE = re.compile(
    rf"""^\s*{_BOLD}
    (?:
        \((?P<paren>\d{{1,3}})\)[.:]?                       # (1)
      | \#(?P<hash>\d{{1,3}})(?:[.):]|\s[-–—])?             # #1  #1.  #1:
      | (?:entry|item|example)\s*(?P<word>\d{{1,3}})\s*(?:[.):]|[-–—])  # Entry 1:
      | (?P<plain>\d{{1,3}})(?:[.):](?!\d)|\s*[-–—](?=\s))   # 1.  1)  1:  1 -   (not "3.5", not "1-2")
    )
    {_BOLD}(?:\s+|$)?(?P<text>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
NOTE_START = re.compile(
    r"^\W*(note|notes|please note|disclaimer|i hope|hope this|these entries|these examples|these samples|"
    r"the entries above|the above entries|let me know|feel free)\b",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*[-*•]\s+")
QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»"}


def _clean(text: str) -> str:
    """Strip whitespace, markdown bold and surrounding quotes (only when the quote mark is not used inside)."""
    text = text.replace("**", "").strip()
    while len(text) >= 2 and QUOTES.get(text[0]) == text[-1] and not {text[0], text[-1]} & set(text[1:-1]):
        text = text[1:-1].strip()
    if len(text) >= 4 and text.startswith("__") and text.endswith("__"):
        text = text[2:-2].strip()
    return text


def _drop_trailing_note(lines: list[str], start: int) -> list[str]:
    """Cut at the first blank line after line `start` that is followed by a note ("Note: ...", "I hope ...")."""
    for i in range(start + 1, len(lines)):
        if not lines[i - 1].strip() and NOTE_START.match(lines[i]):
            return lines[: i - 1]
    return lines


def _unnumbered(lines: list[str]) -> list[str]:
    """Fallback for a response without numbering: its non-empty lines, minus a first line ending in ':'."""
    kept = [_clean(BULLET.sub("", line)) for line in lines if line.strip()]
    if kept and kept[0].endswith(":"):
        kept = kept[1:]
    return [line for line in kept if line]


def parse_entries(response: str) -> list[str]:
    """The entries of a numbered-list response; preamble and a trailing note are dropped.

    A line that is not numbered continues the entry before it (wrapped text) and is joined with a space.
    Without any numbered line, the non-empty lines are the entries (bullets stripped, "...:" preamble dropped).
    """
    lines = response.splitlines()
    first = next((i for i, line in enumerate(lines) if NUMBERED_LINE.match(line)), None)
    if first is None:
        return _unnumbered(_drop_trailing_note(lines, next((i for i, x in enumerate(lines) if x.strip()), 0)))
    entries: list[list[str]] = []
    for line in _drop_trailing_note(lines, first)[first:]:
        match = NUMBERED_LINE.match(line)
        if match:
            entries.append([match["text"]])
        elif line.strip():
            entries[-1].append(line.strip())
    return [text for text in (_clean(" ".join(parts)) for parts in entries) if text]


# --- classification ------------------------------------------------------------------------------------------
ECHO_SPAN_WORDS = 8  # an entry sharing this many consecutive words with the prompt (outside the samples) echoes it
INSTRUCTION_PATTERNS = [  # restated requirements, in our templates' or the paper's wording
    r"\bprecede each\b",
    r"\bsequentially ordered\b",
    r"\bformatted as\W+1\.",
    r"\bone entry per line\b",
    r"\bdata[- ]synthesis assistant\b",
    r"\bwrite (exactly )?\d+ (new )?(data )?entries\b",
    r"\bwrite nothing else\b",
    r"\bdo not (copy|duplicate) (them|the samples|any of the samples|the provided samples)\b",
    r"\beach (data )?entry (must|should) be (diverse|distinct|unique)\b",
    r"\b(here are the|specific) requirements\b",
]
COPY_MIN_WORDS = 5  # containment counts as a copy only when both texts have at least this many words
_REFUSED = r"(help|assist|provide|create|generate|write|produce|fulfil|comply|complete|do that|support|engage)"
REFUSAL_PATTERNS = [  # specific on purpose: plain "I cannot wait" or "I won't go" must stay valid
    rf"\bi (can ?not|can't|won't|will not|am not able to|am unable to) {_REFUSED}",
    rf"\bi'm (not able|unable) to {_REFUSED}",
    r"\bi('m| am) sorry,? but (i|as an)\b",
    r"\bi apologi[sz]e,? but\b",
    r"\bas an ai\b",
    r"\bas a (large )?language model\b",
    r"\bnot appropriate (for me )?to (create|generate|write|produce|provide)\b",
    r"\b(inappropriate|harmful|offensive) (content|request)s? (is|are|that)\b",
    r"\bagainst my (guidelines|policy|policies|programming|principles|values)\b",
    r"\bi must (decline|refuse)\b",
]
REFUSAL_HEAD_CHARS = 60  # a refusal phrase starting this close to the start rejects the entry ...
REFUSAL_MAIN_WORDS = 30  # ... and anywhere in an entry this short (the refusal is its main content)
RANDOM_TOKEN_MIN_CHARS = 6  # a token this long mixing letters, digits and >= 3 inner symbols, e.g. "32$$2$(2djs"
RANDOM_TOKEN_MIN_SYMBOLS = 3
REPEATED_CHAR_RUN = 5  # "aaaaa", "!!!!!" (also catches "sooooo")
REPEATED_WORD_RUN = 4  # "the the the the"
MIN_LETTER_SHARE = 0.5  # share of non-space characters that must be letters

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # Unicode letters and digits, inner apostrophes kept
_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def is_prompt_echo(entry: str, examples: list[str], prompt: str) -> bool:
    """The entry restates an instruction, or shares ECHO_SPAN_WORDS+ consecutive words with the prompt's
    own text (the few-shot samples excluded)."""
    lowered = entry.lower()
    if any(re.search(p, lowered) for p in INSTRUCTION_PATTERNS):
        return True
    return bool(_prompt_spans(prompt, tuple(examples)) & _ngrams(_tokens(entry), ECHO_SPAN_WORDS))


@functools.lru_cache(maxsize=64)  # one prompt is checked against all entries of its response
def _prompt_spans(prompt: str, examples: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """Word n-grams of the prompt's own lines; the sample lines ("- text") and sample n-grams are left out."""
    samples = {" ".join(example.split()) for example in examples}
    spans = set()
    for line in prompt.splitlines():
        if " ".join(_LIST_MARK.sub("", line).split()) not in samples:
            spans |= _ngrams(_tokens(line), ECHO_SPAN_WORDS)
    for example in examples:
        spans -= _ngrams(_tokens(example), ECHO_SPAN_WORDS)
    return frozenset(spans)


def _normalized(text: str) -> str:
    return " ".join(_tokens(text))


def is_copy_of_example(entry: str, examples: list[str]) -> bool:
    """Equal to a sample after lowercasing and dropping punctuation, or one contains the other (5+ words each)."""
    mine = _normalized(entry)
    for example in map(_normalized, examples):
        if mine and mine == example:
            return True
        long_enough = min(len(mine.split()), len(example.split())) >= COPY_MIN_WORDS
        if long_enough and (f" {mine} " in f" {example} " or f" {example} " in f" {mine} "):
            return True
    return False


def is_refusal(entry: str) -> bool:
    """A refusal or AI disclaimer near the start, or anywhere in a short entry."""
    lowered = entry.lower().replace("’", "'")
    short = len(entry.split()) <= REFUSAL_MAIN_WORDS
    for pattern in REFUSAL_PATTERNS:
        match = re.search(pattern, lowered)
        if match and (short or match.start() <= REFUSAL_HEAD_CHARS):
            return True
    return False


def _random_token(token: str) -> bool:
    inner = token[1:-1]
    symbols = sum(not c.isalnum() for c in inner)
    return (
        len(token) >= RANDOM_TOKEN_MIN_CHARS
        and any(c.isalpha() for c in token)
        and any(c.isdigit() for c in token)
        and symbols >= RANDOM_TOKEN_MIN_SYMBOLS
    )


def is_garbage(entry: str) -> bool:
    """Random-looking tokens, a character or word repeated in a run, or too few letters."""
    if any(_random_token(token) for token in entry.split() if not token.lower().startswith(("http", "www."))):
        return True
    if re.search(rf"(\S)\1{{{REPEATED_CHAR_RUN - 1},}}", entry):
        return True
    words = _tokens(entry)
    if any(len(set(words[i : i + REPEATED_WORD_RUN])) == 1 for i in range(len(words) - REPEATED_WORD_RUN + 1)):
        return True
    visible = [c for c in entry if not c.isspace()]
    return bool(visible) and sum(c.isalpha() for c in visible) < MIN_LETTER_SHARE * len(visible)


def classify(entry: str, examples: list[str], prompt: str, min_words: int = 3, max_words: int = 80) -> str | None:
    """None for a usable entry, else the first reason that applies (prompt_echo, copy_of_example, refusal,
    garbage, too_short, too_long)."""
    words = len(entry.split())
    checks = {
        "prompt_echo": lambda: is_prompt_echo(entry, examples, prompt),
        "copy_of_example": lambda: is_copy_of_example(entry, examples),
        "refusal": lambda: is_refusal(entry),
        "garbage": lambda: is_garbage(entry),
        "too_short": lambda: words < min_words,
        "too_long": lambda: words > max_words,
    }
    return next((reason for reason in CHECK_ORDER if checks[reason]()), None)
