"""TRAC-2 English YouTube comments, Sub-task A: OAG overtly aggressive, CAG covertly aggressive, NAG not aggressive."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited, shown

# Overt aggression is the closest match to `violence`; covert aggression (sarcasm, veiled attacks) is too
# ambiguous to be either a positive or a clean negative, so it gets no label (Skip "unmapped").
AGGRESSION_TO_VIOLENCE = {"OAG": POS, "CAG": None, "NAG": NEG}
LABEL = "Sub-task A"


def _labelled(files):
    """(row, label): train and dev carry their labels; test texts get theirs from trac2_eng_gold_a.csv by ID."""
    for name in ("trac2_eng_train.csv", "trac2_eng_dev.csv"):
        for row in read_delimited(need(files, name), required=("ID", "Text", LABEL)):
            yield row, row.choice(LABEL, AGGRESSION_TO_VIOLENCE)
    gold_rows = read_delimited(need(files, "trac2_eng_gold_a.csv"), required=("ID", LABEL))
    gold = {r["ID"]: r.choice(LABEL, AGGRESSION_TO_VIOLENCE) for r in gold_rows}
    for row in read_delimited(need(files, "trac2_eng_test.csv"), required=("ID", "Text")):
        if row["ID"] not in gold:
            raise row.error(f"test ID {shown(row['ID'])} has no gold label in trac2_eng_gold_a.csv")
        yield row, gold[row["ID"]]


@register("trac2")
def read(files, options):
    for row, label in _labelled(files):
        yield emit(row, row["Text"], {} if label is None else {"violence": label})
