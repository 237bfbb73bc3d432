"""EDOS (SemEval-2023 task 10): Reddit and Gab posts, sexist / not sexist with an 11-way fine-grained vector."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited, shown

# One file with all splits (the split column is ignored: prepare makes its own splits).
# `hate`: sexist rows are positives, "not sexist" rows (same platforms) negatives.
SEXIST_TO_HATE = {"sexist": POS, "not sexist": NEG}

# By the code that starts label_vector. "not sexist" rows (vector "none") are negatives for `sexual` and
# `violence` too. 1.1 threats / 1.2 incitement of harm -> `violence`; 2.3 dehumanising attacks & overt sexual
# objectification -> `sexual`. The other sexist vectors (and each positive's other category) get no label:
# a sexist post says nothing either way about threats or sexual content.
VECTOR_CODE = {
    "none": {"sexual": NEG, "violence": NEG},
    "1.1": {"violence": POS}, "1.2": {"violence": POS}, "2.3": {"sexual": POS},
    **{code: {} for code in ("2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2")},
}


@register("edos")
def read(files, options):
    path = need(files, "edos_labelled_aggregated.csv")
    for row in read_delimited(path, required=("text", "label_sexist", "label_vector")):
        hate = row.choice("label_sexist", SEXIST_TO_HATE)
        code = row["label_vector"].split(" ", 1)[0]
        if code not in VECTOR_CODE or (code == "none") != (hate == NEG):
            raise row.error(f"label_vector {shown(row['label_vector'])} does not fit label_sexist {shown(row['label_sexist'])}")
        yield emit(row, row["text"], {"hate": hate, **VECTOR_CODE[code]})
