"""Kaggle suicide-ideation tweets: Suicide "Potential Suicide post" or "Not Suicide post"."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# The positive value has a trailing space upstream ("Potential Suicide post "); row.choice strips it.
# Mojibake ("iâm") is repaired by prepare; the 2 empty tweets are yielded and dropped there.
SUICIDE_TO_SELF_HARM = {"Potential Suicide post": POS, "Not Suicide post": NEG}


@register("twitter_suicide")
def read(files, options):
    for row in read_delimited(need(files, "suicide_ideation_twitter.csv"), required=("Tweet", "Suicide")):
        yield emit(row, row["Tweet"], {"self_harm": row.choice("Suicide", SUICIDE_TO_SELF_HARM)})
