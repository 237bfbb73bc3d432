"""ETHOS YouTube/Reddit comments: Binary file (isHate score, all 998) joined with Multi_Label (violence score)."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# Scores are annotator fractions: >= 0.5 is the majority, as upstream uses (433 hate, 142 violent).
# Non-hateful comments are same-source negatives for `hate` and for `violence`; hateful comments whose
# violence score is below 0.5 are violence (hard) negatives. The Multi_Label file only adds the violence
# score of the hateful comments; its other columns (targets, directed) map to no category.


def key(text: str) -> str:
    """Join key: 23 Multi_Label comments have a plain space where the Binary file has a no-break space."""
    return " ".join(text.split())


@register("ethos")
def read(files, options):
    violent = {}  # join key -> (row, violence label)
    for row in read_delimited(need(files, "Ethos_Dataset_Multi_Label.csv"), ("comment", "violence"), delimiter=";"):
        if key(row["comment"]) in violent:
            raise row.error("comment appears twice in the Multi_Label file")
        violent[key(row["comment"])] = (row, POS if row.number("violence") >= 0.5 else NEG)
    for row in read_delimited(need(files, "Ethos_Dataset_Binary.csv"), ("comment", "isHate"), delimiter=";"):
        hate = POS if row.number("isHate") >= 0.5 else NEG
        if hate == POS and key(row["comment"]) not in violent:
            raise row.error("hateful comment has no row in Ethos_Dataset_Multi_Label.csv")
        violence = violent.pop(key(row["comment"]))[1] if hate == POS else NEG
        yield emit(row, row["comment"], {"hate": hate, "violence": violence})
    for row, _ in violent.values():
        raise row.error("no hateful comment with this text in Ethos_Dataset_Binary.csv")
