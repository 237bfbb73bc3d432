"""A 2,500-comment Jigsaw (Wikipedia talk page) sample, Class OFF/NOT; TAB-separated despite the .csv name."""

from toxsynth import CATEGORIES
from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, emit, same_label
from toxsynth.data.tables import read_delimited

# NOT comments are clean text: an out-of-domain negative in every category. OFF is general toxicity that
# maps to no single category, so those rows get no label (Skip "unmapped").
CLASS_TO_LABELS = {"NOT": same_label(CATEGORIES, NEG), "OFF": {}}


@register("jigsaw_sample")
def read(files, options):
    for row in read_delimited(need(files, "tcc_test.csv"), required=("Text", "Class"), delimiter="\t"):
        yield emit(row, row["Text"], row.choice("Class", CLASS_TO_LABELS))
