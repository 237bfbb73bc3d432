"""Gab Hate Corpus: Gab posts with hd (assault on human dignity), cv (call for violence), vo (vulgar)."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# ghc_train.tsv and ghc_test.tsv are disjoint splits: each row is read once. SOURCE.md suggests quoting off,
# but texts holding a quote are CSV-quoted (wrapped, inner quotes doubled): standard quoting reads them right.
# hd is the `hate` label and cv the `violence` label, each read as its own yes/no annotation: all-zero rows are
# negatives for both; vo-only rows (vulgar, no hd/cv) are hard negatives for both; hd rows without cv are
# hard negatives for `violence`. cv rows without hd get no `hate` label: GHC counts calls for violence as
# hate-based rhetoric too, so they are no evidence of non-hate, yet the annotators did not mark hd.
FLAG = {"1": POS, "0": NEG}


@register("ghc")
def read(files, options):
    for name in ("ghc_train.tsv", "ghc_test.tsv"):
        path = need(files, name)
        for row in read_delimited(path, required=("text", "hd", "cv", "vo"), delimiter="\t"):
            hate, violence = row.choice("hd", FLAG), row.choice("cv", FLAG)
            row.choice("vo", FLAG)  # not mapped, but an unknown value is still a file+line error
            labels = {"violence": violence} if (hate, violence) == (NEG, POS) else {"hate": hate, "violence": violence}
            yield emit(row, row["text"], labels)
