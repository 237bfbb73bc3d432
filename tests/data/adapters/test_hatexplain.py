"""hatexplain adapter on the real files: counts match SOURCE.md exactly.

SOURCE.md: 15,379 posts, hatespeech 4,732, offensive 4,386, normal 6,261 (train 11,535 + test 3,844 rows).
Offensive posts are hard negatives, so hate:neg = 4,386 + 6,261. Every token list parses and no post is
placeholders only, so nothing is skipped.
"""

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.data.adapters.hatexplain import post_text
from toxsynth.data.records import SourceRow


def test_counts_match_source_md(mirror, sources):
    counts = label_counts(run_adapter(sources["hatexplain"], mirror / "hatexplain"))
    assert counts == {"rows": 15_379, "hate:pos": 4_732, "hate:neg": 4_386 + 6_261}


def test_post_text_joins_tokens():
    assert post_text("['i', 'like', 'trains', '<user>']") == "i like trains <user>"
    assert post_text("['the weather is") is None
    assert post_text("'not a list'") is None


def test_labels_and_skips(tmp_path):
    header = "post_tokens,toxic_tokens,post_label\n"
    (tmp_path / "hatexplain_train.csv").write_text(
        header + "\"['i', 'like', 'trains']\",[],normal\n\"['<user>', '<number>']\",[],hatespeech\n",
        encoding="utf-8",
    )
    (tmp_path / "hatexplain_test.csv").write_text(
        header + "\"['the', 'weather', 'is', 'bad']\",[],offensive\n\"['the weather\",[],hatespeech\n"
        "\"['it', 'rains', '<user>']\",[],hatespeech\n",
        encoding="utf-8",
    )
    files = {p.name: p for p in tmp_path.iterdir()}
    items = list(adapters.get("hatexplain")(files, {}))
    assert [(i.text, dict(i.labels)) for i in items if isinstance(i, SourceRow)] == [
        ("i like trains", {"hate": 0}), ("the weather is bad", {"hate": 0}), ("it rains <user>", {"hate": 1})]
    assert label_counts(items) == {"rows": 5, "hate:neg": 2, "hate:pos": 1, "skip:placeholder_only": 1,
                                   "skip:unparseable": 1}
