"""Generation: request planning, scoring/provenance, and a real run killed with SIGKILL and resumed."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_params
from tests.llm.conftest import tame_train
from toxsynth.jsonl import write_jsonl
from toxsynth.llm.generate import GenerateParams, Request, few_shot_pools, make_request, plan_round, score
from toxsynth.llm.journal import Journal



def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()

def test_plan_round_sizes_requests_by_valid_entries_so_far():
    params = GenerateParams(target_entries=10, entries_per_request=5, max_requests=6, expected_valid_share=0.5)
    a, b, c = ("hate", 1, "v1"), ("hate", 0, "v1"), ("hate", 1, "v2")
    assert plan_round({a: 0}, {a: 0}, params) == {a: 4}  # first round: 10 / (5 x 0.5)
    assert plan_round({a: 2, b: 2, c: 2}, {a: 10, b: 4, c: 0}, params) == {b: 3, c: 4}  # 2 valid/req -> 3 more; none -> cap
    assert plan_round({a: 6}, {a: 1}, params) == {}  # max_requests reached


@pytest.mark.parametrize("bad", [
    {"sample_mode": "medium"}, {"categories": ()}, {"categories": ("spam",)}, {"categories": ("hate", "hate")},
    {"versions": ()}, {"versions": ("v9",)}, {"target_entries": 0}, {"max_requests": 0}, {"entries_per_request": 0},
    {"few_shot": 0}, {"batch_size": 0}, {"max_new_tokens": 0}, {"temperature": 0.0}, {"top_p": 0.0}, {"top_p": 1.5},
    {"repetition_penalty": 0.0}, {"expected_valid_share": 0.0}, {"expected_valid_share": 1.5}, {"min_words": 0},
    {"min_words": 9, "max_words": 8},
], ids=lambda bad: ",".join(f"{k}={v}" for k, v in bad.items()))
def test_params_refuse_values_generation_cannot_use(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        GenerateParams(**bad)


def test_score_keeps_provenance_and_reasons(tmp_path):
    request = Request("hate-pos-v1-0000", "hate", 1, "v1", "write 3 numbered entries",
                      ({"id": "tame:1", "text": "the storm flooded the road"},))
    journal = Journal(tmp_path, "f")
    journal.append("0-0", {request.id: "Sure! Here you go:\n1. the rain came down on the whole valley\n"
                                       "2. the storm flooded the road\n3. ok"})
    valid, rejected, report = score([request], journal, GenerateParams(categories=("hate",)), {"model": "m"}, 7)
    assert [r["text"] for r in valid] == ["the rain came down on the whole valley"]
    assert sorted(r["reason"] for r in rejected) == ["copy_of_example", "too_short"]
    record = valid[0]
    assert record["few_shot_ids"] == ["tame:1"] and record["template"] == "v1" and record["seed"] == 7
    assert record["source"] == "synthetic" and record["model"] == "m" and len(record["prompt_id"]) == 16
    assert report["hate"]["pos"] == {"requests": 1, "entries": 3, "valid": 1, "success_rate": 0.3333,
                                     "refusal_rate": 0.0, "garbage_rate": 0.0,
                                     "rejected": {"copy_of_example": 1, "too_short": 1}}


def test_rewrite_requests_show_real_texts_of_the_other_label_and_record_what_each_entry_rewrites(tmp_path):
    params = GenerateParams(categories=("hate",), versions=("rewrite",), entries_per_request=2)
    pools = few_shot_pools(tame_train(), ("hate",))
    request = make_request(("hate", 1, "rewrite"), 0, pools, params, 5)
    sources = {r["id"]: r for r in tame_train()}
    assert len(request.few_shot) == 2 and all(sources[s["id"]]["label"] == 0 for s in request.few_shot)
    assert all(s["text"] in request.prompt for s in request.few_shot) and "exactly 2 entries" in request.prompt
    journal = Journal(tmp_path, "f")
    journal.append("0-0", {request.id: "1. the first rewritten line of text here\n2. the second rewritten line here"})
    valid, _, _ = score([request], journal, params, {"model": "m"}, 5)
    assert [r["rewrite_of"] for r in valid] == [s["id"] for s in request.few_shot]
    assert all(r["template"] == "rewrite" for r in valid)


def test_v4_requests_of_one_combo_differ_in_setting():
    params = GenerateParams(categories=("hate",), versions=("v4",))
    pools = few_shot_pools(tame_train(), ("hate",))
    prompts = {make_request(("hate", 0, "v4"), i, pools, params, 5).prompt.split("Requirements")[0] for i in range(6)}
    assert len(prompts) > 3
    assert make_request(("hate", 0, "v4"), 2, pools, params, 5) == make_request(("hate", 0, "v4"), 2, pools, params, 5)


def generation_workdir(folder: Path, base_dir: Path) -> list[str]:
    """A tiny but real generation setup (2 combos x 3 requests, batches of 2) and the command to run it."""
    folder.mkdir()
    write_params(folder / "params.yaml", {
        "seed": 3, "llm": {"base_model": "smollm2-135m"},
        "generate": {"categories": ["hate"], "versions": ["v1"], "target_entries": 6, "max_requests": 3,
                     "entries_per_request": 2, "few_shot": 2, "batch_size": 2, "max_new_tokens": 24}})
    write_jsonl(folder / "train.jsonl", tame_train())
    (folder / "adapter").mkdir()
    (folder / "adapter" / "adapter_info.json").write_text(json.dumps({"enabled": False}))
    return [sys.executable, str(ROOT / "stages" / "generate.py"), "--params", str(folder / "params.yaml"),
            "--base", str(base_dir), "--adapter", str(folder / "adapter"), "--train", str(folder / "train.jsonl"),
            "--out", str(folder / "generated.jsonl"), "--rejected", str(folder / "rejected.jsonl"),
            "--report", str(folder / "generate.json"), "--journal", str(folder / "journal")]


def test_a_train_record_without_category_stops_generate_before_any_output(tmp_path):
    folder = tmp_path / "work"
    command = generation_workdir(folder, tmp_path / "no-base")  # the record is checked before the model loads
    train = tame_train()
    del train[3]["category"]
    write_jsonl(folder / "train.jsonl", train)
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"error: {folder / 'train.jsonl'}:4: missing field(s) ['category']"
    assert sorted(p.name for p in folder.iterdir()) == ["adapter", "params.yaml", "train.jsonl"]


def journal_lines(folder: Path) -> int:
    files = list((folder / "journal").glob("*.jsonl"))
    return files[0].read_text().count("\n") if files else 0


def sigkill_once(command: list[str], ready, poll_s: float = 0.2, limit_s: float = 300) -> None:
    """Start `command` and SIGKILL it as soon as `ready()` holds (or it ends, or `limit_s` passes)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + limit_s
    while not ready() and process.poll() is None and time.time() < deadline:
        time.sleep(poll_s)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_killed_generation_resumes_to_identical_records(base_dir, tmp_path):
    straight = generation_workdir(tmp_path / "straight", base_dir)
    subprocess.run(straight, check=True, capture_output=True)
    killed = generation_workdir(tmp_path / "killed", base_dir)
    sigkill_once(killed, lambda: journal_lines(tmp_path / "killed") >= 1)
    done_before = journal_lines(tmp_path / "killed")
    assert 1 <= done_before < 3, "the kill should land mid-run (3 batches in all)"
    assert not (tmp_path / "killed" / "generated.jsonl").exists()
    subprocess.run(killed, check=True, capture_output=True)
    for name in ("generated.jsonl", "rejected.jsonl"):
        # digests, not bytes: a failing comparison must not print generated text
        assert digest(tmp_path / "killed" / name) == digest(tmp_path / "straight" / name), name
    report = json.loads((tmp_path / "killed" / "generate.json").read_text())
    assert report["run"]["resumed_batches"] == done_before
    assert journal_lines(tmp_path / "killed") == 3  # nothing generated twice
    records = [json.loads(x) for x in (tmp_path / "killed" / "generated.jsonl").read_text().splitlines()]
    assert all(r["adapter"] is None and r["model"] == "smollm2-135m" for r in records)  # finetune disabled path
    requests = {r["request_id"] for r in records} | {
        json.loads(x)["request_id"] for x in (tmp_path / "killed" / "rejected.jsonl").read_text().splitlines()}
    assert len(requests) <= 6


@pytest.mark.parametrize("stage", ["generate", "finetune"])
def test_llm_stage_categories_must_be_prepared_ones(tmp_path, stage):
    params = write_params(tmp_path / "params.yaml", {"categories": ["violence"], stage: {"categories": ["hate"]}})
    result = subprocess.run([sys.executable, str(ROOT / "stages" / f"{stage}.py"), "--params", str(params)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: {params}:") and f"{stage}.categories: ['hate'] are not in the top-level" in last
    assert sorted(p.name for p in tmp_path.iterdir()) == ["params.yaml"]
