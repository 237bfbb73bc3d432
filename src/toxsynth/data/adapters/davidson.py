"""Davidson et al. 2017 tweets: class 0 hate speech, 1 offensive but not hate, 2 neither."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# Offensive-but-not-hate tweets are kept as hard negatives for `hate`: they teach the model that slurs and
# profanity alone are not hate speech, which is the distinction this dataset was built to measure.
CLASS_TO_HATE = {"0": POS, "1": NEG, "2": NEG}


@register("davidson")
def read(files, options):
    for row in read_delimited(need(files, "labeled_data.csv"), required=("class", "tweet")):
        yield emit(row, row["tweet"], {"hate": row.choice("class", CLASS_TO_HATE)})
