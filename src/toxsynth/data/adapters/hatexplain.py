"""HateXplain Twitter/Gab posts (train + test files of this copy): post_label hatespeech / offensive / normal."""

import ast
import re

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, Skip, emit
from toxsynth.data.tables import read_delimited

# hatespeech is the positive class; offensive-but-not-hate posts are kept as hard negatives for `hate`
# (same platforms and style; they teach that profanity alone is not hate), normal posts are plain negatives.
LABEL_TO_HATE = {"hatespeech": POS, "offensive": NEG, "normal": NEG}
PLACEHOLDER = re.compile(r"<\w+>")  # <user>, <number>, <url>, ... put in by the upstream preprocessing


def post_text(literal: str) -> str | None:
    """The post: the tokens of a Python list literal joined with spaces; None when it does not parse."""
    try:
        tokens = ast.literal_eval(literal)
    except (SyntaxError, ValueError):
        return None
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        return None
    return " ".join(tokens)


@register("hatexplain")
def read(files, options):
    for name in ("hatexplain_train.csv", "hatexplain_test.csv"):
        for row in read_delimited(need(files, name), required=("post_tokens", "post_label")):
            label = row.choice("post_label", LABEL_TO_HATE)
            text = post_text(row["post_tokens"])
            if text is None:
                yield Skip("unparseable")
            elif text.split() and all(PLACEHOLDER.fullmatch(t) for t in text.split()):
                yield Skip("placeholder_only")  # e.g. a post that was only "<user> <user>"
            else:
                yield emit(row, text, {"hate": label})
