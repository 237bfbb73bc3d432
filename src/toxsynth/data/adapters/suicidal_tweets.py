"""Tweets containing "suicidal": label 0 not suicidal (news, metaphor, jokes), 1 ambiguous, 2 suicidal tendency."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# Reads data_0..4.csv (11,439 tweets together). data_after_preprocessing.csv is NOT read: it is a lowercased
# copy of the same tweets minus the ambiguous ones (labels 0/1, 1 = former 2), so reading it would count
# them twice. User metadata (name, bio, ...) is dropped; the username only groups a user's tweets (1,103 users
# posted several) so that they land in one split.
FILES = tuple(f"data_{i}.csv" for i in range(5))

# Label 2 is the positive. Label 0 tweets use "suicidal" in another sense (news, metaphor, jokes,
# advocacy): hard negatives. Label 1 (ambiguous) gets no label (Skip "unmapped").
LABEL_TO_SELF_HARM = {"0": NEG, "1": None, "2": POS}


@register("suicidal_tweets")
def read(files, options):
    for name in FILES:
        for row in read_delimited(need(files, name), required=("tweet", "label", "username")):
            label = row.choice("label", LABEL_TO_SELF_HARM)
            labels = {} if label is None else {"self_harm": label}
            yield emit(row, row["tweet"], labels, group=f"suicidal_tweets:{row['username']}")
