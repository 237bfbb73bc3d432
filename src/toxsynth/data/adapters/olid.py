"""OLID (OffensEval 2019) tweets: olid.tsv = the 13,240 training tweets + the 860 labeled test tweets."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# Only olid.tsv is read: its first 13,240 rows are olid-training-v1.0.tsv (same ids and labels; in 130
# tweets olid.tsv has a `URL` placeholder the training file lacks) and its last 860 rows are the test
# tweets with all three subtask labels. testset-levela.tsv holds the same 860 test tweets with
# subtask_a only (no target labels, so no `political` positive), so reading it would count them twice.
# Files are TAB-separated with CRLF lines and CSV-style quoting of tweets that start with a quote.
OFFENSIVE = {"NOT": False, "OFF": True}
TARGETED = {"NULL": False, "UNT": False, "TIN": True}
TARGET = {"NULL": None, "IND": "IND", "GRP": "GRP", "OTH": "OTH"}


@register("olid")
def read(files, options):
    for row in read_delimited(need(files, "olid.tsv"), required=("tweet", "subtask_a", "subtask_b", "subtask_c"),
                              delimiter="\t"):
        offensive, targeted = row.choice("subtask_a", OFFENSIVE), row.choice("subtask_b", TARGETED)
        target = row.choice("subtask_c", TARGET)
        if not offensive:
            labels = {"political": NEG}  # not offensive at all: a negative
        elif targeted and target == "IND":
            labels = {"political": POS}  # a targeted insult at an individual: mostly public figures
        else:
            labels = {}  # untargeted, or aimed at a group / other: says nothing about `political`
        yield emit(row, row["tweet"], labels)
