"""prepare(): dedup within and across sources, label conflicts, empties, split hygiene, report, determinism."""

from __future__ import annotations

from toxsynth.data.adapters import register
from toxsynth.data.normalize import dedup_key
from toxsynth.data.prepare import PrepareParams, prepare
from toxsynth.data.records import SourceRow, Skip
from toxsynth.jsonl import read_records, write_jsonl
from toxsynth.sources import Source, SourceFile
from toxsynth.synthetic.minhash import MinHashParams


@register("_memory")
def _memory(files, options):
    """Test adapter: yields the rows given in options (text, {category: label}[, "weak" or a group]) or a skip reason."""
    for row in options["rows"]:
        if isinstance(row, str):
            yield Skip(row)
            continue
        extra = row[2] if len(row) > 2 else None
        yield SourceRow(row[0], row[1], train_only=extra == "weak", group=None if extra == "weak" else extra)


def source(tmp_path, name, rows) -> Source:
    (tmp_path / name).mkdir(exist_ok=True)
    (tmp_path / name / "f").write_text("x")
    return Source(name, "_memory", (SourceFile("f", "0" * 64, url="u"),), {"rows": rows})


def filler(prefix, category, n, label):
    return [(f"{prefix} tame sentence number {i}", {category: label}) for i in range(n)]


CATS = ("hate", "violence")
PARAMS = PrepareParams(eval_size=10, eval_max_fraction=0.5)


def test_duplicates_conflicts_and_empties_are_dropped_and_counted(tmp_path):
    a = source(tmp_path, "a", [
        ("I like trains", {"hate": 0}),
        ("I  LIKE trains", {"hate": 0}),  # same normalized text -> duplicate within a source
        ("the weather is bad", {"hate": 1}),
        ("   ", {"hate": 0}),  # empty after normalization
        "non_english",
    ])
    b = source(tmp_path, "b", [
        ("i like trains", {"hate": 0}),  # duplicate across sources: a's copy is kept
        ("The weather is bad", {"hate": 0}),  # conflicting label: every copy dropped
        ("a quiet day", {"violence": 1}),
    ])
    result = prepare((a, b), tmp_path, CATS, PARAMS, seed=0)
    records = result.train + result.eval
    hate = [r for r in records if r["category"] == "hate"]
    assert [(r["text"], r["source"]) for r in hate] == [("I like trains", "a")]
    assert result.report["dropped_by_source"] == {
        "a": {"duplicate": 1, "empty": 1, "non_english": 1, "conflicting_labels": 1},
        "b": {"duplicate": 1, "conflicting_labels": 1},
    }
    assert result.report["dropped"] == {"conflicting_labels": 2, "duplicate": 2, "empty": 1, "non_english": 1}
    assert result.report["sources"]["a"]["rows"] == 5 and result.report["sources"]["b"]["rows"] == 3


def test_no_eval_text_in_train_even_across_categories(tmp_path):
    shared = [(f"shared tame line {i}", {"hate": i % 2, "violence": 1 - i % 2}) for i in range(40)]
    rows = shared + filler("h", "hate", 600, 0)  # hate and violence eval then pick different shared lines
    result = prepare((source(tmp_path, "s", rows),), tmp_path, CATS, PARAMS, seed=0)
    eval_keys = {dedup_key(r["text"]) for r in result.eval}
    assert eval_keys and not eval_keys & {dedup_key(r["text"]) for r in result.train}
    assert result.report["dropped"].get("in_eval_of_other_category", 0) > 0


def test_report_counts_match_records_and_eval_is_stratified(tmp_path):
    rows = filler("p", "hate", 30, 1) + filler("n", "hate", 70, 0)
    result = prepare((source(tmp_path, "s", rows),), tmp_path, CATS, PARAMS, seed=0)
    assert result.report["hate"] == {"train": {"pos": 27, "neg": 63}, "eval": {"pos": 3, "neg": 7}}
    assert result.report["violence"] == {"train": {"pos": 0, "neg": 0}, "eval": {"pos": 0, "neg": 0}}
    assert set(result.train[0]) == {"id", "text", "label", "category", "source"}


