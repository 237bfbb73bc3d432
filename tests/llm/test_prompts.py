"""Prompt rendering, ids, template fingerprint and few-shot sampling (tame stand-in texts only)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from toxsynth import CATEGORIES
from toxsynth.llm import prompts
from toxsynth.llm.prompts import LABELS, VERSIONS, prompt_id, render, sample_examples, templates_fingerprint

EXAMPLES = ["I like trains", "the weather is bad", "my cat sleeps all day"]
SETTING = {"platform": "a short post", "length": "one sentence", "register": "plain", "tone": "calm",
           "target": "a bus company", "topic": "a bakery"}  # v4's attributes; the other versions ignore them
CASES = [(v, c, label) for v in VERSIONS for c in CATEGORIES for label in LABELS]
CASE_IDS = [f"{v}-{c}-{'pos' if label else 'neg'}" for v, c, label in CASES]


@pytest.mark.parametrize(("version", "category", "label"), CASES, ids=CASE_IDS)
def test_render_every_form(version, category, label):
    prompt = render(version, category, label, EXAMPLES, 7, SETTING)
    for example in EXAMPLES:
        assert example in prompt
        assert prompt.index(example) > prompt.index("Requirements")  # few-shot block after the requirements
    assert "7 entries" in prompt
    assert '"1."' in prompt and "one entry per line" in prompt
    assert "do not copy" in prompt.lower()
    assert "obedient" not in prompt.lower()  # no jailbreak persona
    assert "$" not in prompt  # every placeholder filled
    if label == 0:
        assert "unrelated" in prompt
    other = render(version, category, 1 - label, EXAMPLES, 7, SETTING)
    assert other != prompt


@pytest.mark.parametrize("version", ["v2", "v3"])
@pytest.mark.parametrize("label", LABELS, ids=["pos", "neg"])
@pytest.mark.parametrize("category", CATEGORIES)
def test_v2_v3_contain_definition(version, category, label):
    definition = " ".join(prompts.categories()[category]["definition"].split())
    assert definition in render(version, category, label, EXAMPLES, 5)


def test_versions_differ():
    rendered = {render(v, "hate", 1, EXAMPLES, 5, SETTING) for v in VERSIONS}
    assert len(rendered) == len(VERSIONS)


def test_multiline_example_becomes_one_line():
    prompt = render("v1", "violence", 1, ["the weather\n  is bad"], 3)
    assert "- the weather is bad" in prompt.splitlines()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"version": "v9"},
        {"version": "v4"},
        {"category": "spam"},
        {"label": 2},
        {"label": -1},
        {"n_entries": 0},
        {"examples": []},
        {"examples": ["I like trains", "  "]},
    ],
    ids=["version", "v4-without-attributes", "category", "label-2", "label-neg", "n_entries", "no-examples", "empty-example"],
)
def test_render_rejects_bad_input(kwargs):
    args = {"version": "v1", "category": "hate", "label": 1, "examples": EXAMPLES, "n_entries": 5} | kwargs
    with pytest.raises(ValueError):
        render(**args)


def test_v4_draws_a_setting_per_request_from_package_data():
    drawn = [prompts.draw_attributes("hate", 1, random.Random(i)) for i in range(20)]
    assert all(set(d) == set(prompts.ATTRIBUTES) | {"target"} for d in drawn)
    assert len({tuple(sorted(d.items())) for d in drawn}) > 10  # requests differ in setting
    assert drawn[3] == prompts.draw_attributes("hate", 1, random.Random(3))  # seeded
    negative = prompts.draw_attributes("political", 0, random.Random(0))
    assert "topic" in negative and "target" not in negative
    prompt = render("v4", "hate", 1, EXAMPLES, 5, drawn[0])
    assert all(value in prompt for value in drawn[0].values())


def test_every_category_has_v4_targets_and_topics():
    lists = prompts._attribute_lists()
    assert set(lists["targets"]) == set(lists["topics"]) == set(CATEGORIES)


def test_rewrite_lists_the_texts_to_rewrite_in_order():
    prompt = render("rewrite", "violence", 1, EXAMPLES, 3)
    lines = prompt.splitlines()
    assert [lines.index(f"- {e}") for e in EXAMPLES] == sorted(lines.index(f"- {e}") for e in EXAMPLES)
    assert "exactly 3 entries, in the order of the texts" in prompt


def test_categories_file_covers_all_categories():
    info = prompts.categories()
    for category in CATEGORIES:
        assert info[category]["name"] and len(info[category]["definition"].split()) >= 10


def test_prompt_id():
    a, b = render("v1", "hate", 1, EXAMPLES, 5), render("v1", "hate", 1, EXAMPLES, 6)
    assert len(prompt_id(a)) == 16
    int(prompt_id(a), 16)
    assert prompt_id(a) != prompt_id(b)


# Known answers (`printf '%s' TEXT | sha256sum | cut -c1-16`): ids written into data/synthetic by earlier runs stay
# valid only while the same prompt gets the same id, in every process and on every machine.
KNOWN_IDS = [("I like trains", "6a506320231a282d"), ("I like trains\n", "4d1e074f74676957"),
             ("café ☕ trains", "34cff9a9bf859f0b")]


@pytest.mark.parametrize(("prompt", "expected"), KNOWN_IDS, ids=["ascii", "trailing-newline", "non-ascii"])
def test_prompt_id_is_the_sha256_prefix_of_the_exact_utf8_text(prompt, expected):
    assert prompt_id(prompt) == expected


def test_templates_fingerprint_stable_and_sensitive(tmp_path, monkeypatch):
    first = templates_fingerprint()
    assert first == templates_fingerprint() and len(first) == 64
    copy = tmp_path / "templates"
    shutil.copytree(Path(prompts.__file__).parent / "templates", copy)
    monkeypatch.setattr(prompts, "_templates_dir", lambda: copy)
    assert templates_fingerprint() == first
    (copy / "v1_pos.txt").write_text((copy / "v1_pos.txt").read_text() + "\n")
    assert templates_fingerprint() != first


def test_template_files_present():
    names = {f.name for f in prompts._template_files()}
    assert {f"{v}_{form}.txt" for v in VERSIONS for form in ("pos", "neg")} | {"categories.yaml"} <= names


# --- sample_examples ------------------------------------------------------------------------------------------
def _words(n: int, tag: str) -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


@pytest.fixture
def pool():
    short = [{"id": f"s{i}", "text": f"short note {i} about trains"} for i in range(6)]
    wide = [{"id": "wide", "text": "x" * 310}]  # one word, but over 300 characters
    long = [{"id": f"l{i}", "text": _words(40 + i, f"w{i}x")} for i in range(4)]
    huge = [{"id": "huge", "text": _words(121, "h")}]
    return short + wide + long + huge


def _ids(records):
    return [r["id"] for r in records]


def test_sample_deterministic_and_order_independent(pool):
    first = sample_examples(pool, 3, "short", random.Random(1))
    assert first == sample_examples(pool, 3, "short", random.Random(1))
    shuffled = pool[:]
    random.Random(9).shuffle(shuffled)
    assert first == sample_examples(shuffled, 3, "short", random.Random(1))


@pytest.mark.parametrize("seed", range(5))
def test_sample_modes(pool, seed):
    short = sample_examples(pool, 4, "short", random.Random(seed))
    assert all(len(r["text"].split()) <= 30 and len(r["text"]) <= 300 for r in short)
    long = sample_examples(pool, 3, "long", random.Random(seed))
    assert all(30 < len(r["text"].split()) <= 120 for r in long)
    assert len(set(_ids(short))) == 4 and len(set(_ids(long))) == 3


def test_sample_falls_back_to_other_records(pool):
    picked = sample_examples(pool, 6, "long", random.Random(0))  # only 4 long texts
    assert len(set(_ids(picked))) == 6
    assert {f"l{i}" for i in range(4)} <= set(_ids(picked))
    picked = sample_examples(pool, 10, "short", random.Random(0))  # 6 short texts, then 4 of the 5 others
    assert len(set(_ids(picked))) == 10
    assert {f"s{i}" for i in range(6)} <= set(_ids(picked))
    assert "huge" not in _ids(picked)  # over 120 words: never used, never truncated


def test_sample_rejects_bad_input(pool):
    with pytest.raises(ValueError):
        sample_examples(pool, 3, "medium", random.Random(0))
    with pytest.raises(ValueError):
        sample_examples(pool, 0, "short", random.Random(0))
    with pytest.raises(ValueError):
        sample_examples(pool, 12, "short", random.Random(0))  # 11 usable records (the 121-word one is not)
