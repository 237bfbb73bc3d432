"""Tweets to US Members of Congress coded uncivil yes/no: 4,000 by humans, 15,982 by a classifier."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# Incivility aimed at politicians is the `political` positive; civil tweets to the same accounts are the
# negatives (same platform, same targets).
UNCIVIL_TO_POLITICAL = {"yes": POS, "no": NEG}


@register("incivility")
def read(files, options):
    # Human-coded rows first, so that prepare's dedup keeps the human label where a text is in both files.
    for name, machine in (("training-data.csv", False), ("synthetic-labels.csv", True)):
        for row in read_delimited(need(files, name), required=("uncivil", "text")):
            labels = {"political": row.choice("uncivil", UNCIVIL_TO_POLITICAL)}
            yield emit(row, row["text"], labels, train_only=machine)  # machine labels: training only
