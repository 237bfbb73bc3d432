"""Implicit Hate Corpus (ElSherief et al. 2021) tweets, stage 1: class not_hate / implicit_hate / explicit_hate."""

from toxsynth.data.adapters import need, register
from toxsynth.data.records import NEG, POS, emit
from toxsynth.data.tables import read_delimited

# Implicit and explicit hate are both positives; not_hate tweets (same hate-group-adjacent accounts) are the
# negatives. Stage 2 (implicit_hate_v1_stg2_posts.tsv) is not read: its rows are implicit-hate tweets with
# finer classes; 6,250 of its 6,346 posts are stage-1 rows already, the other 96 are near-copies of stage-1
# tweets (70 of them of not_hate ones). Its "threatening" / "incitement" classes are exclusion rhetoric and
# promotion of hate groups, too weak for `violence` (and train_only would take those rows out of hate eval).
CLASS_TO_HATE = {"implicit_hate": POS, "explicit_hate": POS, "not_hate": NEG}


@register("implicit_hate")
def read(files, options):
    # Tab-separated with CSV quoting: ~2,000 posts are quoted, one of them holds tabs inside the quotes.
    for row in read_delimited(need(files, "implicit_hate_v1_stg1_posts.tsv"), ("post", "class"), delimiter="\t"):
        yield emit(row, row["post"], {"hate": row.choice("class", CLASS_TO_HATE)})
