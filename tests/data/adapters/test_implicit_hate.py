"""implicit_hate adapter on the real stage-1 file: counts match SOURCE.md exactly.

SOURCE.md: 21,480 tweets in stage 1. Class counts from the file: implicit_hate 7,100 + explicit_hate 1,089
positives, not_hate 13,291 negatives. Stage 2 is not read (see the adapter). The file is read with CSV
quoting: reading it as plain TSV would mis-split one quoted post that contains tabs.
"""

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["implicit_hate"], mirror / "implicit_hate"))
    assert counts == {"rows": 21_480, "hate:pos": 7_100 + 1_089, "hate:neg": 13_291}


def test_quoted_post_with_tabs(tmp_path):
    path = tmp_path / "implicit_hate_v1_stg1_posts.tsv"
    path.write_text('post\tclass\n"I like\ttrains, ""a lot"""\tnot_hate\nit rains\timplicit_hate\n'
                    "it snows\texplicit_hate\n", encoding="utf-8")
    items = list(adapters.get("implicit_hate")({path.name: path}, {}))
    assert [(i.text, dict(i.labels)) for i in items] == [
        ('I like\ttrains, "a lot"', {"hate": 0}), ("it rains", {"hate": 1}), ("it snows", {"hate": 1})]
