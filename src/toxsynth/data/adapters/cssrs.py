"""Reddit C-SSRS suicide-risk set: 500 users, Post = a list literal of the user's posts, one Label per user."""

import ast
import re

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, Skip, emit
from toxsynth.data.tables import read_delimited

# The label is per user and applies to each of that user's posts (weak per post, but from one annotation);
# group="cssrs:<User>" keeps a user's posts in one split. Ideation / Behavior / Attempt are positives,
# Supportive users (who answer others) are same-forum negatives, Indicator (risk signs without ideation) is
# too ambiguous either way and gets no label (Skip "unmapped" for each post).
LABEL_TO_SELF_HARM = {"Ideation": POS, "Behavior": POS, "Attempt": POS, "Supportive": NEG, "Indicator": None}

# Between two posts of the list: a closing quote, ", ", an opening quote.
_SEPARATOR = re.compile(r"""['"], (?=['"])""")


def parse_posts(literal: str) -> list[str] | None:
    """The posts in `literal`; None when it does not parse.

    28 upstream cells are cut at 32,759 characters (a spreadsheet cell limit) inside the last post, so the
    literal does not parse. Fallback: keep the complete posts before the cut, i.e. the longest prefix that
    ends at a post separator and parses as a list once closed with "]". The cut post itself is dropped.
    """
    for end in [len(literal)] + [m.start() + 1 for m in reversed(list(_SEPARATOR.finditer(literal)))]:
        try:
            posts = ast.literal_eval(literal[:end] + ("" if end == len(literal) else "]"))
        except (SyntaxError, ValueError):
            continue
        if isinstance(posts, list) and all(isinstance(p, str) for p in posts):
            return posts
    return None


@register("cssrs")
def read(files, options):
    for row in read_delimited(need(files, "500_Reddit_users_posts_labels.csv"), required=("User", "Post", "Label")):
        label = row.choice("Label", LABEL_TO_SELF_HARM)
        posts = parse_posts(row["Post"])
        if posts is None:
            yield Skip("unparseable")
            continue
        for post in posts:
            yield emit(row, post, {} if label is None else {"self_harm": label}, group=f"cssrs:{row['User']}")
