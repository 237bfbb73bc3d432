"""CyberPolice tweets collected by sexual keywords: Label 1.0 sexually harassing, 0.0 not."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, Skip, emit
from toxsynth.data.tables import read_delimited

# 1.0 -> `sexual` positive. 0.0 tweets match the same sexual keywords in another sense: hard negatives.
LABEL_TO_SEXUAL = {"1.0": POS, "0.0": NEG}

# The file is a pandas re-export of a CSV whose quoting broke: "Unnamed: 9/10/11" hold the overflow of 6 rows
# whose Text was cut at commas, 3 of them with other tweets' whole records (keyword, user, date, ...) run into
# Text. Their text is incomplete or mixed with other tweets, so they are skipped. The leading "" and
# "Unnamed: 0" columns are two index columns; 3 rows hold a CRLF inside a quoted Key Word, which the CSV
# reader keeps inside that (unused) field.
OVERFLOW = ("Unnamed: 9", "Unnamed: 10", "Unnamed: 11")


@register("sexual_harassment_tweets")
def read(files, options):
    for row in read_delimited(need(files, "4572_Cleaned_tweets.csv"), required=("Label", "Text", *OVERFLOW)):
        sexual = row.choice("Label", LABEL_TO_SEXUAL)
        if any(row[column].strip() for column in OVERFLOW):
            yield Skip("broken_row")
            continue
        yield emit(row, row["Text"], {"sexual": sexual})