def test_weak_labels_never_reach_eval(tmp_path):
    rows = [(t, lab, "weak") for t, lab in filler("w", "hate", 50, 1)] + filler("h", "hate", 50, 0)
    result = prepare((source(tmp_path, "s", rows),), tmp_path, CATS, PARAMS, seed=0)
    assert result.eval and all(r["label"] == 0 for r in result.eval)


def test_deterministic_with_stable_ids(tmp_path):
    rows = filler("p", "hate", 30, 1) + filler("n", "hate", 70, 0)
    first = prepare((source(tmp_path, "s", rows),), tmp_path, CATS, PARAMS, seed=5)
    again = prepare((source(tmp_path, "s", list(reversed(rows))),), tmp_path, CATS, PARAMS, seed=5)
    assert first.train == again.train and first.eval == again.eval
    assert first.train[0]["id"].startswith("s:") and len({r["id"] for r in first.train}) == len(first.train)


RAIN = "the morning train to the coast was late again because of rain"  # 12 words, 10 shingles of 3 words
SNOW = "the morning train to the coast was late again because of snow"  # last word changed: Jaccard 9/11


def test_near_duplicates_of_any_eval_text_leave_train(tmp_path):
    rows = [
        (RAIN, {"violence": 1}),  # the only rows that may go to eval: violence's and hate's eval splits
        ("🌧", {"hate": 0}),
        (SNOW, {"hate": 0}, "weak"),  # a near duplicate of violence's eval text
        (RAIN.upper(), {"hate": 1}, "weak"),  # the same text: the exact reason, not near_eval
        ("a quiet afternoon at the station with tea and a newspaper", {"hate": 0}, "weak"),
        ("🙂🙂", {"hate": 0}, "weak"),  # no words, like the eval's 🌧: still not a near duplicate
    ]
    params = PrepareParams(eval_size=1, eval_max_fraction=1.0)
    result = prepare((source(tmp_path, "s", rows),), tmp_path, CATS, params, seed=0)
    assert sorted(r["text"] for r in result.eval) == sorted([RAIN, "🌧"])
    assert sorted(r["text"] for r in result.train) == sorted(["a quiet afternoon at the station with tea and a newspaper",
                                                              "🙂🙂"])
    assert result.report["dropped"] == {"in_eval_of_other_category": 1, "near_eval": 1}
    assert result.report["dropped_by_source"] == {"s": {"in_eval_of_other_category": 1, "near_eval": 1}}


def test_near_duplicates_follow_the_minhash_params(tmp_path):
    rows = [(RAIN, {"violence": 1}), (SNOW, {"hate": 0}, "weak")]
    params = PrepareParams(eval_size=1, eval_max_fraction=1.0)
    strict = MinHashParams(threshold=0.95)
    result = prepare((source(tmp_path, "s", rows),), tmp_path, CATS, params, seed=0, near=strict)
    assert [r["text"] for r in result.train] == [SNOW]
    assert "near_eval" not in result.report["dropped"]


def test_records_carry_a_group_only_when_the_adapter_gives_one(tmp_path):
    rows = [(f"user one wrote about the weather, day {i}", {"self_harm": 0}, "cssrs:one") for i in range(3)]
    rows += [(f"someone wrote about trains, day {i}", {"self_harm": 0}) for i in range(3)]
    params = PrepareParams(eval_size=0)
    records = prepare((source(tmp_path, "s", rows),), tmp_path, ("self_harm",), params, seed=0).train
    assert sorted(r.get("group", "") for r in records) == ["", "", "", "cssrs:one", "cssrs:one", "cssrs:one"]
    write_jsonl(tmp_path / "train.jsonl", records)  # the strict reader that later stages use takes the extra key
    assert read_records(tmp_path / "train.jsonl", ("id", "text", "label", "category", "source")) == records
