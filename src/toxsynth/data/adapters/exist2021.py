"""EXIST 2021 sexism identification: English and Spanish tweets and Gab posts; only English rows are used."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, Skip, emit
from toxsynth.data.tables import read_delimited, shown

# EXIST2021_training.tsv and EXIST2021_test.tsv are disjoint splits with gold labels: each row is read once.
# Read with standard CSV quoting (not quoting off, as SOURCE.md suggests): texts holding quotes or a tab are
# CSV-quoted. Spanish rows are skipped before their labels are read.
LANGUAGE_IS_ENGLISH = {"en": True, "es": False}

# task1: sexist -> `hate` positive, non-sexist (same platforms and topics) -> negative.
TASK1_TO_HATE = {"sexist": POS, "non-sexist": NEG}

# task2: sexual-violence and objectification -> `sexual` positives; non-sexist rows -> `sexual` negatives.
# The other sexist types are neither: sexist but not about sexual content, they get no `sexual` label.
TASK2_TO_SEXUAL = {"sexual-violence": POS, "objectification": POS, "non-sexist": NEG,
                   "ideological-inequality": None, "stereotyping-dominance": None, "misogyny-non-sexual-violence": None}


@register("exist2021")
def read(files, options):
    for name in ("EXIST2021_training.tsv", "EXIST2021_test.tsv"):
        required = ("language", "text", "task1", "task2")
        for row in read_delimited(need(files, name), required=required, delimiter="\t"):
            if not row.choice("language", LANGUAGE_IS_ENGLISH):
                yield Skip("non_english")
                continue
            hate, sexual = row.choice("task1", TASK1_TO_HATE), row.choice("task2", TASK2_TO_SEXUAL)
            if (hate == NEG) != (sexual == NEG):
                raise row.error(f"task1 {shown(row['task1'])} does not fit task2 {shown(row['task2'])}")
            yield emit(row, row["text"], {"hate": hate} | ({} if sexual is None else {"sexual": sexual}))
