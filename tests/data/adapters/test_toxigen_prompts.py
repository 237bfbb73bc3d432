"""toxigen_prompts adapter on the real files: one item per distinct sentence per file.

SOURCE.md: 31 files x 1,000 lines, "only 371 unique hate and 297 unique neutral sentences in all". Per file
the adapter yields 425 hate sentences (371 distinct in all: some sentences recur across target groups, and
prepare's dedup keeps one) and 297 neutral ones (no neutral sentence recurs across files).
"""

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.data.adapters.toxigen_prompts import sentences


def test_counts_match_source_md(mirror, sources):
    items = run_adapter(sources["toxigen_prompts"], mirror / "toxigen_prompts")
    assert label_counts(items) == {"rows": 722, "hate:pos": 425, "hate:neg": 297}
    assert len({i.text for i in items if i.labels["hate"]}) == 371
    assert len({i.text for i in items if not i.labels["hate"]}) == 297


def test_sentences_split_on_literal_backslash_n_dash():
    assert sentences(r"- I like trains\n- the weather is bad\n-") == ["I like trains", "the weather is bad"]
    # escape residue before a separator, and a last sentence closed by a bare dash
    assert sentences(r"- I like trains\\\n- the weather is bad\\n\n- it rains.-") == [
        "I like trains", "the weather is bad", "it rains."]
    assert sentences("- a well-known train - fast\\n-") == ["a well-known train - fast"]


def test_each_distinct_sentence_once_per_file(tmp_path):
    (tmp_path / "hate_x_1k.txt").write_text("- I like trains\\n- it rains\\n-\n- it rains\\n-\n", encoding="utf-8")
    (tmp_path / "neutral_x_1k.txt").write_text("- the weather is bad\\n-\n- it rains\\n-\n", encoding="utf-8")
    items = list(adapters.get("toxigen_prompts")({p.name: p for p in tmp_path.iterdir()}, {}))
    assert [(i.text, i.labels["hate"], i.where) for i in items] == [
        ("I like trains", 1, "hate_x_1k.txt:1"), ("it rains", 1, "hate_x_1k.txt:1"),
        ("the weather is bad", 0, "neutral_x_1k.txt:1"), ("it rains", 0, "neutral_x_1k.txt:2")]
