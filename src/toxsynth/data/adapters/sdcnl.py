"""SDCNL Reddit posts: r/SuicideWatch (is_suicide 1) vs r/depression (is_suicide 0), train + test files."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# r/depression posts are hard negatives for `self_harm`: distress without suicidal intent is the distinction
# the dataset was built for. The author columns are never read; the *_clean columns are a lowercased,
# stripped copy of title/selftext, so the raw columns are used and prepare normalizes them.
IS_SUICIDE_TO_SELF_HARM = {"1": POS, "0": NEG}


@register("sdcnl")
def read(files, options):
    for name in ("training-set.csv", "testing-set.csv"):
        for row in read_delimited(need(files, name), required=("title", "selftext", "is_suicide")):
            text = f"{row['title']}\n\n{row['selftext']}"  # a post is its title and its body
            yield emit(row, text, {"self_harm": row.choice("is_suicide", IS_SUICIDE_TO_SELF_HARM)})
